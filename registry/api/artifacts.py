"""`/projects/{p}/repositories/{r}/artifacts` (list, copy) and `.../artifacts/{reference}`
(read, delete)."""

from __future__ import annotations

from collections.abc import Callable
from urllib.parse import unquote

from django.db.models import Exists, OuterRef, QuerySet, Subquery
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api.errors import BadRequest
from harbor_site.api.permissions import require
from harbor_site.api.query import Field, filter_by_q, parse_sort, split_terms
from harbor_site.api.schema import LOCATION, PROJECT_PATH, errors, ok, paging
from harbor_site.api.views import project_from_path
from projects.models import Project
from projects.rbac import Action, Resource

from ..models import Artifact, ArtifactLabel, Repository, Tag
from ..oci.digest import parse_digest
from ..oci.names import validate_repository_name
from ..services.accessories import listed_artifacts, listed_in_project
from ..services.artifacts import copy_artifact, find_artifact
from ..services.deletion import delete_artifact
from .base import (
    RegistryAPIView,
    created,
    encoded_path,
    flag,
    full_repository_name,
    project_by_name,
    repository_by_name,
)
from .presenters import ArtifactOptions, artifacts_json
from .schema import ARTIFACT_FLAGS, ARTIFACT_PATH, REPOSITORY_PATH, ArtifactSerializer

# q terms Harbor gives a meaning of their own rather than a column match.
TAGGED, UNTAGGED, EVERYTHING = "tags=*", "tags=nil", "base=*"


def _special_terms(q: str) -> tuple[str, set[str], str | None]:
    """Split `tags=*`, `tags=nil`, `base=*` and `labels=...` off the rest of `q`; the labels
    value is returned on its own."""
    kept, special, labels = [], set(), None
    for term in split_terms(unquote(q)):
        stripped = term.strip()
        if stripped in (TAGGED, UNTAGGED, EVERYTHING):
            special.add(stripped)
        elif stripped.startswith("labels="):
            labels = stripped.removeprefix("labels=").strip()
        else:
            kept.append(term)
    return ",".join(kept), special, labels


def _label_filter(artifacts: QuerySet[Artifact], value: str) -> QuerySet[Artifact]:
    """`labels=3`, `labels=(3 4)` (all of them) or `labels={3 4}` (any of them), by label id
    (Harbor's documentation writes `(3, 4)`: commas are taken as spaces)."""
    every = value.startswith("(") and value.endswith(")")
    any_of = value.startswith("{") and value.endswith("}")
    items = value[1:-1].replace(",", " ").split() if every or any_of else [value]
    if not items or not all(item.isdigit() for item in items):
        raise BadRequest(f"invalid labels query {value!r}: use label ids, as 3, (3 4) or {{3 4}}")
    ids = [int(item) for item in items]
    if any_of:
        return artifacts.filter(
            Exists(ArtifactLabel.objects.filter(artifact=OuterRef("pk"), label_id__in=ids))
        )
    for label_id in ids:
        artifacts = artifacts.filter(
            Exists(ArtifactLabel.objects.filter(artifact=OuterRef("pk"), label_id=label_id))
        )
    return artifacts


def parse_source(value: str) -> tuple[str, str]:
    """`from=project/repo:tag` or `from=project/repo@sha256:...`: (repository, reference)."""
    name, at, digest = value.partition("@")
    if at:
        parse_digest(digest)
        name = name.rpartition(":")[0] if ":" in name else name
        reference = digest
    else:
        name, colon, reference = value.rpartition(":")
        if not colon or not reference:
            raise BadRequest(f"invalid input: {value!r}; use project/repository:tag or @digest")
    validate_repository_name(name)
    return name, reference


class ArtifactFilters:
    """The `q` keys and `sort` fields of artifact lists, for one repository or a whole project."""

    q_fields = {
        "digest": Field("digest"),
        "type": Field("type"),
        "media_type": Field("artifact_media_type"),
        "manifest_media_type": Field("media_type"),
        "artifact_type": Field("descriptor_artifact_type"),
        "size": Field("size"),
        "push_time": Field("push_time"),
        "pull_time": Field("pull_time"),
        "id": Field("id"),
        "tags": Field("tags__name"),
    }
    sort_fields = {
        "push_time": "push_time",
        "pull_time": "pull_time",
        "size": "size",
        "digest": "digest",
        "type": "type",
        "id": "id",
    }
    default_ordering = ["-push_time", "-id"]

    def filter_artifacts(
        self, request: Request, listed: Callable[[bool], QuerySet[Artifact]]
    ) -> QuerySet[Artifact]:
        """What `listed(include_children)` gives, cut down by `q` and ordered by `sort`."""
        q, special, labels = _special_terms(request.query_params.get("q", ""))
        artifacts = listed(EVERYTHING in special).select_related("repository")
        if labels is not None:
            artifacts = _label_filter(artifacts, labels)
        tagged = Exists(Tag.objects.filter(artifact=OuterRef("pk")))
        if TAGGED in special:
            artifacts = artifacts.filter(tagged)
        if UNTAGGED in special:
            artifacts = artifacts.exclude(tagged)
        artifacts = filter_by_q(artifacts, q, self.q_fields)
        if "tags=" in q:
            artifacts = artifacts.distinct()  # one row per artifact, however many tags match
        ordering = parse_sort(request.query_params.get("sort"), self.sort_fields, self.default_ordering)
        return artifacts.order_by(*ordering)


