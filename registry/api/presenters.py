"""The JSON of repositories, artifacts, tags and accessories, in the shape of Harbor's swagger
(and of the `harborapi` client's models).

`artifacts_json` loads what a page of artifacts needs (tags, index references,
accessories) in a fixed number of queries, whatever the page size.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from itertools import chain
from typing import Any

from django.utils import timezone
from rest_framework.request import Request

from projects.api_labels import label_json
from scanning.overview import overviews, reports_of
from signatures.models import Verdict
from signatures.verification import verdicts

from ..models import Artifact, ArtifactReference, Repository, Tag
from ..oci import accessories as accessory_types
from ..oci import mediatypes as mt
from ..services.accessories import Accessory, accessories_of
from ..services.charts import is_chart
from ..services.labels import labels_of
from ..services.metadata import fill_extra_attrs, is_image
from .base import flag

# Harbor's "never": a zero Go time, as its API prints it.
NEVER = "0001-01-01T00:00:00.000Z"
# Harbor's icon digests per artifact type (served by its /icons endpoint).
ICONS = {
    "IMAGE": "sha256:0048162a053eef4d4ce3fe7518615bef084403614f8bca43b40ae2e762e11e06",
    "CHART": "sha256:61cf3a178ff0f75bf08a25d96b75cf7355dc197749a9f128ed3ef34b0df05518",
    "CNAB": "sha256:089bdda265c14d8686111402c8ad629e8177a1ceb7dcd0f7f39b6480f623b3bd",
    "WASM": "sha256:badd7693bcaf115be202748241dd0ea6ee3b0524bfab9ac22d1e1c43721afec6",
}
DEFAULT_ICON = "sha256:da834479c923584f4cbcdecc0dac61f32bef1d51e8aae598cf16bd154efab49f"
_PLATFORM_FIELDS = ("architecture", "os", "os.version", "os.features", "variant")


def repository_json(repository: Repository) -> dict[str, Any]:
    """Needs `artifact_count` annotated (see `services.accessories.artifact_count`)."""
    return {
        "id": repository.pk,
        "project_id": repository.project_id,
        "name": repository.name,
        "description": repository.description,
        "artifact_count": repository.artifact_count,
        "pull_count": repository.pull_count,
        "creation_time": repository.created_at,
        "update_time": repository.updated_at,
    }


def tag_json(tag: Tag) -> dict[str, Any]:
    return {
        "id": tag.pk,
        "repository_id": tag.repository_id,
        "artifact_id": tag.artifact_id,
        "name": tag.name,
        "push_time": tag.push_time,
        "pull_time": tag.pull_time or NEVER,
        "immutable": False,  # no immutability rules yet
    }


def verification_json(verdict: Verdict | None) -> dict[str, Any] | None:
    if verdict is None:
        return None
    return {
        "verified": verdict.verified,
        "key": verdict.key_name,
        "reason": verdict.reason,
        "checked_at": verdict.checked_at or timezone.now(),
    }


def accessory_json(accessory: Accessory, verdicts: dict[int, Verdict] | None = None) -> dict[str, Any]:
    """Harbor keeps accessories in a table of their own; here the accessory's artifact id
    serves as the accessory's id. `verification` (ours) is the verdict on a signature
    against the project's trusted keys; null for other accessories or without keys."""
    artifact, subject = accessory.artifact, accessory.subject
    return {
        "id": artifact.pk,
        "artifact_id": artifact.pk,
        "subject_artifact_id": subject.pk,
        "subject_artifact_digest": subject.digest,
        "subject_artifact_repo": subject.repository.name,
        "size": artifact.manifest_size,
        "digest": artifact.digest,
        "type": accessory.type,
        "icon": accessory_types.ICONS.get(accessory.type, ""),
        "creation_time": artifact.push_time,
        "verification": verification_json((verdicts or {}).get(artifact.pk)),
    }


@dataclass(frozen=True, slots=True)
class ArtifactOptions:
    """The `with_*` flags of the artifact endpoints, with Harbor's defaults."""

    with_tag: bool = True
    with_label: bool = False
    with_accessory: bool = True
    with_scan_overview: bool = False
    with_sbom_overview: bool = False

    @classmethod
    def from_request(cls, request: Request) -> ArtifactOptions:
        return cls(
            with_tag=flag(request, "with_tag", True),
            with_label=flag(request, "with_label", False),
            with_accessory=flag(request, "with_accessory", True),
            with_scan_overview=flag(request, "with_scan_overview", False),
            with_sbom_overview=flag(request, "with_sbom_overview", False),
        )


