"""The built-in scanner as the scan jobs see it: adapter-like metadata, and the two reports
(vulnerabilities, SBOM) made from an artifact's inventory in this process."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any

from registry.models import Artifact

from .adapter import mimetypes as mime
from .inventory import inventory_of_artifact
from .reports import vulnerability_report
from .vulndb.status import status

SCANNER = {"name": "Built-in", "vendor": "Harbor on Django", "version": "1.0"}


def metadata() -> dict[str, Any]:
    """Shaped as an adapter's `/api/v1/metadata` (v1.2), so the API shows both kinds alike."""
    updated = status()["updated_at"]
    return {
        "scanner": SCANNER,
        "capabilities": [
            {
                "type": "vulnerability",
                "consumes_mime_types": list(mime.ARTIFACT_TYPES),
                "produces_mime_types": [mime.VULNERABILITY_REPORT],
            },
            {
                "type": "sbom",
                "consumes_mime_types": list(mime.ARTIFACT_TYPES),
                "produces_mime_types": [mime.SBOM_REPORT],
                "additional_attributes": {"sbom_media_types": [mime.SPDX_JSON, mime.CYCLONEDX_JSON]},
            },
        ],
        "properties": {
            "harbor.scanner-adapter/scanner-type": "os-package-vulnerability",
            "harbor.scanner-adapter/vulnerability-database-updated-at": (
                updated.isoformat() if updated else ""
            ),
        },
    }


def _artifact_json(artifact: Artifact, repository: str) -> dict[str, str]:
    return {"repository": repository, "digest": artifact.digest, "mime_type": artifact.media_type}


def scan_vulnerabilities(artifact: Artifact, repository: str) -> tuple[dict[str, Any], list[str]]:
    """The report and the inventory's warnings (for the scan log)."""
    from .vulndb.match import findings  # here: see scan_sbom

    inventory = inventory_of_artifact(artifact)
    found = findings(inventory)
    return vulnerability_report(found, _artifact_json(artifact, repository), SCANNER), inventory.warnings


def scan_sbom(
    artifact: Artifact, repository: str, media_type: str = mime.SPDX_JSON, registry: str = ""
) -> tuple[dict[str, Any], list[str]]:
    """An SBOM report (harbor.md §4.3) holding the document as an object."""
    # Imported here, not at the top: scans run in Celery workers, and the SPDX/CycloneDX writers
    # and version libraries would otherwise sit in every web worker's memory (~30 MiB each).
    from .sbom import ImageSubject, cyclonedx_json, spdx_json

    inventory = inventory_of_artifact(artifact)
    subject = ImageSubject(repository=repository, digest=artifact.digest, registry=registry)
    writer = cyclonedx_json if media_type == mime.CYCLONEDX_JSON else spdx_json
    report = {
        "generated_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "artifact": _artifact_json(artifact, repository),
        "scanner": SCANNER,
        "vendor_attributes": {},
        "media_type": media_type,
        "sbom": json.loads(writer(inventory, subject)),
    }
    return report, inventory.warnings
