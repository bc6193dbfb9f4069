"""Blob uploads: staging chunks, hashing as they stream, and committing atomically.

The digest is computed while the bytes arrive (the hash state is saved with the
upload after every chunk), so finishing an upload costs no second read in the
common case. A digest mismatch drops everything that was staged: a failed
upload leaves no blob behind.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import timedelta

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from ..models import Repository, Upload
from ..oci.digest import parse_digest
from ..oci.errors import BlobUploadInvalid, BlobUploadUnknown, DigestInvalid, RangeNotSatisfiable
from ..oci.hashing import ResumableHasher
from ..storage import blob_store
from .blobs import link_blob, record_blob

RUNNING_ALGORITHM = "sha256"
# Longer than any single request may run (gunicorn's timeout is 10 minutes).
WRITER_LEASE = timedelta(minutes=15)


def upload_range(offset: int) -> str:
    """The `Range` header of an upload: the inclusive range received so far (distribution's form)."""
    return f"0-{max(offset - 1, 0)}"


def start_upload(repository: Repository) -> Upload:
    upload = Upload(repository=repository)
    upload.storage_state = blob_store().start_upload(str(upload.id))
    upload.hash_state = ResumableHasher(RUNNING_ALGORITHM).state()
    upload.save(force_insert=True)
    return upload


def get_upload(repository_name: str, upload_id: str) -> Upload:
    try:
        key = uuid.UUID(upload_id)
    except ValueError:
        raise BlobUploadUnknown(detail={"upload": upload_id}) from None
    upload = (
        Upload.objects.select_related("repository").filter(pk=key, repository__name=repository_name).first()
    )
    if upload is None:
        raise BlobUploadUnknown(detail={"upload": upload_id})
    return upload


def parse_content_range(value: str) -> tuple[int, int]:
    """`<start>-<end>` (inclusive); a `bytes ` or `bytes=` prefix is tolerated."""
    text = value.strip()
    for prefix in ("bytes=", "bytes "):
        if text.startswith(prefix):
            text = text[len(prefix) :]
    start, sep, end = text.partition("-")
    if not sep or not start.isdigit() or not end.isdigit() or int(end) < int(start):
        raise RangeNotSatisfiable(f"invalid Content-Range {value!r}")
    return int(start), int(end)


@dataclass(frozen=True, slots=True)
class Chunk:
    """A piece of an upload as the request carries it."""

    body: Iterable[bytes]
    content_range: str | None = None
    content_length: int | None = None


@contextmanager
def sole_writer(upload: Upload) -> Iterator[None]:
    """Let one request at a time write the upload's staging, or refuse with 416.

    Two chunks at the same offset would both write the same staging bytes, and
    whichever finished last would win the bytes while the other might win the
    saved hash state. Claiming a lease on the row (one conditional UPDATE) before
    streaming makes that impossible; the lease expires on its own if a process
    dies mid-request. On success the caller's own last write releases it (the
    progress UPDATE, or deleting the row), so the lease costs one statement.
    """
    now = timezone.now()
    claimed = (
        Upload.objects.filter(pk=upload.pk, offset=upload.offset)
        .filter(Q(writer_until__isnull=True) | Q(writer_until__lt=now))
        .update(writer_until=now + WRITER_LEASE)
    )
    if not claimed:
        current = Upload.objects.filter(pk=upload.pk).first()
        if current is None:
            raise BlobUploadUnknown(detail={"upload": str(upload.pk)})
        raise RangeNotSatisfiable(
            "another request is writing this upload",
            headers={"Range": upload_range(current.offset), "Location": upload_location(upload)},
        )
    try:
        yield
    except BaseException:
        Upload.objects.filter(pk=upload.pk).update(writer_until=None)
        raise


def _hasher_for(upload: Upload) -> ResumableHasher | None:
    state = bytes(upload.hash_state or b"")
    if not state:
        return None  # lost (e.g. no libcrypto): the finish step re-reads the staged data
    try:
        return ResumableHasher(RUNNING_ALGORITHM, state)
    except ValueError:
        return None


def _check_start(upload: Upload, chunk: Chunk) -> None:
    """A chunk must start where the upload stands (out of order or repeated: 416)."""
    if not chunk.content_range:
        return
    start, end = parse_content_range(chunk.content_range)
    if start != upload.offset:
        raise RangeNotSatisfiable(
            f"chunk starts at {start}, the upload stands at {upload.offset}",
            headers={"Range": upload_range(upload.offset), "Location": upload_location(upload)},
        )
    if chunk.content_length is not None and chunk.content_length != end - start + 1:
        raise RangeNotSatisfiable("Content-Length does not match Content-Range")


def _write(upload: Upload, chunk: Chunk) -> None:
    """Stream the chunk into staging, hashing it on the way; updates `upload` in memory only."""
    hasher = _hasher_for(upload)

    def hashed(source: Iterable[bytes]) -> Iterator[bytes]:
        for piece in source:
            if hasher is not None:
                hasher.update(piece)
            yield piece

    state, written = blob_store().append_upload(
        str(upload.id), upload.storage_state, upload.offset, hashed(chunk.body)
    )
    if chunk.content_length is not None and written != chunk.content_length:
        raise BlobUploadInvalid(f"received {written} bytes, expected {chunk.content_length}")
    upload.offset += written
    upload.storage_state = state
    upload.hash_state = hasher.state() if hasher is not None else b""


def append_chunk(upload: Upload, chunk: Chunk) -> Upload:
    """Write one chunk at the end of the upload and record the progress."""
    _check_start(upload, chunk)
    with sole_writer(upload):
        _write(upload, chunk)
        Upload.objects.filter(pk=upload.pk).update(
            offset=upload.offset,
            hash_state=upload.hash_state,
            storage_state=upload.storage_state,
            updated_at=timezone.now(),
            writer_until=None,
        )
    return upload


def upload_location(upload: Upload) -> str:
    return f"/v2/{upload.repository.name}/blobs/uploads/{upload.id}"


def _staged_digest(upload: Upload, algorithm: str) -> str:
    hasher = _hasher_for(upload) if algorithm == RUNNING_ALGORITHM else None
    if hasher is not None:
        return hasher.hexdigest()
    rehash = hashlib.new(algorithm)
    for piece in blob_store().read_upload(str(upload.id), upload.storage_state):
        rehash.update(piece)
    return rehash.hexdigest()


def finish_upload(upload: Upload, digest: str, last_chunk: Chunk | None = None) -> str:
    """Take the last chunk if any, verify the whole upload against `digest`, and make it a
    blob of the repository. On a mismatch the staged bytes and the upload are dropped and
    DigestInvalid raised: a failed upload leaves nothing behind.
    """
    try:
        expected = parse_digest(digest)
    except DigestInvalid:
        cancel_upload(upload)
        raise
    if last_chunk is not None:
        _check_start(upload, last_chunk)
    store = blob_store()
    with sole_writer(upload):
        if last_chunk is not None:
            _write(upload, last_chunk)
        upload.storage_state = store.finish_upload(str(upload.id), upload.storage_state, upload.offset)
        actual = _staged_digest(upload, expected.algorithm)
        if actual != expected.encoded:
            cancel_upload(upload)
            raise DigestInvalid(
                f"provided digest {digest} did not match uploaded content ({expected.algorithm}:{actual})",
                detail={"digest": digest},
            )
        store.commit_upload(str(upload.id), upload.storage_state, digest)
        with transaction.atomic():
            link_blob(upload.repository, record_blob(digest, upload.offset))
            Upload.objects.filter(pk=upload.pk).delete()
    return digest


def cancel_upload(upload: Upload) -> None:
    blob_store().abort_upload(str(upload.id), upload.storage_state)
    Upload.objects.filter(pk=upload.pk).delete()
