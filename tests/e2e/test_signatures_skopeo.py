"""Signature policies against a live server, pulled with skopeo: cosign signatures pushed
both ways (tag scheme and OCI 1.1 referrer), verified against the project's trusted keys."""

from __future__ import annotations

import json
import subprocess
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.server import ADMIN_PASSWORD
from tests.signatures.signing import (
    certificate,
    cosign_signature,
    cosign_tag,
    ecdsa_key,
    notation_signature,
    public_pem,
    push_signed_httpx,
)

from .conftest import require
from .oci_layout import write_image_layout

pytestmark = pytest.mark.e2e
PROJECT = "signed"


@pytest.fixture(scope="module")
def api(registry) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=registry.url, auth=("admin", ADMIN_PASSWORD), timeout=30) as client:
        metadata = {
            "public": "false",
            "enable_content_trust_cosign": "true",
            "enable_signature_verification": "true",
        }
        created = client.post("/api/v2.0/projects", json={"project_name": PROJECT, "metadata": metadata})
        assert created.status_code == 201, created.text
        yield client


@pytest.fixture(scope="module")
def trusted_key(api):
    key = ecdsa_key()
    return key, add_key(api, {"name": "release", "kind": "cosign", "pem": public_pem(key)})


def add_key(api: httpx.Client, body: dict[str, str]) -> str:
    response = api.post(f"/api/v2.0/projects/{PROJECT}/trusted-keys", json=body)
    assert response.status_code == 201, response.text
    return response.headers["Location"]


def set_policy(api: httpx.Client, **metadata: str) -> None:
    response = api.put(f"/api/v2.0/projects/{PROJECT}", json={"metadata": metadata})
    assert response.status_code == 200, response.text


def skopeo(*args: str) -> subprocess.CompletedProcess:
    require("skopeo")
    return subprocess.run(["skopeo", *args], capture_output=True, text=True, timeout=300)


def push(registry, tmp_path: Path, repository: str) -> tuple[str, int]:
    source = tmp_path / repository
    digest = write_image_layout(source, "v1", [2000])
    manifest = source / "blobs" / "sha256" / digest.removeprefix("sha256:")
    pushed = skopeo(
        "copy",
        "--dest-tls-verify=false",
        f"--dest-creds=admin:{ADMIN_PASSWORD}",
        f"oci:{source}:v1",
        f"docker://{registry.host}/{PROJECT}/{repository}:v1",
    )
    assert pushed.returncode == 0, pushed.stderr
    return digest, manifest.stat().st_size


def pull(registry, tmp_path: Path, repository: str, into: str = "") -> subprocess.CompletedProcess:
    return skopeo(
        "copy",
        "--src-tls-verify=false",
        f"--src-creds=admin:{ADMIN_PASSWORD}",
        f"docker://{registry.host}/{PROJECT}/{repository}:v1",
        f"oci:{tmp_path / (into or repository + '-pulled')}:v1",
    )


def test_unsigned_is_refused(registry, api, trusted_key, tmp_path):
    push(registry, tmp_path, "unsigned")
    pulled = pull(registry, tmp_path, "unsigned")
    assert pulled.returncode != 0
    assert "The image is not signed by cosign." in pulled.stderr


def test_trusted_signature_by_tag_scheme_is_pulled(registry, api, trusted_key, tmp_path):
    digest, _ = push(registry, tmp_path, "tagged")
    push_signed_httpx(api, f"{PROJECT}/tagged", cosign_tag(digest), cosign_signature(trusted_key[0], digest))
    pulled = pull(registry, tmp_path, "tagged")
    assert pulled.returncode == 0, pulled.stderr
    index = json.loads((tmp_path / "tagged-pulled" / "index.json").read_text())
    assert index["manifests"][0]["digest"] == digest


def test_trusted_signature_as_referrer_is_pulled_and_shown(registry, api, trusted_key, tmp_path):
    digest, size = push(registry, tmp_path, "referred")
    signed = cosign_signature(trusted_key[0], digest, referrer_size=size)
    push_signed_httpx(api, f"{PROJECT}/referred", signed.digest, signed)
    pulled = pull(registry, tmp_path, "referred")
    assert pulled.returncode == 0, pulled.stderr
    artifact = api.get(f"/api/v2.0/projects/{PROJECT}/repositories/referred/artifacts/{digest}").json()
    assert artifact["accessories"][0]["verification"]["verified"] is True


@pytest.mark.parametrize("case", ["untrusted", "other-digest", "tampered"])
def test_bad_signatures_are_refused(registry, api, trusted_key, tmp_path, case):
    repository = f"bad-{case}"
    digest, size = push(registry, tmp_path, repository)
    key = ecdsa_key() if case == "untrusted" else trusted_key[0]
    names = None
    if case == "other-digest":
        names, _ = push(registry, tmp_path, f"{repository}-other")
    signed = cosign_signature(key, digest, names=names, tamper=case == "tampered", referrer_size=size)
    push_signed_httpx(api, f"{PROJECT}/{repository}", signed.digest, signed)
    pulled = pull(registry, tmp_path, repository)
    assert pulled.returncode != 0
    assert "not signed by a key the project trusts" in pulled.stderr


def test_removing_the_key_refuses_again(registry, api, trusted_key, tmp_path):
    """Another key stays trusted (`trusted_key`), so the refusal is about this signature."""
    key = ecdsa_key()
    location = add_key(api, {"name": "temporary", "kind": "cosign", "pem": public_pem(key)})
    digest, _ = push(registry, tmp_path, "revoked")
    push_signed_httpx(api, f"{PROJECT}/revoked", cosign_tag(digest), cosign_signature(key, digest))
    assert pull(registry, tmp_path, "revoked").returncode == 0
    assert api.delete(location).status_code == 200
    pulled = pull(registry, tmp_path, "revoked", into="revoked-again")
    assert pulled.returncode != 0
    assert "not signed by a key the project trusts" in pulled.stderr


def test_notation_signature_from_a_trusted_ca(registry, api, tmp_path):
    ca = certificate("E2E CA", ca=True)
    add_key(api, {"name": "ca", "kind": "notation", "pem": ca.pem})
    set_policy(api, enable_content_trust_cosign="false", enable_content_trust="true")
    try:
        digest, size = push(registry, tmp_path, "notarised")
        assert pull(registry, tmp_path, "notarised").returncode != 0
        signed = notation_signature(certificate("builder", ca, ca=False), [ca], digest, size)
        push_signed_httpx(api, f"{PROJECT}/notarised", signed.digest, signed)
        pulled = pull(registry, tmp_path, "notarised", into="notarised-signed")
        assert pulled.returncode == 0, pulled.stderr
    finally:
        set_policy(api, enable_content_trust_cosign="true", enable_content_trust="false")
