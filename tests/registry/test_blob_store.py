"""One suite for the `BlobStore` contracts (registry/storage/base.py), run against every backend.

The S3 backend runs against a real (moto) S3 server over HTTP. Upload state
goes through JSON between calls, as it does in the registry, where it lives
in a JSONField between requests served by different processes.
"""

from __future__ import annotations

import hashlib
import json
import os
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from registry.storage.base import BlobDownload, BlobStore, StorageState
from registry.storage.filesystem import FilesystemBlobStore
from registry.storage.s3 import PART_SIZE, S3BlobStore
from tests.s3 import MotoS3

from .helpers import sha256

MiB = 1024 * 1024


@dataclass
class Backend:
    name: str
    make: Callable[[], BlobStore]  # another store over the same storage, as another process has
    staged: Callable[[], list[str]]  # whatever uploads left in the storage
    committed: Callable[[], list[str]]  # the keys of committed content

    def __post_init__(self) -> None:
        self.store = self.make()


def _files(root: Path) -> list[str]:
    """Files and directories under `root`: an empty directory left behind counts too."""
    return sorted(str(path.relative_to(root)) for path in root.rglob("*")) if root.exists() else []


def s3_store(s3: MotoS3, prefix: str, redirect: bool = True) -> S3BlobStore:
    return S3BlobStore(
        s3.bucket, prefix=prefix, endpoint_url=s3.endpoint_url, region=s3.region, redirect=redirect
    )


@pytest.fixture(params=["filesystem", "s3"])
def backend(request: pytest.FixtureRequest, tmp_path: Path) -> Backend:
    if request.param == "filesystem":
        root = tmp_path / "store"
        return Backend(
            "filesystem",
            make=lambda: FilesystemBlobStore(root),
            staged=lambda: _files(root / "uploads"),
            committed=lambda: [name for name in _files(root / "blobs") if (root / "blobs" / name).is_file()],
        )
    s3: MotoS3 = request.getfixturevalue("moto_server")
    prefix = s3.new_prefix()
    return Backend(
        "s3",
        make=lambda: s3_store(s3, prefix),
        staged=lambda: [
            *s3.keys(f"{prefix}/uploads/"),
            *(f"open multipart upload {key}" for key in s3.multipart_uploads(f"{prefix}/")),
        ],
        committed=lambda: s3.keys(f"{prefix}/blobs/"),
    )


def roundtrip(state: StorageState) -> StorageState:
    """The state as the next request gets it back from the database's JSONField."""
    return json.loads(json.dumps(state))


class Staging:
    """One upload driven as the registry drives it: from the offset reached, state kept as JSON."""

    def __init__(self, store: BlobStore) -> None:
        self.store = store
        self.id = str(uuid.uuid4())
        self.state = roundtrip(store.start_upload(self.id))
        self.offset = 0

    def append(self, *chunks: bytes) -> None:
        """One request carrying `chunks`."""
        state, written = self.store.append_upload(self.id, self.state, self.offset, iter(chunks))
        assert written == sum(len(chunk) for chunk in chunks)
        self.state, self.offset = roundtrip(state), self.offset + written

    def finish(self) -> None:
        self.state = roundtrip(self.store.finish_upload(self.id, self.state, self.offset))

    def staged_bytes(self) -> bytes:
        return b"".join(self.store.read_upload(self.id, self.state))

    def commit(self, digest: str) -> None:
        self.store.commit_upload(self.id, self.state, digest)

    def abort(self) -> None:
        self.store.abort_upload(self.id, self.state)


def commit_blob(store: BlobStore, data: bytes) -> str:
    staging = Staging(store)
    staging.append(data)
    staging.finish()
    digest = sha256(data)
    staging.commit(digest)
    return digest


def fetch(download: BlobDownload, block: int = 64 * 1024) -> bytes:
    """The bytes a client gets: from the redirect URL, or read from the file in blocks as a response does."""
    assert (download.redirect_url is None) != (download.file is None), "exactly one way to send"
    if download.redirect_url is not None:
        response = httpx.get(download.redirect_url)
        assert response.status_code == 200, response.text
        return response.content
    assert download.file is not None
    data = bytearray()
    try:
        while piece := download.file.read(block):
            data += piece
    finally:
        download.file.close()
    assert len(data) == download.length
    return bytes(data)


def read_blob(store: BlobStore, digest: str) -> bytes:
    return b"".join(store.read_blob(digest))


def hash_blob(store: BlobStore, digest: str) -> str:
    hasher = hashlib.sha256()
    for chunk in store.read_blob(digest):
        hasher.update(chunk)
    return "sha256:" + hasher.hexdigest()


# committed content -----------------------------------------------------------------


def test_blob_size_is_none_until_committed(backend: Backend) -> None:
    store = backend.store
    data = os.urandom(3000)
    assert store.blob_size(sha256(data)) is None
    digest = commit_blob(store, data)
    assert store.blob_size(digest) == 3000
    assert store.blob_size(sha256(b"something else")) is None


