"""Test data: random blob files with their digests, and a tiny image to tag.

Every push gets content no server has seen, so neither registry can skip work
for a blob it already holds; the same files go to both servers. Digests are
computed while the files are written, outside any timed region.
"""

from __future__ import annotations

import hashlib
import json
import os
from dataclasses import dataclass
from pathlib import Path

MiB = 1024 * 1024
WRITE_SIZE = 8 * MiB
OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
OCI_LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


@dataclass(frozen=True, slots=True)
class BlobFile:
    path: Path
    size: int
    digest: str


def make_blob(directory: Path, name: str, size: int) -> BlobFile:
    """A file of `size` random bytes (incompressible, unique), hashed as it is written."""
    hasher = hashlib.sha256()
    path = directory / name
    with open(path, "wb") as out:
        remaining = size
        while remaining:
            block = os.urandom(min(WRITE_SIZE, remaining))
            hasher.update(block)
            out.write(block)
            remaining -= len(block)
    return BlobFile(path, size, f"sha256:{hasher.hexdigest()}")


def prefault_memory(directory: Path, size: int) -> None:
    """Write `size` bytes to a file and delete it, so that page-cache pages are host-backed.

    A VM's memory is backed by the host lazily: the first write into a guest page
    faults to the host, which made page-cache writes ~5x slower here (~0.5 against
    ~2.5 GB/s for `dd` into recycled pages). Freed pages are reused first, so
    cycling as much memory as the run will fill puts both servers' pushes on
    warm pages, as on a machine that has been up for a while.
    """
    path = directory / "prefault"
    block = bytes(WRITE_SIZE)
    with open(path, "wb") as out:
        for _ in range(size // WRITE_SIZE):
            out.write(block)
    path.unlink()


def make_blobs(directory: Path, prefix: str, count: int, size: int) -> list[BlobFile]:
    return [make_blob(directory, f"{prefix}-{index}", size) for index in range(count)]


def sha256_digest(data: bytes) -> str:
    return f"sha256:{hashlib.sha256(data).hexdigest()}"


@dataclass(frozen=True, slots=True)
class SmallImage:
    """An OCI image of one small layer: what manifest GET/HEAD fetch by tag."""

    config: bytes
    layer: bytes
    manifest: bytes

    @property
    def layer_digest(self) -> str:
        return sha256_digest(self.layer)


def small_image(layer_size: int = 4096) -> SmallImage:
    layer = os.urandom(layer_size)
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "rootfs": {"type": "layers", "diff_ids": [sha256_digest(layer)]},
        }
    ).encode()
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {"mediaType": OCI_CONFIG, "digest": sha256_digest(config), "size": len(config)},
            "layers": [{"mediaType": OCI_LAYER, "digest": sha256_digest(layer), "size": len(layer)}],
        },
        indent=3,
    ).encode()
    return SmallImage(config, layer, manifest)
