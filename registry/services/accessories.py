"""Accessories: the artifacts that exist for another one (signatures, SBOMs...), found the
way Harbor finds them (see `oci.accessories`), and what artifact lists therefore hide."""

from __future__ import annotations

from dataclasses import dataclass

from django.db.models import Count, Exists, OuterRef, Q, QuerySet, Subquery
from django.db.models.functions import Coalesce

from projects.models import Project

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


def listed_in_project(project: Project, include_children: bool = False) -> QuerySet[Artifact]:
    """The artifacts the project's artifact list shows: every repository's, by the same rule."""
    return _shown(Artifact.objects.filter(repository__project=project), include_children)


def artifact_count() -> Coalesce:
    """An annotation for repository querysets: how many artifacts a list of each would show."""
    shown = _shown(Artifact.objects.filter(repository=OuterRef("pk")))
    counts = shown.order_by().values("repository").annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counts), 0)


def is_accessory(artifact: Artifact) -> bool:
    if artifact.subject_digest:
        return True
    return any(accessories.cosign_subject(name) for name in artifact.tags.values_list("name", flat=True))


def accessories_of(subjects: list[Artifact]) -> dict[int, list[Accessory]]:
    """The accessories of each subject (by artifact id), in two queries whatever the count,
    for subjects of one repository or of many (an accessory lives in its subject's repository).
    Each subject's `repository` should be loaded already: accessories are given the same one."""
    by_key = {(subject.repository_id, subject.digest): subject for subject in subjects}
    found: dict[int, dict[int, Accessory]] = {subject.pk: {} for subject in subjects}
    if not subjects:
        return {}
    repositories = {subject.repository_id for subject in subjects}
    digests = {subject.digest for subject in subjects}
    referrers = Artifact.objects.filter(repository_id__in=repositories, subject_digest__in=digests)
    for artifact in referrers.order_by("-push_time", "-id"):
        subject = by_key.get((artifact.repository_id, artifact.subject_digest))
        if subject is None:  # a referrer of a same-digest artifact in another repository of the page
            continue
        artifact.repository = subject.repository
        kind = accessories.accessory_type(artifact.descriptor_artifact_type)
        found[subject.pk][artifact.pk] = Accessory(artifact, subject, kind)
    signature_tags = {accessories.cosign_tag(digest): digest for digest in digests}
    signature_tags.pop(None, None)
    tags = Tag.objects.filter(repository_id__in=repositories, name__in=list(signature_tags)).select_related(
        "artifact"
    )
    for tag in tags:
        subject = by_key.get((tag.repository_id, signature_tags[tag.name]))
        if subject is None:
            continue
        tag.artifact.repository = subject.repository
        found[subject.pk].setdefault(tag.artifact_id, Accessory(tag.artifact, subject, accessories.COSIGN))
    return {subject_id: list(items.values()) for subject_id, items in found.items()}
