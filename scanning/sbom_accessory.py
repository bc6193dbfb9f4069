"""An SBOM stored as Harbor stores it: an OCI artifact in the subject's repository, whose
`subject` is the scanned artifact and whose artifactType is Harbor's SBOM type, so that
`/v2/<name>/referrers/<digest>` and the accessory lists show it.

It goes in through the registry's own services (upload, manifest push), exactly as a client's
push would: quota, events and validation apply to it as to anything else.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime

from registry.models import Artifact
from registry.oci import mediatypes as mt
from registry.services.manifests import push_manifest
from registry.services.uploads import Chunk, finish_upload, start_upload

SBOM_ARTIFACT_TYPE = "application/vnd.goharbor.harbor.sbom.v1"
EMPTY_CONFIG = b"{}"
DESCRIPTIONS = {
    "application/spdx+json": "SPDX JSON SBOM",
    "application/vnd.cyclonedx+json": "CycloneDX JSON SBOM",
}


def _store_blob(artifact: Artifact, data: bytes) -> dict[str, object]:
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    upload = start_upload(artifact.repository)
    finish_upload(upload, digest, Chunk(body=[data], content_length=len(data)))
    return {"digest": digest, "size": len(data)}


def push_sbom(artifact: Artifact, document: bytes, media_type: str, operator: str = "") -> str:
    """Push `document` as the SBOM accessory of `artifact`; its manifest digest."""
    config = {"mediaType": mt.OCI_EMPTY, **_store_blob(artifact, EMPTY_CONFIG)}
    layer = {"mediaType": media_type, **_store_blob(artifact, document)}
    manifest = {
        "schemaVersion": 2,
        "mediaType": mt.OCI_MANIFEST,
        "artifactType": SBOM_ARTIFACT_TYPE,
        "config": config,
        "layers": [layer],
        "subject": {
            "mediaType": artifact.media_type,
            "digest": artifact.digest,
            "size": artifact.manifest_size,
        },
        "annotations": {
            "created-by": "Harbor",
            "org.opencontainers.artifact.created": datetime.now(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "org.opencontainers.artifact.description": DESCRIPTIONS.get(media_type, "SBOM"),
        },
    }
    content = json.dumps(manifest, separators=(",", ":")).encode()
    digest = "sha256:" + hashlib.sha256(content).hexdigest()
    push_manifest(artifact.repository, digest, content, mt.OCI_MANIFEST, operator)
    return digest
