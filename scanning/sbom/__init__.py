"""SBOMs of an image's inventory, in the two formats scanners exchange: SPDX 2.3 JSON and
CycloneDX 1.6 JSON. Each is built with its format's reference library, which validates the
document, so a malformed SBOM is a bug here rather than a surprise for its consumer."""

from __future__ import annotations

from .cyclonedx import cyclonedx_json
from .spdx import spdx_json
from .subject import ImageSubject

__all__ = ["ImageSubject", "cyclonedx_json", "spdx_json"]
