"""A client of Harbor's pluggable scanner adapter API (harbor.md §4)."""

from .client import AdapterClient, AdapterError, ScanRequest
from .mimetypes import (
    ARTIFACT_TYPES,
    NATIVE_REPORT,
    SBOM_REPORT,
    SPDX_JSON,
    VULN_REPORT_TYPES,
    VULNERABILITY_REPORT,
)

__all__ = [
    "ARTIFACT_TYPES",
    "NATIVE_REPORT",
    "SBOM_REPORT",
    "SPDX_JSON",
    "VULNERABILITY_REPORT",
    "VULN_REPORT_TYPES",
    "AdapterClient",
    "AdapterError",
    "ScanRequest",
]
