"""What hangs off one artifact: `.../{reference}/tags[/{tag}]`, `.../accessories` and
`.../additions/{addition}`."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api.autoschema import sort_pattern
from harbor_site.api.errors import BadRequest
from harbor_site.api.permissions import require
from harbor_site.api.query import Field, parse_sort
from harbor_site.api.schema import errors, ok, paging
from harbor_site.api.validation import validated
from projects.rbac import Action, Resource
from scanning.overview import vulnerability_addition
from signatures.verification import verdicts

from ..models import Artifact, Tag
from ..services.accessories import Accessory, accessories_of
from ..services.artifacts import create_tag, delete_tag, find_artifact
from ..services.charts import CHART_FILES, chart_dependencies, chart_file, is_chart
from ..services.metadata import build_history, is_image
from .base import RegistryAPIView, full_repository_name, project_by_name, repository_by_name
from .presenters import accessory_json, tag_json
from .schema import (
    ADDITION,
    ADDITIONS,
    ARTIFACT_PATH,
    AccessorySerializer,
    TagRequestSerializer,
    TagSerializer,
)


class ArtifactChildView(RegistryAPIView):
    """Resolves the artifact of the path after asking for `action` on `resource`."""

    def artifact(
        self, request: Request, names: tuple[str, str, str], action: Action, resource: Resource
    ) -> Artifact:
        project_name, encoded, reference = names
        project = project_by_name(project_name)
        require(request, action, resource, project)
        return find_artifact(repository_by_name(full_repository_name(project, encoded)), reference)


class TagRequest(serializers.Serializer):
    name = serializers.CharField()


@extend_schema_view(
    get=extend_schema(
        operation_id="listTags",
        summary="The artifact's tags",
        parameters=paging(),
        responses={**ok(TagSerializer(many=True)), **errors(400, 403, 404)},
    ),
    post=extend_schema(
        operation_id="createTag",
        summary="Tag the artifact (the name must be free in the repository)",
        request=TagRequestSerializer,
        responses={**ok(status=201, description="Created"), **errors(400, 403, 404, 409)},
    ),
)
@extend_schema(tags=["artifact"], parameters=ARTIFACT_PATH)
class TagListView(ArtifactChildView):
    q_fields = {
        "name": Field("name"),
        "id": Field("id"),
        "push_time": Field("push_time"),
        "pull_time": Field("pull_time"),
    }
    sort_fields = {"name": "name", "id": "id", "push_time": "push_time", "pull_time": "pull_time"}
    default_ordering = ["-push_time", "-id"]

    def get(self, request: Request, project_name: str, repository_name: str, reference: str) -> Response:
        names = (project_name, repository_name, reference)
        artifact = self.artifact(request, names, Action.LIST, Resource.TAG)
        tags = self.filtered(request, Tag.objects.filter(artifact=artifact))
        return self.paged(request, tags, lambda page: [tag_json(tag) for tag in page])

    def post(self, request: Request, project_name: str, repository_name: str, reference: str) -> Response:
        names = (project_name, repository_name, reference)
        artifact = self.artifact(request, names, Action.CREATE, Resource.TAG)
        # harborapi's create_tag sends a whole Tag.
        read_only = ("id", "repository_id", "artifact_id", "push_time", "pull_time", "immutable")
        create_tag(artifact, validated(TagRequest, request, ignored=read_only)["name"])
        return Response(status=201)  # Harbor sends no Location: there is no endpoint for one tag


class TagView(ArtifactChildView):
    @extend_schema(
        operation_id="deleteTag",
        tags=["artifact"],
        summary="Remove a tag from the artifact",
        parameters=[
            *ARTIFACT_PATH,
            OpenApiParameter("tag_name", str, location=OpenApiParameter.PATH, description="The tag."),
        ],
        responses={**ok(), **errors(400, 403, 404)},
    )
    def delete(
        self, request: Request, project_name: str, repository_name: str, reference: str, tag_name: str
    ) -> Response:
        names = (project_name, repository_name, reference)
        delete_tag(self.artifact(request, names, Action.DELETE, Resource.TAG), tag_name)
        return Response()


_ACCESSORY_SORTS = {
    "creation_time": lambda a: a.artifact.push_time,
    "size": lambda a: a.artifact.manifest_size,
    "digest": lambda a: a.artifact.digest,
    "type": lambda a: a.type,
    "id": lambda a: a.artifact.pk,
}


class AccessoryListView(ArtifactChildView):
    """Accessories are found, not stored (see `services.accessories`), so `q` (`type`,
    `digest`) and `sort` apply here to the handful an artifact has."""

    @extend_schema(
        operation_id="listAccessories",
        tags=["artifact"],
        summary="The artifact's accessories (signatures, SBOMs, other referrers)",
        parameters=[
            *ARTIFACT_PATH,
            *paging(query=False, sort=False),
            OpenApiParameter("q", str, description="`type=...` and `digest=...` terms (`~` for contains)."),
            OpenApiParameter(
                "sort",
                str,
                pattern=sort_pattern(_ACCESSORY_SORTS),
                description=f"Comma-separated, `-field` descending: {', '.join(sorted(_ACCESSORY_SORTS))}.",
            ),
        ],
        responses={**ok(AccessorySerializer(many=True)), **errors(400, 403, 404)},
    )
    def get(self, request: Request, project_name: str, repository_name: str, reference: str) -> Response:
        names = (project_name, repository_name, reference)
        artifact = self.artifact(request, names, Action.LIST, Resource.ACCESSORY)
        found = accessories_of([artifact])[artifact.pk]
        found = _sorted(_matching(found, request.query_params.get("q", "")), request.query_params.get("sort"))
        checked = verdicts(artifact.repository.project_id, found)
        return self.paged(request, found, lambda page: [accessory_json(a, checked) for a in page])


def _matching(found: list[Accessory], q: str) -> list[Accessory]:
    for term in filter(None, q.split(",")):
        key, _, value = term.partition("=")
        fuzzy = value.startswith("~")
        value = value.removeprefix("~")
        if key.strip() not in ("type", "digest"):
            raise BadRequest(f"unknown query key {key!r}; known: digest, type")
        field = (lambda a: a.type) if key.strip() == "type" else (lambda a: a.artifact.digest)
        found = [a for a in found if (value in field(a) if fuzzy else field(a) == value)]
    return found


def _sorted(found: list[Accessory], sort: str | None) -> list[Accessory]:
    for item in reversed(parse_sort(sort, {key: key for key in _ACCESSORY_SORTS}, ["-creation_time"])):
        found = sorted(found, key=_ACCESSORY_SORTS[item.lstrip("-")], reverse=item.startswith("-"))
    return found


class AdditionView(ArtifactChildView):
    """An image's build history, a chart's values, README and dependencies; `vulnerabilities`:
    the scan reports of the project's scanner keyed by MIME type (`{}` when not scanned)."""

    @extend_schema(
        operation_id="getAddition",
        tags=["artifact"],
        summary="An addition of the artifact: an image's build history, a chart's values.yaml, "
        "readme.md or dependencies, or its vulnerability reports keyed by MIME type",
        parameters=[
            *ARTIFACT_PATH,
            OpenApiParameter(
                "addition",
                str,
                location=OpenApiParameter.PATH,
                enum=ADDITIONS,
                description="build_history for images; values.yaml, readme.md and dependencies for charts.",
            ),
        ],
        responses={
            (200, "application/json"): ADDITION,
            (200, "text/plain"): OpenApiTypes.STR,
            (200, "text/markdown"): OpenApiTypes.STR,
            **errors(400, 403, 404),
        },
    )
    def get(
        self, request: Request, project_name: str, repository_name: str, reference: str, addition: str
    ) -> HttpResponseBase:
        names = (project_name, repository_name, reference)
        artifact = self.artifact(request, names, Action.READ, Resource.ARTIFACT_ADDITION)
        if is_chart(artifact) and addition in CHART_FILES:
            return HttpResponse(chart_file(artifact, addition), content_type=_TEXT_TYPES[addition])
        return Response(_addition(artifact, addition))


# As Harbor answers them.
_TEXT_TYPES = {"values.yaml": "text/plain; charset=utf-8", "readme.md": "text/markdown; charset=utf-8"}


def _addition(artifact: Artifact, addition: str) -> Any:
    if addition == "vulnerabilities":
        return vulnerability_addition(artifact)
    if addition == "build_history" and is_image(artifact):
        return build_history(artifact)
    if addition == "dependencies" and is_chart(artifact):
        return chart_dependencies(artifact)
    raise BadRequest(f"addition {addition} isn't supported for {artifact.type} artifact {artifact.digest}")
