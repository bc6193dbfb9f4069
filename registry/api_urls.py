"""`/api/v2.0/` routes of the registry app.

`{repository_name}` is the part after the project, encoded twice by clients when it
holds a `/` (`a/b` → `a%252Fb`), so one path segment matches it.
"""

from django.urls import path

from .api import artifact_labels, artifacts, repositories, tags

R = "projects/<str:project_name>/repositories/<str:repository_name>"
A = f"{R}/artifacts/<str:reference>"

urlpatterns = [
    path("repositories", repositories.AllRepositoriesView.as_view(), name="api-repositories"),
    path(
        "projects/<str:project_name>/repositories",
        repositories.ProjectRepositoriesView.as_view(),
        name="api-project-repositories",
    ),
    path(R, repositories.RepositoryView.as_view(), name="api-repository"),
    path(
        "projects/<str:project_name_or_id>/artifacts",
        artifacts.ProjectArtifactsView.as_view(),
        name="api-project-artifacts",
    ),
    path(f"{R}/artifacts", artifacts.ArtifactListView.as_view(), name="api-artifacts"),
    path(A, artifacts.ArtifactView.as_view(), name="api-artifact"),
    path(f"{A}/tags", tags.TagListView.as_view(), name="api-artifact-tags"),
    path(f"{A}/tags/<str:tag_name>", tags.TagView.as_view(), name="api-artifact-tag"),
    path(f"{A}/accessories", tags.AccessoryListView.as_view(), name="api-artifact-accessories"),
    path(f"{A}/labels", artifact_labels.ArtifactLabelsView.as_view(), name="api-artifact-labels"),
    path(
        f"{A}/labels/<int:label_id>",
        artifact_labels.ArtifactLabelView.as_view(),
        name="api-artifact-label",
    ),
    path(f"{A}/additions/<str:addition>", tags.AdditionView.as_view(), name="api-artifact-addition"),
    path("search", repositories.SearchView.as_view(), name="api-search"),
]
