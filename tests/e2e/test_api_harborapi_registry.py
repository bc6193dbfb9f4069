"""The registry API of a live server, read with the `harborapi` client: every response must
parse into its pydantic models (validation on), after skopeo pushed real images."""

from __future__ import annotations

import asyncio
import hashlib
import json
import subprocess
from pathlib import Path

import pytest
from harborapi import HarborAsyncClient
from harborapi.models import Repository, Tag

from tests.server import ADMIN_PASSWORD

from .conftest import require
from .oci_layout import write_image_layout

pytestmark = pytest.mark.e2e


def skopeo_push(registry, layout: Path, tag: str, destination: str) -> None:
    require("skopeo")
    pushed = subprocess.run(
        [
            "skopeo",
            "copy",
            "--dest-tls-verify=false",
            f"--dest-creds=admin:{ADMIN_PASSWORD}",
            f"oci:{layout}:{tag}",
            f"docker://{registry.host}/{destination}",
        ],
        capture_output=True,
        text=True,
        timeout=300,
    )
    assert pushed.returncode == 0, pushed.stderr


def add_history(layout: Path) -> None:
    """Give the layout's image a build history, as docker build would (new config, new manifest)."""
    index = json.loads((layout / "index.json").read_text())
    blobs = layout / "blobs" / "sha256"
    manifest = json.loads((blobs / index["manifests"][0]["digest"].split(":")[1]).read_bytes())
    config = json.loads((blobs / manifest["config"]["digest"].split(":")[1]).read_bytes())
    config["history"] = [{"created": "2024-05-01T09:00:00Z", "created_by": "/bin/sh -c #(nop) ADD file in /"}]
    config["created"] = "2024-05-01T09:00:00Z"
    config_bytes = json.dumps(config).encode()
    config_digest = hashlib.sha256(config_bytes).hexdigest()
    (blobs / config_digest).write_bytes(config_bytes)
    manifest["config"] = {
        **manifest["config"],
        "digest": f"sha256:{config_digest}",
        "size": len(config_bytes),
    }
    manifest_bytes = json.dumps(manifest).encode()
    manifest_digest = hashlib.sha256(manifest_bytes).hexdigest()
    (blobs / manifest_digest).write_bytes(manifest_bytes)
    index["manifests"][0].update(digest=f"sha256:{manifest_digest}", size=len(manifest_bytes))
    (layout / "index.json").write_text(json.dumps(index))


def test_harborapi_reads_what_skopeo_pushed(registry, tmp_path):
    first, second = tmp_path / "first", tmp_path / "second"
    write_image_layout(first, "v1", [2000, 300])
    add_history(first)
    write_image_layout(second, "v2", [1000])
    skopeo_push(registry, first, "v1", "library/team/api:v1")
    skopeo_push(registry, second, "v2", "library/team/api:v2")
    asyncio.run(_read_and_change(registry))


async def _read_and_change(registry) -> None:
    client = HarborAsyncClient(url=f"{registry.url}/api/v2.0", username="admin", secret=ADMIN_PASSWORD)
    repositories = await client.get_repositories()
    assert [r.name for r in repositories] == ["library/team/api"]
    assert (await client.get_repositories(project_name="library"))[0].artifact_count == 2
    repository = await client.get_repository("library", "team/api")
    assert repository.artifact_count == 2

    # page_size=1 makes the client follow our Link headers through the twice-encoded name.
    artifacts = await client.get_artifacts("library", "team/api", page_size=1, with_accessory=True)
    assert sorted(tag.name for a in artifacts for tag in a.tags or []) == ["v1", "v2"]
    artifact = await client.get_artifact("library", "team/api", "v1", with_label=True, with_accessory=True)
    assert artifact.type == "IMAGE"
    assert artifact.extra_attrs is not None and artifact.extra_attrs.root["architecture"] == "amd64"
    assert artifact.addition_links is not None and "build_history" in artifact.addition_links.root
    history = await client.get_artifact_build_history("library", "team/api", "v1")
    assert [entry.created_by for entry in history] == ["/bin/sh -c #(nop) ADD file in /"]
    assert await client.get_artifact_accessories("library", "team/api", "v1") == []

    await client.create_artifact_tag("library", "team/api", "v1", Tag(name="stable"))
    assert sorted(t.name for t in await client.get_artifact_tags("library", "team/api", "v1")) == [
        "stable",
        "v1",
    ]
    await client.delete_artifact_tag("library", "team/api", "v1", "stable")

    location = await client.copy_artifact("library", "copies/api", "library/team/api:v1")
    assert location.endswith("/artifacts/v1")
    copied = await client.get_artifact("library", "copies/api", "v1")
    assert copied.digest == artifact.digest

    found = await client.search("api")
    assert {r.repository_name for r in found.repository or []} == {"library/team/api", "library/copies/api"}

    await client.update_repository("library", "team/api", Repository(description="pushed by skopeo"))
    assert (await client.get_repository("library", "team/api")).description == "pushed by skopeo"
    await client.delete_artifact("library", "team/api", "v2")
    await client.delete_repository("library", "copies/api")
    assert [r.name for r in await client.get_repositories()] == ["library/team/api"]