def addition_links(artifact: Artifact, repository: Repository) -> dict[str, Any]:
    """Images link their build history, charts their values, README and dependencies; the
    repository part is encoded twice as Harbor does."""
    if is_image(artifact):
        names = ["build_history"]
    elif is_chart(artifact):
        names = ["values.yaml", "readme.md", "dependencies"]
    else:
        return {}
    project, _, rest = repository.name.partition("/")
    base = (
        f"/api/v2.0/projects/{project}/repositories/{rest.replace('/', '%252F')}"
        f"/artifacts/{artifact.digest}/additions"
    )
    return {name: {"href": f"{base}/{name}", "absolute": False} for name in names}


def _descriptors(artifact: Artifact) -> dict[str, dict[str, Any]]:
    """An index's child descriptors by digest (for their annotations and urls)."""
    try:
        document = json.loads(bytes(artifact.content))
    except ValueError:
        return {}
    manifests = document.get("manifests") if isinstance(document, dict) else None
    if not isinstance(manifests, list):
        return {}
    return {m["digest"]: m for m in manifests if isinstance(m, dict) and isinstance(m.get("digest"), str)}


def _references(parents: list[Artifact]) -> dict[int, list[dict[str, Any]]]:
    """The children of each index in the page, in one query."""
    indexes = [artifact for artifact in parents if artifact.media_type in mt.INDEXES]
    if not indexes:
        return {}
    rows = ArtifactReference.objects.filter(parent__in=indexes).order_by("id")
    found: dict[int, list[dict[str, Any]]] = {}
    descriptors = {artifact.pk: _descriptors(artifact) for artifact in indexes}
    for parent_id, child_id, digest, platform in rows.values_list(
        "parent_id", "child_id", "child__digest", "platform"
    ):
        descriptor = descriptors[parent_id].get(digest, {})
        reference: dict[str, Any] = {"parent_id": parent_id, "child_id": child_id, "child_digest": digest}
        if platform:
            reference["platform"] = {key: platform[key] for key in _PLATFORM_FIELDS if key in platform}
        if descriptor.get("annotations"):
            reference["annotations"] = descriptor["annotations"]
        if descriptor.get("urls"):
            reference["urls"] = descriptor["urls"]
        found.setdefault(parent_id, []).append(reference)
    return found


def _tags(artifacts: list[Artifact]) -> dict[int, list[Tag]]:
    found: dict[int, list[Tag]] = {}
    for tag in Tag.objects.filter(artifact__in=artifacts).order_by("-push_time", "-id"):
        found.setdefault(tag.artifact_id, []).append(tag)
    return found


def artifacts_json(artifacts: list[Artifact], options: ArtifactOptions) -> list[dict[str, Any]]:
    """Artifact JSON for a page of artifacts, of one repository or many. Their repositories must
    be loaded already (`select_related`), so that nothing is fetched per artifact."""
    fill_extra_attrs(artifacts)
    references = _references(artifacts)
    tags = _tags(artifacts) if options.with_tag else {}
    accessories = accessories_of(artifacts) if options.with_accessory else {}
    labels = labels_of(artifacts) if options.with_label else {}
    # A page is of one project (one repository, or the project's artifact list).
    project_id = artifacts[0].repository.project_id if artifacts else 0
    checked = verdicts(project_id, chain.from_iterable(accessories.values()))
    reports = reports_of(artifacts) if options.with_scan_overview or options.with_sbom_overview else {}
    result = []
    for artifact in artifacts:
        body = _artifact_json(artifact, artifact.repository)
        body["references"] = references.get(artifact.pk, [])
        body["labels"] = [label_json(label) for label in labels.get(artifact.pk, [])]
        body["tags"] = [tag_json(tag) for tag in tags.get(artifact.pk, [])] if options.with_tag else None
        if options.with_accessory:
            body["accessories"] = [accessory_json(a, checked) for a in accessories.get(artifact.pk, [])]
        scan_overview, sbom_overview = overviews(reports.get(artifact.pk, []))
        if options.with_scan_overview and scan_overview:
            body["scan_overview"] = scan_overview
        if options.with_sbom_overview and sbom_overview:
            body["sbom_overview"] = sbom_overview
        result.append(body)
    return result


def _artifact_json(artifact: Artifact, repository: Repository) -> dict[str, Any]:
    return {
        "id": artifact.pk,
        "type": artifact.type,
        "media_type": artifact.artifact_media_type or artifact.media_type,
        "manifest_media_type": artifact.media_type,
        "artifact_type": artifact.descriptor_artifact_type,
        "project_id": repository.project_id,
        "repository_id": repository.pk,
        "repository_name": repository.name,
        "digest": artifact.digest,
        "size": artifact.size,
        "icon": ICONS.get(artifact.type, DEFAULT_ICON),
        "push_time": artifact.push_time,
        "pull_time": artifact.pull_time or NEVER,
        "extra_attrs": artifact.extra_attrs or {},
        "annotations": artifact.annotations or {},
        "addition_links": addition_links(artifact, repository),
    }