@extend_schema_view(
    get=extend_schema(
        operation_id="listArtifacts",
        summary="The repository's artifacts (an unknown repository lists none)",
        description=(
            "Besides the q keys below, Harbor's `tags=*` (tagged), `tags=nil` (untagged), `base=*` "
            "(index children too) and `labels=` with label ids: `3`, `(3 4)` (all) or `{3 4}` (any)."
        ),
        parameters=[*paging(), *ARTIFACT_FLAGS],
        responses={**ok(ArtifactSerializer(many=True)), **errors(400, 403, 404)},
    ),
    post=extend_schema(
        operation_id="copyArtifact",
        summary="Copy an artifact (with its children, accessories and tags) into this repository",
        parameters=[
            OpenApiParameter(
                "from",
                str,
                required=True,
                description="The source: `project/repository:tag` or `project/repository@sha256:...`.",
            ),
            LOCATION,
        ],
        request=None,
        responses={**ok(status=201, description="Created"), **errors(400, 403, 404, 409)},
    ),
)
@extend_schema(tags=["artifact"], parameters=REPOSITORY_PATH)
class ArtifactListView(ArtifactFilters, RegistryAPIView):
    def get(self, request: Request, project_name: str, repository_name: str) -> Response:
        project = project_by_name(project_name)
        require(request, Action.LIST, Resource.ARTIFACT, project)
        options = ArtifactOptions.from_request(request)
        repository = Repository.objects.filter(name=full_repository_name(project, repository_name)).first()
        if repository is None:  # Harbor lists nothing rather than answering 404
            return self.paged(request, [], lambda page: [])
        artifacts = self.filter_artifacts(request, lambda children: listed_artifacts(repository, children))
        return self.paged(request, artifacts, lambda page: artifacts_json(list(page), options))

    def post(self, request: Request, project_name: str, repository_name: str) -> Response:
        """Copy `from` into this repository: needs `artifact:create` here and `artifact:read` on
        the source's project, as in Harbor."""
        project = project_by_name(project_name)
        require(request, Action.CREATE, Resource.ARTIFACT, project)
        source_name, reference = parse_source(request.query_params.get("from", ""))
        require(request, Action.READ, Resource.ARTIFACT, self._source_project(source_name))
        source = find_artifact(repository_by_name(source_name), reference)
        target = full_repository_name(project, repository_name)
        copy_artifact(source, project, target, request.user.username)
        return created(f"{encoded_path(request).rstrip('/')}/{reference}")

    @staticmethod
    def _source_project(source_name: str) -> Project:
        return project_by_name(source_name.partition("/")[0])


@extend_schema_view(
    get=extend_schema(
        operation_id="getArtifact",
        summary="Read an artifact",
        parameters=ARTIFACT_FLAGS,
        responses={**ok(ArtifactSerializer), **errors(400, 403, 404)},
    ),
    delete=extend_schema(
        operation_id="deleteArtifact",
        summary="Delete an artifact with its tags and accessories",
        responses={**ok(), **errors(400, 403, 404, 412)},
    ),
)
@extend_schema(tags=["artifact"], parameters=ARTIFACT_PATH)
class ArtifactView(RegistryAPIView):
    def _artifact(
        self, request: Request, project_name: str, encoded: str, reference: str, action: Action
    ) -> Artifact:
        project = project_by_name(project_name)
        require(request, action, Resource.ARTIFACT, project)
        return find_artifact(repository_by_name(full_repository_name(project, encoded)), reference)

    def get(self, request: Request, project_name: str, repository_name: str, reference: str) -> Response:
        artifact = self._artifact(request, project_name, repository_name, reference, Action.READ)
        options = ArtifactOptions.from_request(request)
        return Response(artifacts_json([artifact], options)[0])

    def delete(self, request: Request, project_name: str, repository_name: str, reference: str) -> Response:
        artifact = self._artifact(request, project_name, repository_name, reference, Action.DELETE)
        delete_artifact(artifact, request.user.username)
        return Response()


LATEST_IN_REPOSITORY = OpenApiParameter(
    "latest_in_repository",
    bool,
    default=False,
    description="Only the latest pushed matching artifact of each repository; needs exactly one of "
    "`media_type` or `artifact_type` in `q`.",
)


@extend_schema_view(
    get=extend_schema(
        operation_id="listArtifactsOfProject",
        summary="The artifacts of every repository of the project",
        description="The same `q` terms as a repository's artifact list.",
        parameters=[*PROJECT_PATH, *paging(), *ARTIFACT_FLAGS, LATEST_IN_REPOSITORY],
        responses={**ok(ArtifactSerializer(many=True)), **errors(400, 403, 404)},
    ),
)
@extend_schema(tags=["artifact"])
class ProjectArtifactsView(ArtifactFilters, RegistryAPIView):
    def get(self, request: Request, project_name_or_id: str) -> Response:
        project = project_from_path(request, project_name_or_id)
        require(request, Action.LIST, Resource.ARTIFACT, project)
        options = ArtifactOptions.from_request(request)
        artifacts = self.filter_artifacts(request, lambda children: listed_in_project(project, children))
        if flag(request, "latest_in_repository", False):
            artifacts = self._latest_in_each_repository(request, artifacts)
        return self.paged(request, artifacts, lambda page: artifacts_json(list(page), options))

    @staticmethod
    def _latest_in_each_repository(request: Request, artifacts: QuerySet[Artifact]) -> QuerySet[Artifact]:
        """Harbor answers this only for one kind of artifact (charts, say), named by type."""
        keys = {
            term.partition("=")[0].strip() for term in split_terms(unquote(request.query_params.get("q", "")))
        }
        if len({"media_type", "artifact_type"} & keys) != 1:
            raise BadRequest(
                "either 'media_type' or 'artifact_type' must be specified, but not both, "
                "when querying with latest_in_repository"
            )
        newest = (
            artifacts.filter(repository=OuterRef("repository")).order_by("-push_time", "-id").values("pk")[:1]
        )
        return artifacts.filter(pk=Subquery(newest))
