"""`/projects` and `/projects/{p}/...` (metadatas, summary, _deletable) of Harbor's API."""

from __future__ import annotations

from typing import Any

from django.db.models import Count, Q
from django.http import HttpResponse
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api.errors import BadRequest, Conflict, Forbidden, NotFound, PreconditionFailed
from harbor_site.api.permissions import allow_anyone, require
from harbor_site.api.query import Field
from harbor_site.api.schema import (
    LOCATION,
    PROJECT_PATH,
    errors,
    flag,
    ok,
    paging,
)
from harbor_site.api.validation import validated
from harbor_site.api.views import HarborAPIView, project_from_path

from .allowlists import allowlist_json
from .api_schema import (
    METADATA_ENTRY,
    ProjectDeletableSerializer,
    ProjectMetadataSerializer,
    ProjectRequestSerializer,
    ProjectSerializer,
    ProjectSummarySerializer,
    ProjectUpdateSerializer,
)
from .metadata import MetadataError, clean_metadata
from .models import Project, ProjectMember
from .permissions import may_create_project
from .rbac import Action, Resource, Role
from .services import (
    ProjectError,
    create_project,
    deletable,
    delete_project,
    roles_by_project,
    update_project,
)


def metadata_of(project: Project) -> dict[str, str]:
    return {"public": "true" if project.public else "false", **project.metadata}


def allowlist_of(project: Project) -> dict[str, Any]:
    return allowlist_json(getattr(project, "cve_allowlist", None), project.pk)


def project_json(project: Project, role_ids: list[int]) -> dict[str, Any]:
    owner = project.owner
    return {
        "project_id": project.pk,
        "owner_id": project.owner_id or 0,
        "owner_name": owner.username if owner else "",
        "name": project.name,
        "registry_id": None,
        "creation_time": project.created_at,
        "update_time": project.updated_at,
        "deleted": False,
        "togglable": Role.PROJECT_ADMIN in role_ids,
        "current_user_role_id": role_ids[0] if role_ids else 0,
        "current_user_role_ids": role_ids,
        "repo_count": project.repo_count if hasattr(project, "repo_count") else project.repositories.count(),
        "metadata": metadata_of(project),
        "cve_allowlist": allowlist_of(project),
    }


class ProjectRequest(serializers.Serializer):
    project_name = serializers.CharField(max_length=255, required=False)
    public = serializers.BooleanField(required=False, allow_null=True)
    metadata = serializers.DictField(required=False)
    cve_allowlist = serializers.DictField(required=False)
    storage_limit = serializers.IntegerField(required=False)
    registry_id = serializers.IntegerField(required=False, allow_null=True)


def _request(request: Request) -> dict[str, Any]:
    data = validated(ProjectRequest, request)
    if data.get("registry_id"):
        raise BadRequest("proxy-cache projects are not supported yet")
    return data


def _raise(error: ProjectError) -> None:
    raise {400: BadRequest, 409: Conflict, 412: PreconditionFailed}.get(error.status, BadRequest)(str(error))


def _listing(project_ids: Any) -> Any:
    return Project.objects.filter(pk__in=project_ids).select_related("owner", "cve_allowlist")


