"""Helm charts pushed as OCI artifacts (as `helm push` lays them out): their additions
`values.yaml`, `readme.md` and `dependencies`, and the links to them."""

from __future__ import annotations

import io
import json
import tarfile

from ..registry.helpers import OCI_MANIFEST, descriptor, push_blob
from .registry_helpers import API, codes, put_manifest

CHART_CONFIG = "application/vnd.cncf.helm.config.v1+json"
CHART_CONTENT = "application/vnd.cncf.helm.chart.content.v1.tar+gzip"
URL = f"{API}/projects/library/repositories/charts%252Fweb/artifacts"
VALUES = "replicaCount: 2\nimage:\n  repository: nginx\n"
README = "# web\n\nA small web server chart.\n"
METADATA = {
    "apiVersion": "v2",
    "name": "web",
    "version": "1.2.3",
    "dependencies": [
        {"name": "redis", "version": "18.x", "repository": "https://charts.example.com"},
        {"name": "common", "version": "2.0.0", "repository": "", "condition": "common.enabled"},
    ],
}


def chart_archive(files: dict[str, str]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, text in files.items():
            data = text.encode()
            info = tarfile.TarInfo(name)
            info.size = len(data)
            tar.addfile(info, io.BytesIO(data))
    return buffer.getvalue()


def push_chart(client, tag: str, files: dict[str, str], layer_type: str = CHART_CONTENT) -> str:
    config = json.dumps(METADATA).encode()
    archive = chart_archive(files)
    push_blob(client, "library/charts/web", config)
    push_blob(client, "library/charts/web", archive)
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": descriptor(CHART_CONFIG, config),
        "layers": [descriptor(layer_type, archive)],
    }
    return put_manifest(client, "library/charts/web", tag, json.dumps(manifest).encode())


def test_chart_additions(admin_client):
    files = {
        "web/Chart.yaml": "name: web\n",
        # A subchart's files come first in the archive and must not be taken for the chart's own.
        "web/charts/redis/values.yaml": "redis: true\n",
        "web/charts/redis/README.md": "# redis\n",
        "web/values.yaml": VALUES,
        "web/README.md": README,
    }
    digest = push_chart(admin_client, "1.2.3", files)
    artifact = admin_client.get(f"{URL}/1.2.3").json()
    assert artifact["type"] == "CHART"
    base = f"/api/v2.0/projects/library/repositories/charts%252Fweb/artifacts/{digest}/additions"
    assert artifact["addition_links"] == {
        name: {"href": f"{base}/{name}", "absolute": False}
        for name in ("values.yaml", "readme.md", "dependencies")
    }

    values = admin_client.get(f"{URL}/1.2.3/additions/values.yaml")
    assert values.status_code == 200
    assert values["Content-Type"] == "text/plain; charset=utf-8"
    assert values.content.decode() == VALUES
    readme = admin_client.get(f"{URL}/1.2.3/additions/readme.md")
    assert readme["Content-Type"] == "text/markdown; charset=utf-8"
    assert readme.content.decode() == README
    assert admin_client.get(f"{URL}/1.2.3/additions/dependencies").json() == [
        {"name": "redis", "version": "18.x", "repository": "https://charts.example.com"},
        {"name": "common", "version": "2.0.0", "repository": ""},
    ]
    assert codes(admin_client.get(f"{URL}/1.2.3/additions/build_history")) == ["BAD_REQUEST"]


def test_a_chart_without_a_readme_or_with_a_broken_archive_answers_404(admin_client):
    push_chart(admin_client, "plain", {"web/Chart.yaml": "name: web\n", "web/values.yaml": VALUES})
    missing = admin_client.get(f"{URL}/plain/additions/readme.md")
    assert missing.status_code == 404 and codes(missing) == ["NOT_FOUND"]
    assert "no readme.md" in missing.json()["errors"][0]["message"]

    config = json.dumps(METADATA).encode()
    garbage = b"\x1f\x8b not really gzip"
    push_blob(admin_client, "library/charts/web", config)
    push_blob(admin_client, "library/charts/web", garbage)
    manifest = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "config": descriptor(CHART_CONFIG, config),
        "layers": [descriptor(CHART_CONTENT, garbage)],
    }
    put_manifest(admin_client, "library/charts/web", "broken", json.dumps(manifest).encode())
    broken = admin_client.get(f"{URL}/broken/additions/values.yaml")
    assert broken.status_code == 404 and "cannot be read" in broken.json()["errors"][0]["message"]
