"""Artifacts as Harbor's REST API works on them: finding one by reference, copying between
repositories (with children, accessories and tags), and tags.

Errors are the registry's own (`oci.errors`); each interface renders them its way.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction
from django.utils import timezone

from projects.models import Project

from ..models import Artifact, ArtifactBlob, ArtifactReference, Repository, RepositoryBlob, Tag
from ..oci.digest import looks_like_digest, parse_digest
from ..oci.errors import Denied, ManifestUnknown, RegistryError
from ..oci.names import validate_repository_name, validate_tag
from .accessories import accessories_of, is_accessory
from .manifests import push_manifest
from .repositories import ensure_repository


class Conflict(RegistryError):
    code, status, message = "CONFLICT", 409, "the resource already exists"


def find_artifact(repository: Repository, reference: str) -> Artifact:
    """The artifact a tag or digest names in the repository; MANIFEST_UNKNOWN (404) otherwise."""
    if looks_like_digest(reference):
        parse_digest(reference)
        artifact = Artifact.objects.filter(repository=repository, digest=reference).first()
    else:
        tag = Tag.objects.filter(repository=repository, name=reference).select_related("artifact").first()
        artifact = tag.artifact if tag else None
    if artifact is None:
        separator = "@" if looks_like_digest(reference) else ":"
        raise ManifestUnknown(f"artifact {repository.name}{separator}{reference} not found")
    artifact.repository = repository
    return artifact


def copy_artifact(source: Artifact, project: Project, target_name: str, operator: str = "") -> Artifact:
    """Copy `source` (with its children, accessories and tags) into the repository
    `target_name` of `project`, created when missing. An accessory is not copied alone."""
    validate_repository_name(target_name)
    if is_accessory(source):
        raise Denied("the operation isn't supported for an artifact accessory")
    with transaction.atomic():
        target = ensure_repository(target_name, project)
        return _copy_deeply(source, target, operator, root=True)


def _copy_deeply(source: Artifact, target: Repository, operator: str, root: bool) -> Artifact:
    copied = Artifact.objects.filter(repository=target, digest=source.digest).first()
    if copied is not None and not root:
        return copied
    if copied is None:
        for reference in ArtifactReference.objects.filter(parent=source).select_related("child"):
            reference.child.repository = source.repository
            _copy_deeply(reference.child, target, operator, root=False)
        copied = _copy_one(source, target, operator)
        for accessory in accessories_of([source])[source.pk]:
            _copy_deeply(accessory.artifact, target, operator, root=False)
    for name in source.tags.values_list("name", flat=True):
        Tag.objects.update_or_create(
            repository=target, name=name, defaults={"artifact": copied, "push_time": timezone.now()}
        )
    return copied


def _copy_one(source: Artifact, target: Repository, operator: str) -> Artifact:
    """Make the source's blobs readable from the target, then push the same manifest there
    (which checks it as any push is checked)."""
    blob_ids = ArtifactBlob.objects.filter(artifact=source).values_list("blob_id", flat=True)
    RepositoryBlob.objects.bulk_create(
        [RepositoryBlob(repository=target, blob_id=blob_id) for blob_id in blob_ids], ignore_conflicts=True
    )
    return push_manifest(target, source.digest, bytes(source.content), source.media_type, operator)


def create_tag(artifact: Artifact, name: str) -> Tag:
    """Tag the artifact; a tag of that name anywhere in the repository is a conflict (409)."""
    validate_tag(name)
    repository = artifact.repository
    if Tag.objects.filter(repository=repository, name=name).exists():
        raise Conflict(f"tag {name} already exists in the repository {repository.name}")
    try:
        with transaction.atomic():
            return Tag.objects.create(repository=repository, artifact=artifact, name=name)
    except IntegrityError:  # created by someone else since the check
        raise Conflict(f"tag {name} already exists in the repository {repository.name}") from None


def delete_tag(artifact: Artifact, name: str) -> None:
    """Remove a tag of this artifact (a tag of another artifact is not found here)."""
    deleted, _ = Tag.objects.filter(artifact=artifact, name=name).delete()
    if not deleted:
        raise ManifestUnknown(f"tag {name} attached to artifact {artifact.pk} not found")
