"""The ORAS client (oras-py) pushes an artifact that refers to an image, and pulls it back."""

from __future__ import annotations

import hashlib
import json
import os

import httpx
import oras.client
import oras.oci
import pytest

from tests.server import ADMIN_PASSWORD

pytestmark = pytest.mark.e2e

SBOM_CONFIG = "application/vnd.example.sbom.config.v1+json"


def test_push_referrer_and_pull_it_back(registry, tmp_path, monkeypatch):
    client = oras.client.OrasClient(hostname=registry.host, insecure=True)
    client.login(
        username="admin",
        password=ADMIN_PASSWORD,
        hostname=registry.host,
        tls_verify=False,
        config_path=str(tmp_path / "docker-config.json"),  # not the user's ~/.docker/config.json
    )
    monkeypatch.chdir(tmp_path)  # oras-py only pushes files below the working directory

    image = tmp_path / "image.bin"
    image.write_bytes(os.urandom(50_000))
    pushed = client.push(target=f"{registry.host}/library/oras:v1", files=[str(image.name)], quiet=True)
    subject_manifest = pushed.request.body
    subject = oras.oci.Subject(
        mediaType="application/vnd.oci.image.manifest.v1+json",
        digest="sha256:" + hashlib.sha256(subject_manifest).hexdigest(),
        size=len(subject_manifest),
    )

    sbom = tmp_path / "sbom.json"
    sbom.write_text(json.dumps({"spdxVersion": "SPDX-2.3", "name": "example"}))
    config = tmp_path / "config.json"
    config.write_text("{}")
    referrer = client.push(
        target=f"{registry.host}/library/oras:sbom",
        files=[f"{sbom.name}:application/spdx+json"],
        manifest_config=f"{config.name}:{SBOM_CONFIG}",
        subject=subject,
        quiet=True,
    )
    assert referrer.headers["OCI-Subject"] == subject.digest

    token = httpx.get(
        f"{registry.url}/service/token",
        params={"service": "harbor-registry", "scope": "repository:library/oras:pull"},
    ).json()["token"]
    index = httpx.get(
        f"{registry.url}/v2/library/oras/referrers/{subject.digest}",
        params={"artifactType": SBOM_CONFIG},
        headers={"Authorization": f"Bearer {token}"},
    )
    assert index.headers["OCI-Filters-Applied"] == "artifactType"
    descriptors = index.json()["manifests"]
    assert [d["artifactType"] for d in descriptors] == [SBOM_CONFIG]

    out = tmp_path / "out"
    files = client.pull(target=f"{registry.host}/library/oras:sbom", outdir=str(out))
    assert [os.path.basename(f) for f in files] == ["sbom.json"]
    assert (out / "sbom.json").read_text() == sbom.read_text()
