"""The portal's pages, mounted at `/`.

Repository names contain slashes, so a repository's pages follow `/-/` (a path
component of a repository name is never a lone `-`), as GitLab does.
"""

from django.urls import include, path

from .views import (
    administration,
    artifacts,
    auth,
    configuration,
    jobs,
    members,
    projects,
    records,
    repositories,
    robots,
    settings,
    trusted_keys,
)

app_name = "portal"

PROJECT = "projects/<str:project>/"
REPO = PROJECT + "r/<path:repo>/-/"
ARTIFACT = REPO + "a/<str:reference>/"

urlpatterns = [
    path("", projects.project_list, name="projects"),
    path("login", auth.PortalLoginView.as_view(), name="login"),
    path("logout", auth.PortalLogoutView.as_view(), name="logout"),
    path("i18n/", include("django.conf.urls.i18n")),
    path("jobs", jobs.job_list, name="jobs"),
    path(PROJECT, projects.project_summary, name="project"),
    path(PROJECT + "repositories", repositories.repository_list, name="repositories"),
    path(REPO + "artifacts", repositories.artifact_list, name="artifacts"),
    path(REPO + "delete", repositories.repository_delete, name="repository-delete"),
    path(ARTIFACT, artifacts.artifact_detail, name="artifact"),
    path(ARTIFACT + "delete", artifacts.artifact_delete, name="artifact-delete"),
    path(ARTIFACT + "tags", artifacts.tag_add, name="tag-add"),
    path(ARTIFACT + "tags/<str:tag>/delete", artifacts.tag_remove, name="tag-remove"),
    path(ARTIFACT + "labels", artifacts.label_attach, name="artifact-label-add"),
    path(ARTIFACT + "scan", artifacts.artifact_scan, name="artifact-scan"),
    path(ARTIFACT + "sbom", artifacts.artifact_sbom, name="artifact-sbom"),
    path(ARTIFACT + "labels/<int:label_id>/delete", artifacts.label_detach, name="artifact-label-remove"),
    path(PROJECT + "members", members.member_list, name="members"),
    path(PROJECT + "members/add", members.member_add, name="member-add"),
    path(PROJECT + "members/<int:member_id>/role", members.member_role, name="member-role"),
    path(PROJECT + "members/<int:member_id>/delete", members.member_remove, name="member-remove"),
    path(PROJECT + "robots", robots.robot_list, name="robots"),
    path(PROJECT + "robots/add", robots.robot_create, name="robot-add"),
    path(PROJECT + "robots/<int:robot_id>/delete", robots.robot_delete, name="robot-delete"),
    path(PROJECT + "labels", records.label_list, name="labels"),
    path(PROJECT + "labels/add", records.label_create, name="label-add"),
    path(PROJECT + "labels/<int:label_id>/delete", records.label_delete, name="label-delete"),
    path(PROJECT + "logs", records.log_list, name="logs"),
    path(PROJECT + "trusted-keys", trusted_keys.key_list, name="trusted-keys"),
    path(PROJECT + "trusted-keys/add", trusted_keys.key_add, name="trusted-key-add"),
    path(PROJECT + "trusted-keys/<int:key_id>/delete", trusted_keys.key_remove, name="trusted-key-delete"),
    path(PROJECT + "configuration", configuration.configuration, name="configuration"),
    path(PROJECT + "delete", configuration.project_delete, name="project-delete"),
    path("administration/users", administration.users, name="admin-users"),
    path(
        "administration/users/<int:user_id>/sysadmin",
        administration.user_sysadmin,
        name="admin-user-sysadmin",
    ),
    path("administration/users/<int:user_id>/delete", administration.user_delete, name="admin-user-delete"),
    path("administration/users/add", administration.user_create, name="admin-user-add"),
    path("administration/groups", administration.groups, name="admin-groups"),
    path("administration/groups/add", administration.group_create, name="admin-group-add"),
    path("administration/labels", administration.labels, name="admin-labels"),
    path("administration/labels/add", administration.label_add, name="admin-label-add"),
    path(
        "administration/labels/<int:label_id>/delete", administration.label_remove, name="admin-label-delete"
    ),
    path("administration/logs", administration.logs, name="admin-logs"),
    path("administration/settings", settings.system_settings, name="admin-settings"),
]
