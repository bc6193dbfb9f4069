"""Building blobs and manifests for tests, and pushing them through the HTTP API."""

from __future__ import annotations

import hashlib
import json
import os
from typing import Any

from django.test import Client

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_INDEX = "application/vnd.oci.image.index.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
LAYER = "application/vnd.oci.image.layer.v1.tar+gzip"


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def push_blob(client: Client, name: str, data: bytes) -> str:
    """Monolithic single-request upload; returns the digest."""
    digest = sha256(data)
    response = client.post(
        f"/v2/{name}/blobs/uploads/?digest={digest}", data=data, content_type="application/octet-stream"
    )
    assert response.status_code == 201, response.content
    return digest


def descriptor(media_type: str, data: bytes, **extra: Any) -> dict[str, Any]:
    return {"mediaType": media_type, "digest": sha256(data), "size": len(data), **extra}


def image_manifest(
    config: bytes, layers: list[bytes], subject: dict | None = None, artifact_type: str | None = None
) -> bytes:
    document: dict[str, Any] = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": descriptor(OCI_CONFIG, config),
        "layers": [descriptor(LAYER, layer) for layer in layers],
    }
    if subject is not None:
        document["subject"] = subject
    if artifact_type is not None:
        document["artifactType"] = artifact_type
    return json.dumps(document).encode()


def push_image(client: Client, name: str, tag: str, layers: int = 2, size: int = 1024) -> tuple[str, bytes]:
    """Push config + random layers + manifest under `tag`; returns (manifest digest, manifest)."""
    config = json.dumps({"architecture": "amd64", "os": "linux", "nonce": os.urandom(8).hex()}).encode()
    blobs = [os.urandom(size) for _ in range(layers)]
    for data in [config, *blobs]:
        push_blob(client, name, data)
    manifest = image_manifest(config, blobs)
    response = client.put(f"/v2/{name}/manifests/{tag}", data=manifest, content_type=OCI_MANIFEST)
    assert response.status_code == 201, response.content
    return sha256(manifest), manifest


def errors(response: Any) -> list[str]:
    """The OCI error codes in a response body."""
    return [error["code"] for error in json.loads(response.content)["errors"]]
