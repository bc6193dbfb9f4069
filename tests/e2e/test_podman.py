"""podman (as root, vfs storage) logs in, pulls and pushes."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path

import httpx
import pytest

from tests.server import ADMIN_PASSWORD

from .conftest import require
from .oci_layout import write_image_layout

pytestmark = pytest.mark.e2e


@pytest.fixture
def podman(tmp_path: Path):
    require("podman")
    # podman refuses a runroot path over 50 characters, so it gets a short temp dir.
    runroot = Path(tempfile.mkdtemp(prefix="prun-", dir="/tmp"))
    base = ["podman", "--root", str(tmp_path / "root"), "--runroot", str(runroot), "--storage-driver", "vfs"]
    auth_file = tmp_path / "auth.json"
    auth_file.write_text("{}")  # podman insists that REGISTRY_AUTH_FILE exists

    def run(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [*base, *args],
            capture_output=True,
            text=True,
            timeout=300,
            env={"REGISTRY_AUTH_FILE": str(auth_file), "PATH": "/usr/bin:/bin:/usr/sbin:/sbin"},
        )

    yield run
    shutil.rmtree(runroot, ignore_errors=True)


def seed_image(registry, tmp_path: Path, repository: str) -> str:
    """Put an image into the registry with skopeo, so podman has something to pull."""
    require("skopeo")
    layout = tmp_path / "layout"
    digest = write_image_layout(layout, "v1", [200_000, 1000])
    subprocess.run(
        [
            "skopeo",
            "copy",
            "--dest-tls-verify=false",
            f"--dest-creds=admin:{ADMIN_PASSWORD}",
            f"oci:{layout}:v1",
            f"docker://{registry.host}/{repository}:v1",
        ],
        check=True,
        capture_output=True,
        timeout=300,
    )
    return digest


def test_anonymous_pull_from_public_project(registry, podman, tmp_path):
    digest = seed_image(registry, tmp_path, "library/podman-pull")
    pulled = podman("pull", "--tls-verify=false", f"{registry.host}/library/podman-pull:v1")
    assert pulled.returncode == 0, pulled.stderr
    inspected = json.loads(podman("image", "inspect", f"{registry.host}/library/podman-pull:v1").stdout)
    assert inspected[0]["Digest"] == digest


def test_login_push_and_pull_back(registry, podman, tmp_path):
    seed_image(registry, tmp_path, "library/podman-src")
    assert podman("pull", "--tls-verify=false", f"{registry.host}/library/podman-src:v1").returncode == 0
    bad = podman("login", "--tls-verify=false", "-u", "admin", "-p", "wrong", registry.host)
    assert bad.returncode != 0
    good = podman("login", "--tls-verify=false", "-u", "admin", "-p", ADMIN_PASSWORD, registry.host)
    assert good.returncode == 0, good.stderr
    target = f"{registry.host}/library/podman-pushed:latest"
    assert podman("tag", f"{registry.host}/library/podman-src:v1", target).returncode == 0
    pushed = podman("push", "--tls-verify=false", target)
    assert pushed.returncode == 0, pushed.stderr

    token = httpx.get(
        f"{registry.url}/service/token",
        params={"service": "harbor-registry", "scope": "repository:library/podman-pushed:pull"},
    ).json()["token"]
    tags = httpx.get(
        f"{registry.url}/v2/library/podman-pushed/tags/list", headers={"Authorization": f"Bearer {token}"}
    )
    assert tags.json() == {"name": "library/podman-pushed", "tags": ["latest"]}

    assert podman("rmi", "-a", "-f").returncode == 0
    again = podman("pull", "--tls-verify=false", target)
    assert again.returncode == 0, again.stderr