class ProjectListView(HarborAPIView):
    q_fields = {"name": Field("name"), "public": Field("public"), "project_id": Field("id")}
    sort_fields = {
        "name": "name",
        "creation_time": "created_at",
        "update_time": "updated_at",
        "project_id": "id",
    }
    default_ordering = ["name"]

    @extend_schema(
        operation_id="listProjects",
        tags=["project"],
        summary="List the projects the caller may see",
        parameters=[
            *paging(),
            OpenApiParameter("name", str, description="Projects whose name contains this."),
            flag("public", None, "Only public (`true`) or only private (`false`) projects."),
            OpenApiParameter("owner", str, description="Projects owned by this username."),
            flag("with_detail", True, "Accepted for Harbor's clients; details are always included."),
        ],
        responses={**ok(ProjectSerializer(many=True)), **errors(400)},
    )
    def get(self, request: Request) -> Response:
        allow_anyone(request)  # what each caller sees is cut down by visible_to below
        projects = Project.objects.visible_to(request.user).select_related("owner", "cve_allowlist")
        projects = projects.annotate(repo_count=Count("repositories"))
        params = request.query_params
        if params.get("name"):
            projects = projects.filter(name__icontains=params["name"])
        if params.get("public") in ("true", "false", "1", "0"):
            projects = projects.filter(public=params["public"] in ("true", "1"))
        if params.get("owner"):
            projects = projects.filter(owner__username=params["owner"])
        projects = self.filtered(request, projects)

        def serialize(page: list[Project]) -> list[dict[str, Any]]:
            roles = roles_by_project(request.user, [project.pk for project in page])
            return [project_json(project, roles.get(project.pk, [])) for project in page]

        return self.paged(request, projects, serialize)

    @extend_schema(
        operation_id="headProject",
        tags=["project"],
        summary="Does a project of this name exist?",
        parameters=[
            OpenApiParameter("project_name", str, required=True, description="The name to look for.")
        ],
        responses={200: None, 404: None},
    )
    def head(self, request: Request) -> HttpResponse:
        allow_anyone(request)
        name = request.query_params.get("project_name", "")
        exists = Project.objects.filter(name=name).exists()
        return HttpResponse(status=200 if exists else 404)

    @extend_schema(
        operation_id="createProject",
        tags=["project"],
        summary="Create a project; the caller becomes its project admin",
        parameters=[
            OpenApiParameter(
                "X-Resource-Name-In-Location",
                bool,
                location=OpenApiParameter.HEADER,
                default=False,
                description="`true`: the Location header names the project rather than its id.",
            ),
            LOCATION,
        ],
        request=ProjectRequestSerializer,
        responses={**ok(status=201, description="Created"), **errors(400, 403, 409)},
    )
    def post(self, request: Request) -> Response:
        allow_anyone(request)
        if not request.user.is_authenticated:
            require(request, Action.CREATE, Resource.SELF)  # answers 401
        if not may_create_project(request.user):
            raise Forbidden("only system administrators may create projects (project_creation_restriction)")
        data = _request(request)
        try:
            project = create_project(
                request.user,
                data.get("project_name"),
                data.get("metadata"),
                data.get("public"),
                data.get("cve_allowlist"),
            )
        except ProjectError as exc:
            _raise(exc)
        use_name = request.headers.get("X-Resource-Name-In-Location", "").lower() == "true"
        location = f"/api/v2.0/projects/{project.name if use_name else project.pk}"
        return Response(status=201, headers={"Location": location})


@extend_schema_view(
    get=extend_schema(
        operation_id="getProject",
        summary="Read a project",
        responses={**ok(ProjectSerializer), **errors(403, 404)},
    ),
    put=extend_schema(
        operation_id="updateProject",
        summary="Change a project's metadata and CVE allowlist",
        request=ProjectUpdateSerializer,
        responses={**ok(), **errors(400, 403, 404)},
    ),
    delete=extend_schema(
        operation_id="deleteProject",
        summary="Delete a project (it must hold no repositories)",
        responses={**ok(), **errors(403, 404, 412)},
    ),
)
@extend_schema(tags=["project"], parameters=PROJECT_PATH)
class ProjectView(HarborAPIView):
    def _project(self, request: Request, project_name_or_id: str, action: Action) -> Project:
        project = project_from_path(request, project_name_or_id)
        require(request, action, Resource.SELF, project)
        return project

    def get(self, request: Request, project_name_or_id: str) -> Response:
        project = self._project(request, project_name_or_id, Action.READ)
        project = _listing([project.pk]).annotate(repo_count=Count("repositories")).get()
        return Response(
            project_json(project, roles_by_project(request.user, [project.pk]).get(project.pk, []))
        )

    def put(self, request: Request, project_name_or_id: str) -> Response:
        project = self._project(request, project_name_or_id, Action.UPDATE)
        data = _request(request)
        try:
            update_project(
                request.user, project, data.get("metadata"), data.get("public"), data.get("cve_allowlist")
            )
        except ProjectError as exc:
            _raise(exc)
        return Response()

    def delete(self, request: Request, project_name_or_id: str) -> Response:
        project = self._project(request, project_name_or_id, Action.DELETE)
        try:
            delete_project(request.user, project)
        except ProjectError as exc:
            _raise(exc)
        return Response()


class ProjectDeletableView(HarborAPIView):
    @extend_schema(
        operation_id="getProjectDeletable",
        tags=["project"],
        summary="Whether the project can be deleted, and why not",
        parameters=PROJECT_PATH,
        responses={**ok(ProjectDeletableSerializer), **errors(403, 404)},
    )
    def get(self, request: Request, project_name_or_id: str) -> Response:
        project = project_from_path(request, project_name_or_id)
        require(request, Action.DELETE, Resource.SELF, project)
        ok, message = deletable(project)
        return Response({"deletable": ok, "message": message})