def test_download_whole_blob(backend: Backend) -> None:
    data = os.urandom(100_000)
    digest = commit_blob(backend.store, data)
    download = backend.store.download(digest)
    if backend.name == "s3":
        # Redirect on: the client fetches a presigned URL from S3 itself.
        assert download.redirect_url is not None
    else:
        assert download.file is not None
        assert download.length == len(data)
    assert fetch(download) == data


def test_s3_download_without_redirect_streams_the_object(moto_server: MotoS3) -> None:
    store = s3_store(moto_server, moto_server.new_prefix(), redirect=False)
    data = os.urandom(100_000)
    digest = commit_blob(store, data)
    download = store.download(digest)
    assert download.redirect_url is None
    assert download.length == len(data)
    assert fetch(download) == data


@pytest.mark.parametrize(
    ("start", "length"),
    [(0, 1), (0, 999), (0, 1000), (1, None), (500, 250), (990, 10), (999, 1), (999, None), (400, 0)],
)
def test_download_range(backend: Backend, start: int, length: int | None) -> None:
    data = os.urandom(1000)
    digest = commit_blob(backend.store, data)
    download = backend.store.download(digest, start, length)
    expected = data[start:] if length is None else data[start : start + length]
    assert download.file is not None, "a range is sent by the registry, never redirected"
    assert download.length == len(expected)
    assert fetch(download, block=7) == expected


def test_read_blob_yields_the_content(backend: Backend) -> None:
    data = os.urandom(3 * MiB + 17)
    digest = commit_blob(backend.store, data)
    assert read_blob(backend.store, digest) == data


def test_delete_blob_is_idempotent(backend: Backend) -> None:
    store = backend.store
    store.delete_blob(sha256(b"never stored"))  # absent content is not an error
    kept = commit_blob(store, os.urandom(100))
    digest = commit_blob(store, os.urandom(100))
    assert len(backend.committed()) == 2
    store.delete_blob(digest)
    assert store.blob_size(digest) is None
    store.delete_blob(digest)
    assert len(backend.committed()) == 1
    assert store.blob_size(kept) == 100


# uploads ---------------------------------------------------------------------------


def test_upload_in_chunks_then_commit(backend: Backend) -> None:
    chunks = [os.urandom(size) for size in (1, 1000, 65536, 7)]
    data = b"".join(chunks)
    digest = sha256(data)
    staging = Staging(backend.store)
    for chunk in chunks:
        staging.append(chunk)
    staging.finish()
    assert staging.staged_bytes() == data
    assert backend.store.blob_size(digest) is None, "nothing is committed before commit_upload"
    staging.commit(digest)
    assert backend.store.blob_size(digest) == len(data)
    assert read_blob(backend.store, digest) == data
    assert backend.staged() == []


def test_empty_blob(backend: Backend) -> None:
    staging = Staging(backend.store)
    staging.append()  # a request without a body
    staging.finish()
    assert staging.staged_bytes() == b""
    digest = sha256(b"")
    staging.commit(digest)
    assert backend.store.blob_size(digest) == 0
    assert read_blob(backend.store, digest) == b""
    assert fetch(backend.store.download(digest)) == b""
    assert backend.staged() == []


def test_many_tiny_requests(backend: Backend) -> None:
    # 1000-byte PATCHes: far below S3's 5 MiB minimum part size.
    chunks = [os.urandom(1000) for _ in range(150)]
    staging = Staging(backend.store)
    for chunk in chunks:
        staging.append(chunk)
    staging.finish()
    data = b"".join(chunks)
    assert staging.staged_bytes() == data
    staging.commit(sha256(data))
    assert read_blob(backend.store, sha256(data)) == data
    assert backend.staged() == []


def test_tiny_chunks_across_part_boundaries(backend: Backend) -> None:
    def tiny(count: int) -> list[bytes]:
        return [os.urandom(1000) for _ in range(count)]

    requests = [
        tiny(9000),  # one request of 1000-byte chunks that fills a part and starts a tail
        *([chunk] for chunk in tiny(20)),  # tiny requests that only grow the tail
        tiny(8500),  # crosses the next part boundary in the middle of the request
        tiny(1),
    ]
    staging = Staging(backend.store)
    for chunks in requests:
        staging.append(*chunks)
    staging.finish()
    data = b"".join(chunk for chunks in requests for chunk in chunks)
    digest = sha256(data)
    assert staging.staged_bytes() == data
    staging.commit(digest)
    assert hash_blob(backend.store, digest) == digest
    assert backend.staged() == []


