"""The additions Harbor shows for Helm charts: `values.yaml`, `readme.md` and `dependencies`.

The dependencies are in the chart's config (Helm writes Chart.yaml's metadata there as JSON);
values and README are files inside the chart archive, read when asked for. Charts are small, but
what a client pushed is not trusted to be: the archive and each file read from it are bounded.
"""

from __future__ import annotations

import io
import json
import tarfile
from typing import Any

from ..models import Artifact
from ..oci import mediatypes as mt
from ..oci.errors import RegistryError
from ..storage import blob_store
from .metadata import read_config

CHART_CONTENT = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
MAX_ARCHIVE_BYTES = 16 * 1024 * 1024
MAX_FILE_BYTES = 4 * 1024 * 1024
# addition name: the file's name in the chart's top directory (compared without case for README).
CHART_FILES = {"values.yaml": "values.yaml", "readme.md": "readme.md"}
_DEPENDENCY_FIELDS = ("name", "version", "repository")


class ChartFileMissing(RegistryError):
    code, status, message = "NOT_FOUND", 404, "the chart has no such file"


def is_chart(artifact: Artifact) -> bool:
    return artifact.artifact_media_type == mt.HELM_CHART_CONFIG


def chart_dependencies(artifact: Artifact) -> list[dict[str, str]]:
    """Chart.yaml's `dependencies`, as name, version and repository."""
    dependencies = read_config(artifact).get("dependencies")
    if not isinstance(dependencies, list):
        return []
    return [
        {key: str(entry.get(key) or "") for key in _DEPENDENCY_FIELDS}
        for entry in dependencies
        if isinstance(entry, dict)
    ]


def _archive_descriptor(artifact: Artifact) -> dict[str, Any]:
    document = json.loads(bytes(artifact.content))
    for layer in document.get("layers") or []:
        if isinstance(layer, dict) and layer.get("mediaType") == CHART_CONTENT:
            return layer
    raise ChartFileMissing(f"the chart {artifact.digest} has no chart archive layer")


def chart_file(artifact: Artifact, addition: str) -> str:
    """The text of `values.yaml` or `README.md` in the chart's top directory (not a subchart's)."""
    wanted = CHART_FILES[addition]
    descriptor = _archive_descriptor(artifact)
    if not isinstance(descriptor.get("size"), int) or descriptor["size"] > MAX_ARCHIVE_BYTES:
        raise ChartFileMissing(
            f"the chart archive of {artifact.digest} is larger than {MAX_ARCHIVE_BYTES} bytes"
        )
    archive = io.BytesIO(b"".join(blob_store().read_blob(descriptor["digest"])))
    try:
        with tarfile.open(fileobj=archive, mode="r:gz") as tar:
            for member in tar:
                parts = member.name.strip("/").split("/")
                if len(parts) == 2 and parts[1].lower() == wanted and member.isfile():
                    if member.size > MAX_FILE_BYTES:
                        raise ChartFileMissing(f"{member.name} is larger than {MAX_FILE_BYTES} bytes")
                    handle = tar.extractfile(member)
                    return handle.read().decode("utf-8", errors="replace") if handle else ""
    except (tarfile.TarError, OSError, EOFError) as exc:
        raise ChartFileMissing(f"the chart archive of {artifact.digest} cannot be read: {exc}") from None
    raise ChartFileMissing(f"the chart {artifact.digest} has no {addition}")
