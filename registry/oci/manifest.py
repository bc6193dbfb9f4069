"""Parsing and validating image manifests and indexes.

The registry stores manifest bytes exactly as sent; this module only reads them
to learn what they reference (so the push can be checked against the
repository's blobs) and the few facts the database keeps about an artifact.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from . import mediatypes as mt
from .digest import parse_digest
from .errors import DigestInvalid, ManifestInvalid

MAX_MANIFEST_BYTES = 4 * 1024 * 1024


@dataclass(frozen=True, slots=True)
class Descriptor:
    media_type: str
    digest: str
    size: int
    artifact_type: str = ""
    platform: dict[str, Any] | None = None
    urls: tuple[str, ...] = ()


@dataclass(frozen=True, slots=True)
class Manifest:
    media_type: str
    config: Descriptor | None
    layers: tuple[Descriptor, ...]
    manifests: tuple[Descriptor, ...]
    subject: Descriptor | None
    artifact_type: str
    annotations: dict[str, str] = field(default_factory=dict)

    @property
    def is_index(self) -> bool:
        return self.media_type in mt.INDEXES

    @property
    def blob_references(self) -> tuple[Descriptor, ...]:
        """Blobs the repository must hold: the config and every non-foreign layer."""
        blobs = [self.config] if self.config else []
        blobs += [layer for layer in self.layers if layer.media_type not in mt.FOREIGN_LAYERS]
        return tuple(blobs)

    @property
    def artifact_media_type(self) -> str:
        """Harbor's artifact `media_type`: the config's media type; for an index its own type,
        or the `org.opencontainers.artifactType` annotation CNAB bundles carry."""
        if self.config is not None:
            return self.config.media_type
        return self.annotations.get("org.opencontainers.artifactType") or self.media_type

    @property
    def descriptor_artifact_type(self) -> str:
        """What the referrers API reports: artifactType, else the config media type."""
        if self.artifact_type:
            return self.artifact_type
        if self.config is not None:
            return self.config.media_type
        return ""


def _descriptor(value: Any, where: str) -> Descriptor:
    if not isinstance(value, dict):
        raise ManifestInvalid(f"{where} must be a descriptor object")
    media_type, digest, size = value.get("mediaType"), value.get("digest"), value.get("size")
    if not isinstance(media_type, str) or not media_type:
        raise ManifestInvalid(f"{where}.mediaType is required")
    if not isinstance(size, int) or isinstance(size, bool) or size < 0:
        raise ManifestInvalid(f"{where}.size must be a non-negative integer")
    try:
        parse_digest(digest)
    except DigestInvalid as exc:
        raise ManifestInvalid(f"{where}.digest: {exc.message}") from None
    urls = value.get("urls") or ()
    return Descriptor(
        media_type=media_type,
        digest=digest,
        size=size,
        artifact_type=value.get("artifactType") or "",
        platform=value.get("platform") if isinstance(value.get("platform"), dict) else None,
        urls=tuple(urls) if isinstance(urls, list) else (),
    )


def _descriptors(document: dict[str, Any], key: str) -> tuple[Descriptor, ...]:
    values = document.get(key)
    if values is None:
        return ()
    if not isinstance(values, list):
        raise ManifestInvalid(f"{key} must be a list")
    return tuple(_descriptor(value, f"{key}[{i}]") for i, value in enumerate(values))


def _media_type(document: dict[str, Any], content_type: str) -> str:
    """The manifest's media type from the body and the request's Content-Type, which must agree."""
    declared = document.get("mediaType")
    if declared is not None and not isinstance(declared, str):
        raise ManifestInvalid("mediaType must be a string")
    content_type = content_type.split(";")[0].strip()
    if declared and content_type and declared != content_type and content_type in mt.MANIFESTS:
        raise ManifestInvalid(f"mediaType {declared!r} does not match Content-Type {content_type!r}")
    if declared:
        media_type = declared
    elif content_type in mt.MANIFESTS:
        media_type = content_type
    else:
        # An OCI manifest may omit mediaType; infer it from the shape.
        media_type = mt.OCI_INDEX if "manifests" in document else mt.OCI_MANIFEST
    if media_type not in mt.MANIFESTS:
        raise ManifestInvalid(f"unsupported manifest media type {media_type!r}")
    return media_type


def parse_manifest(content: bytes, content_type: str) -> Manifest:
    """Parse manifest bytes; raises ManifestInvalid when they are not a manifest we accept."""
    try:
        document = json.loads(content)
    except (UnicodeDecodeError, json.JSONDecodeError) as exc:
        raise ManifestInvalid(f"manifest is not valid JSON: {exc}") from None
    if not isinstance(document, dict):
        raise ManifestInvalid("manifest must be a JSON object")
    if document.get("schemaVersion") != 2:
        raise ManifestInvalid("schemaVersion must be 2")
    media_type = _media_type(document, content_type)
    annotations = document.get("annotations") or {}
    if not isinstance(annotations, dict):
        raise ManifestInvalid("annotations must be an object")
    artifact_type = document.get("artifactType") or ""
    if not isinstance(artifact_type, str):
        raise ManifestInvalid("artifactType must be a string")
    subject = _descriptor(document["subject"], "subject") if document.get("subject") else None

    if media_type in mt.INDEXES:
        if "manifests" not in document:
            raise ManifestInvalid("an index must list its manifests")
        return Manifest(
            media_type, None, (), _descriptors(document, "manifests"), subject, artifact_type, annotations
        )

    if "config" not in document:
        raise ManifestInvalid("an image manifest must have a config descriptor")
    config = _descriptor(document["config"], "config")
    if "layers" not in document:
        raise ManifestInvalid("an image manifest must list its layers")
    layers = _descriptors(document, "layers")
    return Manifest(media_type, config, layers, (), subject, artifact_type, annotations)


def classify(manifest: Manifest) -> str:
    """Harbor's artifact `type`: IMAGE, CHART, SBOM, SIGNATURE... from the config media type."""
    if manifest.is_index:
        return "IMAGE"
    kind = manifest.artifact_type or (manifest.config.media_type if manifest.config else "")
    if kind in (mt.OCI_IMAGE_CONFIG, mt.DOCKER_IMAGE_CONFIG):
        return "IMAGE"
    if kind == mt.HELM_CHART_CONFIG:
        return "CHART"
    if "cnab" in kind:
        return "CNAB"
    if "wasm" in kind:
        return "WASM"
    if "sbom" in kind or "spdx" in kind or "cyclonedx" in kind:
        return "SBOM"
    return "UNKNOWN"