def test_large_blob_with_chunks_around_the_part_size(backend: Backend) -> None:
    requests = [
        [os.urandom(1000)],
        [os.urandom(PART_SIZE - 1000)],  # makes exactly one part
        [os.urandom(PART_SIZE + 123)],  # one chunk larger than a part
        [os.urandom(MiB) for _ in range(3)],
        [os.urandom(5)],
    ]
    data = b"".join(chunk for chunks in requests for chunk in chunks)
    assert len(data) > 16 * MiB
    digest = sha256(data)
    staging = Staging(backend.store)
    for chunks in requests:
        staging.append(*chunks)
    # Another process (another store object) finishes what this one staged.
    staging.store = backend.make()
    staging.finish()
    assert staging.staged_bytes() == data
    staging.commit(digest)
    assert backend.store.blob_size(digest) == len(data)
    assert hash_blob(backend.store, digest) == digest
    assert sha256(fetch(backend.store.download(digest))) == digest
    assert backend.staged() == []


@pytest.mark.parametrize(
    "failed_chunks",
    [[3000], [PART_SIZE, 4096]],
    ids=["short", "across-a-part"],
)
def test_retry_overwrites_a_request_whose_state_was_not_saved(
    backend: Backend, failed_chunks: list[int]
) -> None:
    """A request wrote to the store but failed afterwards (short body, lost race), so its state was
    never saved; the client sends the chunk again from the saved offset."""
    staging = Staging(backend.store)
    head = os.urandom(1000)
    staging.append(head)
    failed = (os.urandom(size) for size in failed_chunks)
    backend.store.append_upload(staging.id, roundtrip(staging.state), staging.offset, failed)
    retried, last = os.urandom(500), os.urandom(10)
    staging.append(retried)
    staging.append(last)
    staging.finish()
    data = head + retried + last
    assert staging.staged_bytes() == data
    staging.commit(sha256(data))
    assert read_blob(backend.store, sha256(data)) == data
    assert backend.staged() == []


def test_retry_after_a_request_broke_off_midstream(backend: Backend) -> None:
    staging = Staging(backend.store)
    head = os.urandom(1000)
    staging.append(head)

    def broken() -> Iterator[bytes]:
        for _ in range(9):  # past a part boundary: S3 has started a multipart upload
            yield os.urandom(MiB)
        raise OSError("client went away")

    with pytest.raises(OSError):
        backend.store.append_upload(staging.id, roundtrip(staging.state), staging.offset, broken())
    rest = [os.urandom(MiB), os.urandom(MiB)]
    staging.append(*rest)
    staging.finish()
    assert staging.staged_bytes() == head + b"".join(rest)
    staging.abort()
    assert backend.staged() == [], "the broken request's multipart upload is swept too"


def test_commit_of_a_digest_already_held_drops_the_staging(backend: Backend) -> None:
    data = os.urandom(2000)
    digest = commit_blob(backend.store, data)
    staging = Staging(backend.store)
    staging.append(os.urandom(2000))  # other bytes: shows which content survives
    staging.finish()
    staging.commit(digest)
    assert read_blob(backend.store, digest) == data
    assert len(backend.committed()) == 1
    assert backend.staged() == []


@pytest.mark.parametrize("finished", [False, True], ids=["open", "finished"])
def test_abort_leaves_nothing_behind(backend: Backend, finished: bool) -> None:
    staging = Staging(backend.store)
    staging.append(os.urandom(PART_SIZE + 1000))  # on S3: a multipart upload with a part, and a tail
    staging.append(os.urandom(1000))
    if finished:
        staging.finish()
    assert backend.staged() != []  # otherwise the check below proves nothing
    staging.abort()
    assert backend.staged() == []
    assert backend.committed() == []
    staging.abort()  # again (a client's cancel racing the stale-upload purge): harmless


def test_uploads_do_not_mix(backend: Backend) -> None:
    first, second = Staging(backend.store), Staging(backend.store)
    a, b = [os.urandom(700) for _ in range(3)], [os.urandom(900) for _ in range(3)]
    for chunk_a, chunk_b in zip(a, b, strict=True):
        first.append(chunk_a)
        second.append(chunk_b)
    first.finish()
    second.finish()
    assert first.staged_bytes() == b"".join(a)
    assert second.staged_bytes() == b"".join(b)
    second.abort()
    first.commit(sha256(b"".join(a)))
    assert read_blob(backend.store, sha256(b"".join(a))) == b"".join(a)
    assert backend.staged() == []


def test_s3_superseded_tails_do_not_pile_up(moto_server: MotoS3) -> None:
    prefix = moto_server.new_prefix()
    staging = Staging(s3_store(moto_server, prefix))
    staging.append(os.urandom(1000))
    staging.append(os.urandom(PART_SIZE))  # a part; the rest becomes a tail at a new offset
    staging.append(os.urandom(1000))  # its state was saved: the tail before is garbage now
    tails = [key for key in moto_server.keys(f"{prefix}/uploads/") if "/tail" in key]
    assert len(tails) == 1, tails
