"""A push and pull round trip through the HTTP API with Basic auth."""

from __future__ import annotations

from .helpers import OCI_MANIFEST, push_image


def test_push_then_pull_by_tag_and_digest(admin_client):
    digest, manifest = push_image(admin_client, "library/app", "v1")
    by_tag = admin_client.get("/v2/library/app/manifests/v1", HTTP_ACCEPT=OCI_MANIFEST)
    assert by_tag.status_code == 200
    assert by_tag.content == manifest
    assert by_tag["Docker-Content-Digest"] == digest
    assert by_tag["Content-Type"] == OCI_MANIFEST
    by_digest = admin_client.get(f"/v2/library/app/manifests/{digest}")
    assert by_digest.content == manifest
