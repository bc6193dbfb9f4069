"""`/repositories`, `/projects/{p}/repositories[/{r}]` and `/search`."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api.permissions import allow_anyone, require
from harbor_site.api.query import Field
from harbor_site.api.schema import errors, ok, paging
from harbor_site.api.validation import validated
from projects.api import project_json
from projects.models import Project
from projects.rbac import Action, Resource
from projects.services import roles_by_project

from ..models import Repository
from ..services.accessories import artifact_count
from ..services.deletion import delete_repository
from .base import RegistryAPIView, full_repository_name, project_by_name, repository_by_name
from .presenters import repository_json
from .schema import (
    PROJECT_NAME,
    REPOSITORY_PATH,
    RepositorySerializer,
    RepositoryUpdateSerializer,
    SearchSerializer,
)


def _repositories(queryset: QuerySet[Repository]) -> QuerySet[Repository]:
    return queryset.annotate(artifact_count=artifact_count())


class RepositoryListing(RegistryAPIView):
    q_fields = {
        "name": Field("name"),
        "project_id": Field("project_id"),
        "repository_id": Field("id"),
        "id": Field("id"),
        "description": Field("description"),
        "pull_count": Field("pull_count"),
        "creation_time": Field("created_at"),
        "update_time": Field("updated_at"),
    }
    sort_fields = {
        "name": "name",
        "project_id": "project_id",
        "repository_id": "id",
        "id": "id",
        "pull_count": "pull_count",
        "creation_time": "created_at",
        "update_time": "updated_at",
    }
    default_ordering = ["-created_at", "-id"]

    def listing(self, request: Request, repositories: QuerySet[Repository]) -> Response:
        repositories = self.filtered(request, _repositories(repositories))
        return self.paged(request, repositories, lambda page: [repository_json(r) for r in page])


class AllRepositoriesView(RepositoryListing):
    @extend_schema(
        operation_id="listAllRepositories",
        tags=["repository"],
        summary="The repositories of every project the caller may see",
        parameters=paging(),
        responses={**ok(RepositorySerializer(many=True)), **errors(400)},
    )
    def get(self, request: Request) -> Response:
        allow_anyone(request)  # each caller sees the repositories of the projects visible to them
        visible = Project.objects.visible_to(request.user)
        return self.listing(request, Repository.objects.filter(project__in=visible))


class ProjectRepositoriesView(RepositoryListing):
    @extend_schema(
        operation_id="listRepositories",
        tags=["repository"],
        summary="The project's repositories",
        parameters=[PROJECT_NAME, *paging()],
        responses={**ok(RepositorySerializer(many=True)), **errors(400, 403, 404)},
    )
    def get(self, request: Request, project_name: str) -> Response:
        project = project_by_name(project_name)
        require(request, Action.LIST, Resource.REPOSITORY, project)
        return self.listing(request, Repository.objects.filter(project=project))


class RepositoryUpdate(serializers.Serializer):
    """Harbor replaces the description with the body's (absent or null: none)."""

    description = serializers.CharField(allow_blank=True, allow_null=True, required=False, default="")


@extend_schema_view(
    get=extend_schema(
        operation_id="getRepository",
        summary="Read a repository",
        responses={**ok(RepositorySerializer), **errors(403, 404)},
    ),
    put=extend_schema(
        operation_id="updateRepository",
        summary="Replace the repository's description",
        request=RepositoryUpdateSerializer,
        responses={**ok(), **errors(400, 403, 404)},
    ),
    delete=extend_schema(
        operation_id="deleteRepository",
        summary="Delete the repository with its artifacts and tags",
        responses={**ok(), **errors(403, 404, 412)},
    ),
)
@extend_schema(tags=["repository"], parameters=REPOSITORY_PATH)
class RepositoryView(RegistryAPIView):
    def _repository(self, request: Request, project_name: str, encoded: str, action: Action) -> Repository:
        project = project_by_name(project_name)
        require(request, action, Resource.REPOSITORY, project)
        return repository_by_name(full_repository_name(project, encoded))

    def get(self, request: Request, project_name: str, repository_name: str) -> Response:
        # Harbor asks `list` here, not `read`: what anyone may do on a public project.
        repository = self._repository(request, project_name, repository_name, Action.LIST)
        return Response(repository_json(_repositories(Repository.objects.filter(pk=repository.pk)).get()))

    def put(self, request: Request, project_name: str, repository_name: str) -> Response:
        repository = self._repository(request, project_name, repository_name, Action.UPDATE)
        # harborapi's update_repository sends the whole Repository back.
        read_only = (
            "id",
            "project_id",
            "name",
            "artifact_count",
            "pull_count",
            "creation_time",
            "update_time",
        )
        repository.description = validated(RepositoryUpdate, request, ignored=read_only)["description"] or ""
        repository.save(update_fields=["description", "updated_at"])
        return Response()

    def delete(self, request: Request, project_name: str, repository_name: str) -> Response:
        repository = self._repository(request, project_name, repository_name, Action.DELETE)
        delete_repository(repository, request.user.username)
        return Response()


class SearchView(RegistryAPIView):
    """Projects whose name contains `q`, and repositories whose name does, among those the
    caller may see."""

    @extend_schema(
        operation_id="search",
        tags=["search"],
        summary="Projects and repositories whose name contains q",
        parameters=[OpenApiParameter("q", str, description="The text to look for in names.")],
        responses=ok(SearchSerializer),
    )
    def get(self, request: Request) -> Response:
        allow_anyone(request)  # cut down to what the caller may see below
        keyword = request.query_params.get("q", "")
        visible = Project.objects.visible_to(request.user)
        projects = self._projects(request, visible, keyword)
        return Response({"project": projects, "repository": self._repos(visible, keyword)})

    @staticmethod
    def _projects(request: Request, visible: QuerySet[Project], keyword: str) -> list[dict[str, Any]]:
        projects = list(
            visible.filter(name__contains=keyword)
            .select_related("owner", "cve_allowlist")
            .annotate(repo_count=Count("repositories"))
            .order_by("name")
        )
        roles = roles_by_project(request.user, [project.pk for project in projects])
        return [project_json(project, roles.get(project.pk, [])) for project in projects]

    @staticmethod
    def _repos(visible: QuerySet[Project], keyword: str) -> list[dict[str, Any]]:
        repositories = _repositories(
            Repository.objects.filter(project__in=visible, name__contains=keyword).select_related("project")
        ).order_by("name")
        return [
            {
                "project_id": repository.project_id,
                "project_name": repository.project.name,
                "project_public": repository.project.public,
                "repository_name": repository.name,
                "pull_count": repository.pull_count,
                "artifact_count": repository.artifact_count,
            }
            for repository in repositories
        ]
