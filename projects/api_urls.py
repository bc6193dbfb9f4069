from django.urls import path

from . import api, api_members

P = "projects/<str:project_name_or_id>"

urlpatterns = [
    path("projects", api.ProjectListView.as_view(), name="api-projects"),
    path(P, api.ProjectView.as_view(), name="api-project"),
    path(f"{P}/_deletable", api.ProjectDeletableView.as_view(), name="api-project-deletable"),
    path(f"{P}/summary", api.ProjectSummaryView.as_view(), name="api-project-summary"),
    path(f"{P}/metadatas/", api.MetadataListView.as_view(), name="api-project-metadatas"),
    path(f"{P}/metadatas", api.MetadataListAliasView.as_view()),
    path(f"{P}/metadatas/<str:meta_name>", api.MetadataView.as_view(), name="api-project-metadata"),
    path(f"{P}/members", api_members.MemberListView.as_view(), name="api-project-members"),
    path(f"{P}/members/<int:mid>", api_members.MemberView.as_view(), name="api-project-member"),
]
