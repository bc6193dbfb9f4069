"""Pushing the content the registry API tests read back: images with a real config, indexes,
referrers and cosign signatures, all through `/v2/`."""

from __future__ import annotations

import json
import os
from typing import Any

from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from ..registry.helpers import (
    OCI_CONFIG,
    OCI_INDEX,
    OCI_MANIFEST,
    descriptor,
    image_manifest,
    push_blob,
    sha256,
)

API = "/api/v2.0"
COSIGN_LAYER = "application/vnd.dev.cosign.simplesigning.v1+json"
NOTATION = "application/vnd.cncf.notary.signature"

CONFIG = {
    "architecture": "arm64",
    "os": "linux",
    "created": "2024-05-01T10:00:00Z",
    "author": "",
    "config": {
        "Env": ["PATH=/bin"],
        "Cmd": ["sh"],
        "Labels": {"maintainer": "ops@example.com"},
        "Domainname": "",
    },
    "history": [
        {"created": "2024-05-01T09:00:00Z", "created_by": "/bin/sh -c #(nop) ADD file:abc in /"},
        {"created": "2024-05-01T09:30:00Z", "created_by": 'CMD ["sh"]', "empty_layer": True},
    ],
}


def put_manifest(client: Client, name: str, reference: str, manifest: bytes, media_type: str = OCI_MANIFEST):
    response = client.put(f"/v2/{name}/manifests/{reference}", data=manifest, content_type=media_type)
    assert response.status_code == 201, response.content
    return sha256(manifest)


def push_config_image(client: Client, name: str, tag: str, config: dict[str, Any] | None = None) -> str:
    """An image whose config is `config` (CONFIG by default, made unique); returns its digest."""
    document = {**(config or CONFIG), "nonce": os.urandom(8).hex()}
    config_bytes = json.dumps(document).encode()
    layer = os.urandom(256)
    push_blob(client, name, config_bytes)
    push_blob(client, name, layer)
    return put_manifest(client, name, tag, image_manifest(config_bytes, [layer]))


def push_index(client: Client, name: str, tag: str, platforms: list[str]) -> tuple[str, list[str]]:
    """An index of one untagged image per architecture; returns (index digest, child digests)."""
    children, descriptors = [], []
    for architecture in platforms:
        config = json.dumps(
            {"architecture": architecture, "os": "linux", "nonce": os.urandom(4).hex()}
        ).encode()
        push_blob(client, name, config)
        manifest = image_manifest(config, [])
        children.append(put_manifest(client, name, sha256(manifest), manifest))
        descriptors.append(
            descriptor(
                OCI_MANIFEST,
                manifest,
                platform={"architecture": architecture, "os": "linux"},
                annotations={"note": architecture},
            )
        )
    index = json.dumps({"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": descriptors}).encode()
    return put_manifest(client, name, tag, index, OCI_INDEX), children


def push_referrer(client: Client, name: str, subject_digest: str, artifact_type: str) -> str:
    """An OCI 1.1 referrer of `subject_digest`, pushed by digest as notation and oras do."""
    config, layer = b"{}", os.urandom(32)
    push_blob(client, name, config)
    push_blob(client, name, layer)
    subject = {"mediaType": OCI_MANIFEST, "digest": subject_digest, "size": 1}
    manifest = image_manifest(config, [layer], subject=subject, artifact_type=artifact_type)
    return put_manifest(client, name, sha256(manifest), manifest)


def push_cosign_signature(client: Client, name: str, subject_digest: str) -> str:
    """A signature the way cosign pushes it by default: tagged `sha256-<hex>.sig`."""
    config = json.dumps({"architecture": "", "os": "", "nonce": os.urandom(4).hex()}).encode()
    payload = os.urandom(64)
    push_blob(client, name, config)
    push_blob(client, name, payload)
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": descriptor(OCI_CONFIG, config),
            "layers": [descriptor(COSIGN_LAYER, payload)],
        }
    ).encode()
    return put_manifest(client, name, f"sha256-{subject_digest.removeprefix('sha256:')}.sig", manifest)


def queries(client: Client, url: str) -> int:
    """How many queries one GET costs (asserting it succeeds)."""
    with CaptureQueriesContext(connection) as context:
        response = client.get(url)
        assert response.status_code == 200, response.content
    return len(context)


def codes(response) -> list[str]:
    return [error["code"] for error in response.json()["errors"]]
