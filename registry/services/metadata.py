"""What Harbor shows of an artifact beyond its manifest, read from the config blob: the
`extra_attrs` of artifact JSON and an image's build history.

Harbor reads the config when the artifact is pushed; here the push path stays as
fast as it is, and the REST API fills `Artifact.extra_attrs` the first time it
shows an artifact (one UPDATE for a whole page), so each config is read once.
"""

from __future__ import annotations

import json
import logging
import re
from typing import Any

from ..models import Artifact
from ..oci import mediatypes as mt
from ..storage import blob_store

logger = logging.getLogger(__name__)

IMAGE_CONFIGS = frozenset({mt.OCI_IMAGE_CONFIG, mt.DOCKER_IMAGE_CONFIG})
MAX_CONFIG_BYTES = 4 * 1024 * 1024
# Harbor's default processor keeps the whole config of types named like this (charts, models...).
_VENDOR_CONFIG = re.compile(r"^application/vnd\.[^.]*\.(.*)\.config\.[^.]*\+json$")
# The fields of the OCI image spec's ImageConfig, which is what Harbor reports as `config`.
_IMAGE_CONFIG_FIELDS = (
    "User",
    "ExposedPorts",
    "Env",
    "Entrypoint",
    "Cmd",
    "Volumes",
    "WorkingDir",
    "Labels",
    "StopSignal",
    "ArgsEscaped",
)
_HISTORY_FIELDS = ("created", "created_by", "author", "comment", "empty_layer")
_AUTHOR_LABELS = ("org.opencontainers.image.authors", "maintainer")


class ConfigUnreadable(Exception):
    """The config blob could not be read now (store trouble): nothing is remembered."""


def is_image(artifact: Artifact) -> bool:
    """An image manifest (not an index): it has a config and a build history."""
    return artifact.media_type in mt.IMAGE_MANIFESTS and artifact.artifact_media_type in IMAGE_CONFIGS


def _config_descriptor(artifact: Artifact) -> dict[str, Any] | None:
    try:
        document = json.loads(bytes(artifact.content))
    except ValueError:
        return None
    config = document.get("config") if isinstance(document, dict) else None
    return config if isinstance(config, dict) and isinstance(config.get("digest"), str) else None


def read_config(artifact: Artifact) -> dict[str, Any]:
    """The artifact's config as JSON; {} when it has none, it is empty, too large or not an object."""
    descriptor = _config_descriptor(artifact)
    if descriptor is None or not descriptor.get("size") or descriptor["size"] > MAX_CONFIG_BYTES:
        return {}
    try:
        content = b"".join(blob_store().read_blob(descriptor["digest"]))
    except Exception as exc:
        logger.warning("cannot read config %s of %s", descriptor["digest"], artifact.digest, exc_info=True)
        raise ConfigUnreadable(str(exc)) from exc
    try:
        config = json.loads(content)
    except ValueError:
        return {}
    return config if isinstance(config, dict) else {}


def _image_attrs(config: dict[str, Any]) -> dict[str, Any]:
    """Harbor's five image attributes; the author falls back to the usual labels."""
    settings = config.get("config") if isinstance(config.get("config"), dict) else {}
    labels = settings.get("Labels") if isinstance(settings.get("Labels"), dict) else {}
    author = config.get("author") or next((labels[key] for key in _AUTHOR_LABELS if labels.get(key)), "")
    return {
        "created": config.get("created"),
        "architecture": config.get("architecture", ""),
        "os": config.get("os", ""),
        "config": {key: settings[key] for key in _IMAGE_CONFIG_FIELDS if settings.get(key)},
        "author": author,
    }


def extract_extra_attrs(artifact: Artifact) -> dict[str, Any]:
    """What Harbor stores as `extra_attrs` for this artifact (may read the config blob)."""
    if is_image(artifact):
        return _image_attrs(read_config(artifact))
    if artifact.media_type in mt.IMAGE_MANIFESTS and _VENDOR_CONFIG.match(artifact.artifact_media_type):
        return read_config(artifact)
    return {}


def fill_extra_attrs(artifacts: list[Artifact]) -> None:
    """Give every artifact its `extra_attrs`, extracting (and saving, in one UPDATE) the missing."""
    filled = []
    for artifact in artifacts:
        if artifact.extra_attrs is not None:
            continue
        try:
            artifact.extra_attrs = extract_extra_attrs(artifact)
        except ConfigUnreadable:
            artifact.extra_attrs = {}  # shown empty this time, read again next time
            continue
        filled.append(artifact)
    if filled:
        Artifact.objects.bulk_update(filled, ["extra_attrs"])


def build_history(artifact: Artifact) -> list[dict[str, Any]]:
    """The image's build history, from its config (`history`), as Harbor's addition shows it."""
    history = read_config(artifact).get("history")
    if not isinstance(history, list):
        return []
    return [
        {key: entry[key] for key in _HISTORY_FIELDS if entry.get(key) not in (None, "", False)}
        for entry in history
        if isinstance(entry, dict)
    ]