class ProjectSummaryView(HarborAPIView):
    @extend_schema(
        operation_id="getProjectSummary",
        tags=["project"],
        summary="Counts of the project's repositories and members, and its quota",
        parameters=PROJECT_PATH,
        responses={**ok(ProjectSummarySerializer), **errors(403, 404)},
    )
    def get(self, request: Request, project_name_or_id: str) -> Response:
        project = project_from_path(request, project_name_or_id)
        require(request, Action.READ, Resource.SELF, project)
        counts = ProjectMember.objects.filter(project=project).aggregate(
            **{name: Count("id", filter=Q(role=role)) for name, role in _ROLE_COUNTS.items()}
        )
        return Response(
            {"repo_count": project.repositories.count(), **counts, "quota": {"hard": {"storage": -1}}}
        )


_ROLE_COUNTS = {
    "project_admin_count": Role.PROJECT_ADMIN,
    "maintainer_count": Role.MAINTAINER,
    "developer_count": Role.DEVELOPER,
    "guest_count": Role.GUEST,
    "limited_guest_count": Role.LIMITED_GUEST,
}


@extend_schema_view(
    get=extend_schema(
        operation_id="listProjectMetadatas",
        summary="The project's metadata",
        responses={**ok(ProjectMetadataSerializer), **errors(403, 404)},
    ),
    post=extend_schema(
        operation_id="addProjectMetadatas",
        summary="Add or change metadata keys",
        request=ProjectMetadataSerializer,
        responses={**ok(), **errors(400, 403, 404)},
    ),
)
@extend_schema(tags=["projectMetadata"], parameters=PROJECT_PATH)
class MetadataListView(HarborAPIView):
    def get(self, request: Request, project_name_or_id: str) -> Response:
        project = project_from_path(request, project_name_or_id)
        require(request, Action.READ, Resource.METADATA, project)
        return Response(metadata_of(project))

    def post(self, request: Request, project_name_or_id: str) -> Response:
        project = project_from_path(request, project_name_or_id)
        require(request, Action.CREATE, Resource.METADATA, project)
        _set_metadata(request, project)
        return Response()


@extend_schema(exclude=True)
class MetadataListAliasView(MetadataListView):
    """`/metadatas` without the trailing slash, which Harbor's clients call too; described once."""


def _set_metadata(request: Request, project: Project) -> None:
    try:
        update_project(request.user, project, clean_metadata(request.data))
    except (MetadataError, ProjectError) as exc:
        raise BadRequest(str(exc)) from None


_META_NAME = OpenApiParameter(
    "meta_name", str, location=OpenApiParameter.PATH, description="A metadata key, e.g. public or auto_scan."
)


@extend_schema_view(
    get=extend_schema(
        operation_id="getProjectMetadata",
        summary="One metadata key of the project",
        responses={**ok(METADATA_ENTRY), **errors(403, 404)},
    ),
    put=extend_schema(
        operation_id="updateProjectMetadata",
        summary="Change one metadata key; the body holds exactly that key",
        request={"application/json": METADATA_ENTRY},
        responses={**ok(), **errors(400, 403, 404)},
    ),
    delete=extend_schema(
        operation_id="deleteProjectMetadata",
        summary="Remove one metadata key (not public)",
        responses={**ok(), **errors(400, 403, 404)},
    ),
)
@extend_schema(tags=["projectMetadata"], parameters=[*PROJECT_PATH, _META_NAME])
class MetadataView(HarborAPIView):
    def _get(self, request: Request, project_name_or_id: str, meta_name: str, action: Action) -> Project:
        project = project_from_path(request, project_name_or_id)
        require(request, action, Resource.METADATA, project)
        if meta_name not in metadata_of(project):
            raise NotFound(f"metadata {meta_name} not found")
        return project

    def get(self, request: Request, project_name_or_id: str, meta_name: str) -> Response:
        project = self._get(request, project_name_or_id, meta_name, Action.READ)
        return Response({meta_name: metadata_of(project)[meta_name]})

    def put(self, request: Request, project_name_or_id: str, meta_name: str) -> Response:
        project = self._get(request, project_name_or_id, meta_name, Action.UPDATE)
        if not isinstance(request.data, dict) or set(request.data) != {meta_name}:
            raise BadRequest(f"the body must hold exactly the key {meta_name}")
        _set_metadata(request, project)
        return Response()

    def delete(self, request: Request, project_name_or_id: str, meta_name: str) -> Response:
        project = self._get(request, project_name_or_id, meta_name, Action.DELETE)
        if meta_name == "public":
            raise BadRequest("the public flag cannot be deleted")
        project.metadata.pop(meta_name, None)
        project.save(update_fields=["metadata", "updated_at"])
        return Response()
