"""Tag lists, the catalog and referrers: sorted, paged with `n`/`last`, from the database."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from django.db.models import Exists, OuterRef, QuerySet

from ..models import Artifact, Repository, Tag
from ..oci import mediatypes as mt
from ..oci.errors import BadRequest
from .repositories import get_repository


@dataclass(frozen=True, slots=True)
class Page:
    items: list[str]
    next_last: str | None  # the `last` of the next page, None when this is the end


def parse_page_size(value: str | None) -> int | None:
    if value is None or value == "":
        return None
    if not value.isdigit():
        raise BadRequest(f"n must be a non-negative integer, not {value!r}")
    return int(value)


def _page(names: QuerySet[Any], field: str, n: int | None, last: str | None) -> Page:
    if last:
        names = names.filter(**{f"{field}__gt": last})
    names = names.order_by(field).values_list(field, flat=True)
    if n is None:
        return Page(list(names), None)
    if n == 0:
        return Page([], None)
    items = list(names[: n + 1])
    more = len(items) > n
    items = items[:n]
    return Page(items, items[-1] if more else None)


def tag_page(repository_name: str, n: int | None, last: str | None) -> Page:
    repository = get_repository(repository_name)
    return _page(Tag.objects.filter(repository=repository), "name", n, last)


def catalog_page(n: int | None, last: str | None) -> Page:
    """Repositories that hold at least one artifact, by name."""
    populated = Repository.objects.filter(Exists(Artifact.objects.filter(repository=OuterRef("pk"))))
    return _page(populated, "name", n, last)


def referrers(repository_name: str, subject_digest: str, artifact_type: str | None) -> list[dict[str, Any]]:
    """Descriptors of the manifests in the repository whose subject is `subject_digest`."""
    repository = get_repository(repository_name)
    rows = Artifact.objects.filter(repository=repository, subject_digest=subject_digest)
    if artifact_type:
        rows = rows.filter(descriptor_artifact_type=artifact_type)
    descriptors = []
    for digest, media_type, size, kind, notes in rows.order_by("digest").values_list(
        "digest", "media_type", "manifest_size", "descriptor_artifact_type", "annotations"
    ):
        descriptor: dict[str, Any] = {"mediaType": media_type, "digest": digest, "size": size}
        if kind:
            descriptor["artifactType"] = kind
        if notes:
            descriptor["annotations"] = notes
        descriptors.append(descriptor)
    return descriptors


def referrers_index(descriptors: list[dict[str, Any]]) -> dict[str, Any]:
    return {"schemaVersion": 2, "mediaType": mt.OCI_INDEX, "manifests": descriptors}
