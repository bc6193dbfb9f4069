"""Writing OCI image layouts on disk for real clients to copy from."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import tarfile
from pathlib import Path


def _put(root: Path, data: bytes) -> str:
    digest = hashlib.sha256(data).hexdigest()
    (root / "blobs" / "sha256" / digest).write_bytes(data)
    return f"sha256:{digest}"


def write_image_layout(root: Path, tag: str, layer_sizes: list[int]) -> str:
    """An OCI layout with one image of random gzip layers; returns the manifest digest."""
    tars = []
    for index, size in enumerate(layer_sizes):
        tar = io.BytesIO()
        with tarfile.open(fileobj=tar, mode="w") as archive:
            info = tarfile.TarInfo(f"file{index}")
            info.size = size
            archive.addfile(info, io.BytesIO(os.urandom(size)))
        tars.append(tar.getvalue())
    return write_tar_layout(root, tag, tars)


def write_tar_layout(root: Path, tag: str, tars: list[bytes]) -> str:
    """An OCI layout with one image whose layers are these tars (gzipped); the manifest digest."""
    (root / "blobs" / "sha256").mkdir(parents=True, exist_ok=True)
    layers, diff_ids = [], []
    for raw in tars:
        diff_ids.append("sha256:" + hashlib.sha256(raw).hexdigest())
        compressed = gzip.compress(raw, mtime=0)
        layers.append(
            {
                "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                "digest": _put(root, compressed),
                "size": len(compressed),
            }
        )
    config = json.dumps(
        {
            "architecture": "amd64",
            "os": "linux",
            "rootfs": {"type": "layers", "diff_ids": diff_ids},
            "config": {},
        }
    ).encode()
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": "application/vnd.oci.image.manifest.v1+json",
            "config": {
                "mediaType": "application/vnd.oci.image.config.v1+json",
                "digest": _put(root, config),
                "size": len(config),
            },
            "layers": layers,
        }
    ).encode()
    digest = _put(root, manifest)
    index = {
        "schemaVersion": 2,
        "manifests": [
            {
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "digest": digest,
                "size": len(manifest),
                "annotations": {"org.opencontainers.image.ref.name": tag},
            }
        ],
    }
    (root / "index.json").write_text(json.dumps(index))
    (root / "oci-layout").write_text('{"imageLayoutVersion": "1.0.0"}')
    return digest
