"""`/projects/{project_name_or_id}/trusted-keys[/{key_id}]`: an extension of this server,
not Harbor's. Project admins (and system administrators) add and remove keys; every role
but limitedGuest may read them (`projects.rbac`, resource `trusted-key`)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api.errors import BadRequest, Conflict, NotFound
from harbor_site.api.permissions import require
from harbor_site.api.schema import LOCATION, PROJECT_PATH, errors, ok, paging, path_id
from harbor_site.api.views import HarborAPIView, project_from_path
from projects.models import Project
from projects.rbac import Action, Resource

from .api_schema import TrustedKeyRequestSerializer, TrustedKeySerializer
from .keys import InvalidKey
from .models import TrustedKey
from .services import KeyConflict, add_key, remove_key, validated_key


def key_json(key: TrustedKey) -> dict[str, Any]:
    return {
        "id": key.pk,
        "project_id": key.project_id,
        "name": key.name,
        "kind": key.kind,
        "algorithm": key.algorithm,
        "fingerprint": key.fingerprint,
        "subject": key.subject,
        "trusted_identity": key.trusted_identity,
        "description": key.description,
        "pem": key.pem,
        "creator": key.creator,
        "creation_time": key.created_at,
    }


@extend_schema_view(
    get=extend_schema(
        operation_id="listTrustedKeys",
        summary="The keys signatures in this project are verified against",
        parameters=paging(query=False, sort=False),
        responses={**ok(TrustedKeySerializer(many=True)), **errors(400, 403, 404)},
    ),
    post=extend_schema(
        operation_id="createTrustedKey",
        summary="Trust a cosign public key or a Notation CA certificate",
        description="Cached verification results of the project are dropped.",
        parameters=[LOCATION],
        request=TrustedKeyRequestSerializer,
        responses={**ok(status=201, description="Created"), **errors(400, 403, 404, 409)},
    ),
)
@extend_schema(tags=["trusted-key"], parameters=PROJECT_PATH)
class TrustedKeyListView(HarborAPIView):
    def get(self, request: Request, project_name_or_id: str) -> Response:
        project = project_from_path(request, project_name_or_id)
        require(request, Action.LIST, Resource.TRUSTED_KEY, project)
        keys = TrustedKey.objects.filter(project=project).order_by("id")
        return self.paged(request, keys, lambda page: [key_json(key) for key in page])

    def post(self, request: Request, project_name_or_id: str) -> Response:
        project = project_from_path(request, project_name_or_id)
        require(request, Action.CREATE, Resource.TRUSTED_KEY, project)
        data = TrustedKeyRequestSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        fields = data.validated_data
        try:
            key = validated_key(
                project, fields["name"], fields["kind"], fields["pem"], fields.get("trusted_identity", "")
            )
        except InvalidKey as exc:
            raise BadRequest(str(exc)) from None
        key.description = fields.get("description", "")
        try:
            add_key(request.user.username, key)
        except KeyConflict as exc:
            raise Conflict(str(exc)) from None
        location = f"/api/v2.0/projects/{project_name_or_id}/trusted-keys/{key.pk}"
        return Response(status=201, headers={"Location": location})


@extend_schema_view(
    get=extend_schema(
        operation_id="getTrustedKey",
        summary="One trusted key",
        responses={**ok(TrustedKeySerializer), **errors(403, 404)},
    ),
    delete=extend_schema(
        operation_id="deleteTrustedKey",
        summary="Stop trusting a key",
        description="Signatures that verified only with this key stop counting; cached results are dropped.",
        responses={**ok(), **errors(403, 404)},
    ),
)
@extend_schema(tags=["trusted-key"], parameters=[*PROJECT_PATH, path_id("key_id", "The key's id.")])
class TrustedKeyView(HarborAPIView):
    def _key(self, request: Request, project_name_or_id: str, key_id: int, action: Action) -> TrustedKey:
        project: Project = project_from_path(request, project_name_or_id)
        require(request, action, Resource.TRUSTED_KEY, project)
        key = TrustedKey.objects.filter(project=project, pk=key_id).select_related("project").first()
        if key is None:
            raise NotFound(f"trusted key {key_id} not found in project {project.name}")
        return key

    def get(self, request: Request, project_name_or_id: str, key_id: int) -> Response:
        return Response(key_json(self._key(request, project_name_or_id, key_id, Action.READ)))

    def delete(self, request: Request, project_name_or_id: str, key_id: int) -> Response:
        remove_key(request.user.username, self._key(request, project_name_or_id, key_id, Action.DELETE))
        return Response()
