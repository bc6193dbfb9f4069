"""The file-system blob store: the embedded default, and fine behind nginx in production."""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import BinaryIO

from .base import BlobDownload, StorageState
from .layout import blob_key, upload_data_key, upload_prefix

CHUNK_SIZE = 1024 * 1024


class FilesystemBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = Path(root)

    def _path(self, key: str) -> Path:
        return self.root / key

    def blob_size(self, digest: str) -> int | None:
        try:
            return self._path(blob_key(digest)).stat().st_size
        except FileNotFoundError:
            return None

    def blob_path(self, digest: str) -> Path:
        return self._path(blob_key(digest))

    def download(self, digest: str, start: int = 0, length: int | None = None) -> BlobDownload:
        handle = open(self.blob_path(digest), "rb")  # noqa: SIM115 - the response closes it
        size = os.fstat(handle.fileno()).st_size
        if start:
            handle.seek(start)
        if length is None or start + length >= size:
            # To the end: the open file itself, which WSGI servers can sendfile().
            return BlobDownload(length=size - start, file=handle)
        return BlobDownload(length=length, file=_Window(handle, length))

    def read_blob(self, digest: str) -> Iterator[bytes]:
        yield from _read_file(self.blob_path(digest))

    def delete_blob(self, digest: str) -> None:
        self.blob_path(digest).unlink(missing_ok=True)

    def start_upload(self, upload_id: str) -> StorageState:
        path = self._path(upload_data_key(upload_id))
        path.parent.mkdir(parents=True, exist_ok=True)
        path.touch()
        return {}

    def append_upload(
        self, upload_id: str, state: StorageState, offset: int, chunks: Iterable[bytes]
    ) -> tuple[StorageState, int]:
        written = 0
        with open(self._path(upload_data_key(upload_id)), "r+b") as handle:
            handle.seek(offset)
            for chunk in chunks:
                handle.write(chunk)
                written += len(chunk)
        return state, written

    def finish_upload(self, upload_id: str, state: StorageState, size: int) -> StorageState:
        os.truncate(self._path(upload_data_key(upload_id)), size)
        return state

    def read_upload(self, upload_id: str, state: StorageState) -> Iterator[bytes]:
        yield from _read_file(self._path(upload_data_key(upload_id)))

    def commit_upload(self, upload_id: str, state: StorageState, digest: str) -> None:
        target = self.blob_path(digest)
        staged = self._path(upload_data_key(upload_id))
        if not target.exists():
            # Durable before visible: the bytes reach the disk before the blob gets its name, and
            # the name (with a directory made for it) before the push is acknowledged. A crash
            # then loses an unacknowledged upload at worst, never a blob a manifest names.
            _fsync(staged)
            created = not target.parent.exists()
            target.parent.mkdir(parents=True, exist_ok=True)
            os.replace(staged, target)  # atomic: readers see all of it or nothing
            _fsync(target.parent)
            if created:
                _fsync(target.parent.parent)
            try:
                os.rmdir(staged.parent)  # now empty; much cheaper than rmtree on the hot path
                return
            except OSError:
                pass
        self.abort_upload(upload_id, state)

    def abort_upload(self, upload_id: str, state: StorageState) -> None:
        shutil.rmtree(self._path(upload_prefix(upload_id)), ignore_errors=True)


class _Window:
    """The first `remaining` bytes of an open file (a Range that stops before the end)."""

    def __init__(self, handle: BinaryIO, remaining: int) -> None:
        self.handle, self.remaining = handle, remaining

    def read(self, size: int = -1) -> bytes:
        if size < 0 or size > self.remaining:
            size = self.remaining
        data = self.handle.read(size)
        self.remaining -= len(data)
        return data

    def close(self) -> None:
        self.handle.close()


def _fsync(path: Path) -> None:
    """Flush a file's data, or a directory's entries, to the disk."""
    descriptor = os.open(path, os.O_RDONLY)
    try:
        os.fsync(descriptor)
    finally:
        os.close(descriptor)


def _read_file(path: Path) -> Iterator[bytes]:
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            yield chunk
