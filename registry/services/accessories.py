"""Accessories: the artifacts that exist for another one (signatures, SBOMs...), found the
way Harbor finds them (see `oci.accessories`), and what artifact lists therefore hide."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from ..models import Artifact, ArtifactReference, Repository, Tag
from ..oci import accessories


@dataclass(frozen=True, slots=True)
class Accessory:
    """`artifact` exists for `subject` (a signature, an SBOM...) and is of Harbor type `type`."""

    artifact: Artifact
    subject: Artifact
    type: str


def _signature_tag() -> Q:
    return Q(name__startswith=accessories.COSIGN_TAG_PREFIX, name__endswith=accessories.COSIGN_TAG_SUFFIX)


def _shown(artifacts: QuerySet[Artifact], include_children: bool = False) -> QuerySet[Artifact]:
    """Harbor's list rule: no accessories; and, unless `include_children` (q `base=*`), an
    untagged manifest that an index lists is shown through the index only."""
    tags = Tag.objects.filter(artifact=OuterRef("pk"))
    artifacts = artifacts.filter(subject_digest="").exclude(Exists(tags.filter(_signature_tag())))
    if include_children:
        return artifacts
    in_index = Exists(ArtifactReference.objects.filter(child=OuterRef("pk")))
    return artifacts.filter(Exists(tags) | ~in_index)


def listed_artifacts(repository: Repository, include_children: bool = False) -> QuerySet[Artifact]:
    """The artifacts an artifact list of the repository shows (see `_shown`)."""
    return _shown(Artifact.objects.filter(repository=repository), include_children)


def artifact_count() -> Coalesce:
    """An annotation for repository querysets: how many artifacts a list of each would show."""
    shown = _shown(Artifact.objects.filter(repository=OuterRef("pk")))
    counts = shown.order_by().values("repository").annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counts), 0)


def is_accessory(artifact: Artifact) -> bool:
    if artifact.subject_digest:
        return True
    return any(accessories.cosign_subject(name) for name in artifact.tags.values_list("name", flat=True))


def accessories_of(repository: Repository, subjects: list[Artifact]) -> dict[int, list[Accessory]]:
    """The accessories of each subject (by artifact id), in two queries whatever the count."""
    by_digest = {subject.digest: subject for subject in subjects}
    found: dict[int, dict[int, Accessory]] = {subject.pk: {} for subject in subjects}
    referrers = Artifact.objects.filter(repository=repository, subject_digest__in=list(by_digest))
    for artifact in referrers.order_by("-push_time", "-id"):
        artifact.repository = repository
        subject = by_digest[artifact.subject_digest]
        kind = accessories.accessory_type(artifact.descriptor_artifact_type)
        found[subject.pk][artifact.pk] = Accessory(artifact, subject, kind)
    signature_tags = {accessories.cosign_tag(digest): digest for digest in by_digest}
    signature_tags.pop(None, None)
    tags = Tag.objects.filter(repository=repository, name__in=list(signature_tags)).select_related("artifact")
    for tag in tags:
        tag.artifact.repository = repository
        subject = by_digest[signature_tags[tag.name]]
        found[subject.pk].setdefault(tag.artifact_id, Accessory(tag.artifact, subject, accessories.COSIGN))
    return {subject_id: list(items.values()) for subject_id, items in found.items()}
