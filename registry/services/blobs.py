"""Blobs as a repository sees them: linked (readable) or not."""

from __future__ import annotations

from ..models import Blob, Repository, RepositoryBlob
from ..oci.errors import BlobUnknown
from .compiled import CompiledQuery

_LINKED_BLOB_SIZE = CompiledQuery(
    lambda name, digest: RepositoryBlob.objects.filter(
        repository__name=name, blob__digest=digest
    ).values_list("blob__size")[:1],
    arity=2,
)


def linked_blob_size(repository_name: str, digest: str) -> int:
    """Size of a blob readable from the repository; one query, BlobUnknown otherwise."""
    row = _LINKED_BLOB_SIZE.first(repository_name, digest)
    if row is None:
        raise BlobUnknown(detail={"digest": digest})
    return row[0]


def record_blob(digest: str, size: int) -> Blob:
    blob, _ = Blob.objects.get_or_create(digest=digest, defaults={"size": size})
    return blob


def link_blob(repository: Repository, blob: Blob) -> None:
    """Make the blob readable from the repository (idempotent)."""
    RepositoryBlob.objects.bulk_create(
        [RepositoryBlob(repository=repository, blob=blob)], ignore_conflicts=True
    )


def mount_blob(source_name: str, target: Repository, digest: str) -> bool:
    """Link a blob that `source_name` can read into `target`; False when the source lacks it."""
    blob = Blob.objects.filter(digest=digest, repository_links__repository__name=source_name).first()
    if blob is None:
        return False
    link_blob(target, blob)
    return True


def unlink_blob(repository_name: str, digest: str) -> None:
    """Remove the blob from the repository's view; the bytes stay until garbage collection."""
    deleted, _ = RepositoryBlob.objects.filter(repository__name=repository_name, blob__digest=digest).delete()
    if not deleted:
        raise BlobUnknown(detail={"digest": digest})
