"""skopeo copies an image into the registry and back, byte for byte."""

from __future__ import annotations

import json
import subprocess

import pytest

from tests.server import ADMIN_PASSWORD

from .conftest import require
from .oci_layout import write_image_layout

pytestmark = pytest.mark.e2e


def skopeo(*args: str) -> subprocess.CompletedProcess:
    require("skopeo")
    return subprocess.run(["skopeo", *args], capture_output=True, text=True, timeout=300)


def test_copy_in_and_back_is_byte_identical(registry, tmp_path):
    source = tmp_path / "source"
    digest = write_image_layout(source, "v1", [3 * 1024 * 1024, 100_000, 10])
    pushed = skopeo(
        "copy",
        "--dest-tls-verify=false",
        f"--dest-creds=admin:{ADMIN_PASSWORD}",
        f"oci:{source}:v1",
        f"docker://{registry.host}/library/skopeo-test:v1",
    )
    assert pushed.returncode == 0, pushed.stderr

    back = tmp_path / "back"
    pulled = skopeo(
        "copy", "--src-tls-verify=false", f"docker://{registry.host}/library/skopeo-test:v1", f"oci:{back}:v1"
    )
    assert pulled.returncode == 0, pulled.stderr
    assert json.loads((back / "index.json").read_text())["manifests"][0]["digest"] == digest
    for blob in (source / "blobs" / "sha256").iterdir():
        assert (back / "blobs" / "sha256" / blob.name).read_bytes() == blob.read_bytes()


def test_anonymous_push_is_refused(registry, tmp_path):
    source = tmp_path / "source"
    write_image_layout(source, "v1", [1000])
    pushed = skopeo(
        "copy",
        "--dest-tls-verify=false",
        "--dest-no-creds",
        f"oci:{source}:v1",
        f"docker://{registry.host}/library/anon:v1",
    )
    assert pushed.returncode != 0
    assert "unauthorized" in pushed.stderr.lower() or "denied" in pushed.stderr.lower()


def test_push_into_missing_project_says_so(registry, tmp_path):
    source = tmp_path / "source"
    write_image_layout(source, "v1", [1000])
    pushed = skopeo(
        "copy",
        "--dest-tls-verify=false",
        f"--dest-creds=admin:{ADMIN_PASSWORD}",
        f"oci:{source}:v1",
        f"docker://{registry.host}/ghost/app:v1",
    )
    assert pushed.returncode != 0
    assert "project ghost not found" in pushed.stderr
