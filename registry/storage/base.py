"""The blob store interface every backend implements.

Small on purpose: the registry needs to stage an upload in pieces, turn it into
content at its digest's key, read content back, and delete it. Each method's
contract is written here once; `tests/registry/test_blob_store.py` runs one
suite against every backend.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from typing import Any, BinaryIO, Protocol

StorageState = dict[str, Any]


@dataclass(slots=True)
class BlobDownload:
    """How to hand a blob (or a byte range of it) to a client.

    Exactly one of `redirect_url` (the client fetches it elsewhere, e.g. a
    presigned S3 URL) and `file` (an open file positioned at the first byte
    to send, `length` bytes long) is set.
    """

    length: int
    redirect_url: str | None = None
    file: BinaryIO | None = None


class BlobStore(Protocol):
    def blob_size(self, digest: str) -> int | None:
        """Size of committed content, or None when the store does not hold it."""

    def download(self, digest: str, start: int = 0, length: int | None = None) -> BlobDownload:
        """Open committed content for sending, from `start`, `length` bytes (None: to the end)."""

    def read_blob(self, digest: str) -> Iterator[bytes]:
        """Yield committed content in large chunks (for re-hashing and replication)."""

    def delete_blob(self, digest: str) -> None:
        """Remove committed content; absent content is not an error."""

    def start_upload(self, upload_id: str) -> StorageState:
        """Prepare staging for a new upload and return the state to keep with it."""

    def append_upload(
        self, upload_id: str, state: StorageState, offset: int, chunks: Iterable[bytes]
    ) -> tuple[StorageState, int]:
        """Write `chunks` at byte `offset` of the staged data; return (new state, bytes written).

        Writing at `offset` (not blindly appending) makes a retried chunk after a
        failed request overwrite the bytes of the failed one.
        """

    def finish_upload(self, upload_id: str, state: StorageState, size: int) -> StorageState:
        """Seal the staged data at exactly `size` bytes so it can be read back and committed."""

    def read_upload(self, upload_id: str, state: StorageState) -> Iterator[bytes]:
        """Yield the sealed staged data (used when the running hash could not be resumed)."""

    def commit_upload(self, upload_id: str, state: StorageState, digest: str) -> None:
        """Make sealed staged data the content of `digest`, atomically, and drop the staging.

        If the store already holds that digest the staging is simply dropped.
        """

    def abort_upload(self, upload_id: str, state: StorageState) -> None:
        """Drop everything staged for the upload; nothing of it remains."""
