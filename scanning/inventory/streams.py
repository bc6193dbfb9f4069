"""Byte streams for the layer reader: storage chunks as a file, and transparent decompression.

Layers are read once, front to back, in bounded pieces: a blob store yields chunks, the
decompressor pulls from them, `tarfile` pulls from the decompressor. Nothing here seeks, so
the same code reads a local file, an S3 object or a generator.
"""

from __future__ import annotations

import gzip
import io
from collections.abc import Callable, Iterable, Iterator
from typing import BinaryIO

import zstandard

GZIP_MAGIC = b"\x1f\x8b"
ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"

# How a layer is opened: called once per read, returns a fresh stream of the blob's bytes.
LayerOpener = Callable[[], BinaryIO]


class ChunkStream(io.RawIOBase):
    """A read-only file over an iterator of byte chunks (e.g. `BlobStore.read_blob`)."""

    def __init__(self, chunks: Iterable[bytes]) -> None:
        self._chunks: Iterator[bytes] = iter(chunks)
        self._pending = memoryview(b"")

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:  # type: ignore[no-untyped-def, override]
        while not self._pending:
            chunk = next(self._chunks, None)
            if chunk is None:
                return 0
            self._pending = memoryview(chunk)
        count = min(len(buffer), len(self._pending))
        buffer[:count] = self._pending[:count]
        self._pending = self._pending[count:]
        return count

    def close(self) -> None:
        close = getattr(self._chunks, "close", None)
        if close is not None:
            close()  # lets a generator release its open file or HTTP body now
        super().close()


def compression_of(head: bytes) -> str:
    """Sniffed, not taken from the media type: Docker and some builders label layers loosely."""
    if head.startswith(GZIP_MAGIC):
        return "gzip"
    if head.startswith(ZSTD_MAGIC):
        return "zstd"
    return "none"


def decompressed(raw: BinaryIO) -> tuple[BinaryIO, str]:
    """The uncompressed tar stream of a layer and the compression it had."""
    buffered = raw if isinstance(raw, io.BufferedReader) else io.BufferedReader(raw, 1 << 20)  # type: ignore[arg-type]
    kind = compression_of(buffered.peek(4)[:4])
    if kind == "gzip":
        return gzip.GzipFile(fileobj=buffered, mode="rb"), kind  # type: ignore[return-value]
    if kind == "zstd":
        reader = zstandard.ZstdDecompressor().stream_reader(buffered, read_across_frames=True)
        return io.BufferedReader(reader, 1 << 20), kind  # type: ignore[arg-type]
    return buffered, kind
