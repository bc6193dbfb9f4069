"""`/quotas`: each project's storage limit and use (counted once per blob per project, as Harbor)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api.errors import BadRequest, NotFound
from harbor_site.api.permissions import require
from harbor_site.api.schema import errors, ok, paging, path_id
from harbor_site.api.views import HarborAPIView, query_int

from .api_system_schema import QuotaSerializer, QuotaUpdateSerializer
from .models import Project
from .rbac import Action, Resource


def storage_used(project_ids: list[int]) -> dict[int, int]:
    """Bytes used per project: each distinct blob linked in the project counts once (one query)."""
    from registry.models import Blob

    rows = (
        Blob.objects.filter(repository_links__repository__project_id__in=project_ids)
        .values_list("repository_links__repository__project_id", "id", "size")
        .distinct()
    )
    used: dict[int, int] = dict.fromkeys(project_ids, 0)
    for project_id, _, size in rows:
        used[project_id] += size
    return used


def quota_json(project: Project, used: int) -> dict[str, Any]:
    return {
        "id": project.pk,
        "ref": {
            "id": project.pk,
            "name": project.name,
            "owner_name": project.owner.username if project.owner else "",
        },
        "hard": {"storage": project.storage_limit},
        "used": {"storage": used},
        "creation_time": project.created_at,
        "update_time": project.updated_at,
    }


class QuotaListView(HarborAPIView):
    sort_fields = {"creation_time": "created_at", "id": "id", "name": "name"}
    default_ordering = ["id"]

    @extend_schema(
        tags=["quota"],
        operation_id="listQuotas",
        summary="Every project's quota (system administrators)",
        parameters=[
            *paging(query=False),
            OpenApiParameter("reference", str, description="Accepted for Harbor's clients: always project."),
            OpenApiParameter("reference_id", int, description="Only the quota of this project id."),
        ],
        responses={**ok(QuotaSerializer(many=True)), **errors(400, 403)},
    )
    def get(self, request: Request) -> Response:
        require(request, Action.LIST, Resource.QUOTA)
        projects = Project.objects.select_related("owner")
        reference_id = query_int(request, "reference_id")
        if reference_id is not None:
            projects = projects.filter(pk=reference_id)

        def serialize(page: list[Project]) -> list[dict[str, Any]]:
            used = storage_used([project.pk for project in page])
            return [quota_json(project, used[project.pk]) for project in page]

        return self.paged(request, self.filtered(request, projects), serialize)


@extend_schema_view(
    get=extend_schema(
        operation_id="getQuota",
        summary="A project's quota (the quota id is the project's id)",
        responses={**ok(QuotaSerializer), **errors(403, 404)},
    ),
    put=extend_schema(
        operation_id="updateQuota",
        summary="Set a project's storage limit (system administrators; -1: unlimited)",
        request=QuotaUpdateSerializer,
        responses={**ok(), **errors(400, 403, 404)},
    ),
)
@extend_schema(tags=["quota"], parameters=[path_id("quota_id", "The quota's id: its project's id.")])
class QuotaView(HarborAPIView):
    def get(self, request: Request, quota_id: int) -> Response:
        project = Project.objects.select_related("owner").filter(pk=quota_id).first()
        if project is None:
            require(request, Action.LIST, Resource.QUOTA)
            raise NotFound(f"quota {quota_id} not found")
        require(request, Action.READ, Resource.QUOTA, project)
        return Response(quota_json(project, storage_used([project.pk])[project.pk]))

    def put(self, request: Request, quota_id: int) -> Response:
        """`{"hard": {"storage": N}}`: system administrators only (-1: unlimited)."""
        require(request, Action.UPDATE, Resource.QUOTA)
        project = Project.objects.filter(pk=quota_id).first()
        if project is None:
            raise NotFound(f"quota {quota_id} not found")
        hard = request.data.get("hard") if isinstance(request.data, dict) else None
        storage = hard.get("storage") if isinstance(hard, dict) else None
        if not isinstance(storage, int) or isinstance(storage, bool) or storage < -1 or storage == 0:
            raise BadRequest("hard.storage must be a positive number of bytes, or -1 for unlimited")
        project.storage_limit = storage
        project.save(update_fields=["storage_limit", "updated_at"])
        return Response()
