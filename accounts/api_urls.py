"""`/api/v2.0/` routes of the accounts app: users, user groups, LDAP."""

from django.urls import path

from .api import current, directory_views, usergroups, users

U = "users/<int:user_id>"

urlpatterns = [
    path("users", users.UserListView.as_view(), name="api-users"),
    path("users/current", current.CurrentUserView.as_view(), name="api-user-current"),
    path(
        "users/current/permissions",
        current.CurrentPermissionsView.as_view(),
        name="api-user-current-permissions",
    ),
    path("users/search", users.UserSearchView.as_view(), name="api-users-search"),
    path(U, users.UserView.as_view(), name="api-user"),
    path(f"{U}/sysadmin", users.SysadminView.as_view(), name="api-user-sysadmin"),
    path(f"{U}/password", users.PasswordView.as_view(), name="api-user-password"),
    path(f"{U}/cli_secret", users.CliSecretView.as_view(), name="api-user-cli-secret"),
    path("usergroups", usergroups.UserGroupListView.as_view(), name="api-usergroups"),
    path("usergroups/search", usergroups.UserGroupSearchView.as_view(), name="api-usergroups-search"),
    path("usergroups/<int:group_id>", usergroups.UserGroupView.as_view(), name="api-usergroup"),
    path("ldap/ping", directory_views.LdapPingView.as_view(), name="api-ldap-ping"),
    path("ldap/users/search", directory_views.LdapUserSearchView.as_view(), name="api-ldap-users-search"),
    path("ldap/users/import", directory_views.LdapUserImportView.as_view(), name="api-ldap-users-import"),
    path("ldap/groups/search", directory_views.LdapGroupSearchView.as_view(), name="api-ldap-groups-search"),
]
