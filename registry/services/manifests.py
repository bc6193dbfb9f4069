"""Pushing, reading and deleting manifests.

A push is validated completely (size, JSON shape, digest, every referenced blob
and child manifest) before anything is written, and written in one
transaction, so a failed push never disturbs the tag that was there before.
"""

from __future__ import annotations

import hashlib
import json
from dataclasses import dataclass, field

from django.db import transaction
from django.utils import timezone

from events.bus import publish
from events.domain import ArtifactPushed

from ..models import Artifact, ArtifactBlob, ArtifactReference, Blob, Repository, Tag
from ..oci.digest import looks_like_digest, parse_digest
from ..oci.errors import (
    DigestInvalid,
    ManifestBlobUnknown,
    ManifestTooLarge,
    ManifestUnknown,
)
from ..oci.manifest import MAX_MANIFEST_BYTES, Manifest, classify, parse_manifest
from ..oci.names import is_valid_tag, validate_tag
from .compiled import CompiledQuery
from .deletion import delete_artifact
from .repositories import get_repository


@dataclass(frozen=True, slots=True)
class StoredManifest:
    digest: str
    media_type: str
    content: bytes
    artifact_id: int = 0
    # The project's metadata, read in the same query: the pull policies (signatures...)
    # decide from it without a query of their own when they are off.
    project_metadata: dict[str, str] = field(default_factory=dict)


def _content_digest(content: bytes, reference: str) -> str:
    """The digest the manifest is stored under: the reference's, verified, else sha256."""
    if looks_like_digest(reference):
        wanted = parse_digest(reference)
        actual = hashlib.new(wanted.algorithm, content).hexdigest()
        if actual != wanted.encoded:
            raise DigestInvalid(
                f"manifest digest {wanted.algorithm}:{actual} does not match reference {reference}",
                detail={"digest": reference},
            )
        return reference
    validate_tag(reference)
    return "sha256:" + hashlib.sha256(content).hexdigest()


def _referenced_blobs(repository: Repository, manifest: Manifest) -> list[Blob]:
    wanted = {descriptor.digest for descriptor in manifest.blob_references}
    if not wanted:
        return []
    blobs = list(Blob.objects.filter(digest__in=wanted, repository_links__repository=repository))
    missing = wanted - {blob.digest for blob in blobs}
    if missing:
        first = sorted(missing)[0]
        raise ManifestBlobUnknown(
            f"blob {first} is not in repository {repository.name}", detail={"digest": first}
        )
    return blobs


def _referenced_children(repository: Repository, manifest: Manifest) -> dict[str, Artifact]:
    wanted = {descriptor.digest for descriptor in manifest.manifests}
    if not wanted:
        return {}
    children = {a.digest: a for a in Artifact.objects.filter(repository=repository, digest__in=wanted)}
    missing = wanted - set(children)
    if missing:
        first = sorted(missing)[0]
        raise ManifestBlobUnknown(
            f"manifest {first} is not in repository {repository.name}", detail={"digest": first}
        )
    return children


def push_manifest(
    repository: Repository, reference: str, content: bytes, content_type: str, operator: str = ""
) -> Artifact:
    """Store a manifest under a tag or digest; returns the artifact (new or existing)."""
    if len(content) > MAX_MANIFEST_BYTES:
        raise ManifestTooLarge(f"manifest is {len(content)} bytes; the limit is {MAX_MANIFEST_BYTES}")
    digest = _content_digest(content, reference)
    manifest = parse_manifest(content, content_type)
    with transaction.atomic():
        blobs = _referenced_blobs(repository, manifest)
        children = _referenced_children(repository, manifest)
        artifact = Artifact.objects.filter(repository=repository, digest=digest).first()
        if artifact is None:
            artifact = Artifact.objects.create(
                repository=repository,
                digest=digest,
                media_type=manifest.media_type,
                artifact_type=manifest.artifact_type,
                descriptor_artifact_type=manifest.descriptor_artifact_type,
                type=classify(manifest),
                artifact_media_type=manifest.artifact_media_type,
                content=content,
                manifest_size=len(content),
                size=len(content)
                + sum(blob.size for blob in blobs)
                + sum(child.size for child in children.values()),
                subject_digest=manifest.subject.digest if manifest.subject else "",
                annotations=manifest.annotations,
            )
            ArtifactBlob.objects.bulk_create([ArtifactBlob(artifact=artifact, blob=b) for b in blobs])
            ArtifactReference.objects.bulk_create(
                [
                    ArtifactReference(parent=artifact, child=children[d.digest], platform=d.platform)
                    for d in {d.digest: d for d in manifest.manifests}.values()
                ]
            )
        if not looks_like_digest(reference):
            Tag.objects.update_or_create(
                repository=repository,
                name=reference,
                defaults={"artifact": artifact, "push_time": timezone.now()},
            )
        Repository.objects.filter(pk=repository.pk).update(updated_at=timezone.now())
        tag = "" if looks_like_digest(reference) else reference
        publish(ArtifactPushed(operator, repository.project_id, repository.name, artifact.digest, tag))
    return artifact


_COLUMNS = ("digest", "media_type", "content", "id")
_MANIFEST_BY_DIGEST = CompiledQuery(
    lambda name, digest: Artifact.objects.filter(repository__name=name, digest=digest).values_list(
        *_COLUMNS, "repository__project__metadata"
    )[:1],
    arity=2,
)
_MANIFEST_BY_TAG = CompiledQuery(
    lambda name, tag: Tag.objects.filter(repository__name=name, name=tag).values_list(
        *(f"artifact__{column}" for column in _COLUMNS), "repository__project__metadata"
    )[:1],
    arity=2,
)


def _metadata(value: object) -> dict[str, str]:
    """A JSON column as the raw cursor gives it: text on SQLite, decoded on PostgreSQL."""
    if isinstance(value, str | bytes):
        value = json.loads(value)
    return value if isinstance(value, dict) else {}


def get_manifest(repository_name: str, reference: str) -> StoredManifest:
    """One indexed query by tag or by digest; NAME_UNKNOWN/MANIFEST_UNKNOWN when absent."""
    if looks_like_digest(reference):
        parse_digest(reference)
        row = _MANIFEST_BY_DIGEST.first(repository_name, reference)
    elif is_valid_tag(reference):
        row = _MANIFEST_BY_TAG.first(repository_name, reference)
    else:
        row = None  # no tag can have this name: as unknown as any other (the spec wants 404)
    if row is None:
        get_repository(repository_name)  # NAME_UNKNOWN when the repository itself is missing
        raise ManifestUnknown(
            f"manifest {reference} not found in {repository_name}", detail={"reference": reference}
        )
    digest, media_type, content, artifact_id, metadata = row
    return StoredManifest(digest, media_type, bytes(content), artifact_id, _metadata(metadata))


def delete_manifest(repository_name: str, reference: str, operator: str = "") -> None:
    """Delete a tag (by tag), or an artifact with its tags, accessories and untagged children
    (by digest, as Harbor's artifact delete)."""
    repository = get_repository(repository_name)
    if not looks_like_digest(reference):
        deleted, _ = Tag.objects.filter(repository=repository, name=reference).delete()
        if not deleted:
            raise ManifestUnknown(f"tag {reference} not found in {repository_name}")
        return
    parse_digest(reference)
    artifact = Artifact.objects.filter(repository=repository, digest=reference).first()
    if artifact is None:
        raise ManifestUnknown(f"manifest {reference} not found in {repository_name}")
    artifact.repository = repository
    delete_artifact(artifact, operator)
