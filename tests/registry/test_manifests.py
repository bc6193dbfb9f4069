"""Manifests through `/v2/`: push, content negotiation, integrity, deletes."""

from __future__ import annotations

import json
import os

import pytest

from registry.models import Artifact, Tag

from .helpers import (
    OCI_CONFIG,
    OCI_INDEX,
    OCI_MANIFEST,
    descriptor,
    errors,
    image_manifest,
    push_blob,
    push_image,
    sha256,
)

DOCKER_MANIFEST = "application/vnd.docker.distribution.manifest.v2+json"
DOCKER_LIST = "application/vnd.docker.distribution.manifest.list.v2+json"


def put(client, name, reference, body, media_type=OCI_MANIFEST):
    return client.put(f"/v2/{name}/manifests/{reference}", body, content_type=media_type)


def test_push_answers_location_and_digest(admin_client):
    config, layer = b'{"os":"linux"}', os.urandom(100)
    push_blob(admin_client, "library/app", config)
    push_blob(admin_client, "library/app", layer)
    manifest = image_manifest(config, [layer])
    response = put(admin_client, "library/app", "v1", manifest)
    assert response.status_code == 201
    assert response["Docker-Content-Digest"] == sha256(manifest)
    assert response["Location"] == f"/v2/library/app/manifests/{sha256(manifest)}"
    assert "OCI-Subject" not in response


def test_head_matches_get_without_body(admin_client):
    digest, manifest = push_image(admin_client, "library/app", "v1")
    head = admin_client.head("/v2/library/app/manifests/v1")
    assert head.status_code == 200
    assert head.content == b""
    assert head["Content-Length"] == str(len(manifest))
    assert head["Docker-Content-Digest"] == digest
    assert head["Content-Type"] == OCI_MANIFEST


def test_bytes_are_stored_exactly_as_sent(admin_client):
    config = b"{}"
    push_blob(admin_client, "library/app", config)
    # Odd whitespace and key order must survive: the digest is over these bytes.
    manifest = (
        b'{\n  "schemaVersion" : 2,  "mediaType": "%s",\n'
        b'"config": {"mediaType": "%s", "size": 2, "digest": "%s"}, "layers": []}\n'
    ) % (OCI_MANIFEST.encode(), OCI_CONFIG.encode(), sha256(config).encode())
    assert put(admin_client, "library/app", "odd", manifest).status_code == 201
    assert admin_client.get("/v2/library/app/manifests/odd").content == manifest


def test_docker_schema2_manifest_and_list(admin_client):
    config, layer = b'{"architecture":"amd64"}', os.urandom(64)
    push_blob(admin_client, "library/dock", config)
    push_blob(admin_client, "library/dock", layer)
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": DOCKER_MANIFEST,
            "config": descriptor("application/vnd.docker.container.image.v1+json", config),
            "layers": [descriptor("application/vnd.docker.image.rootfs.diff.tar.gzip", layer)],
        }
    ).encode()
    assert put(admin_client, "library/dock", "amd64", manifest, DOCKER_MANIFEST).status_code == 201
    manifest_list = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": DOCKER_LIST,
            "manifests": [
                descriptor(DOCKER_MANIFEST, manifest, platform={"architecture": "amd64", "os": "linux"})
            ],
        }
    ).encode()
    assert put(admin_client, "library/dock", "latest", manifest_list, DOCKER_LIST).status_code == 201
    response = admin_client.get("/v2/library/dock/manifests/latest", HTTP_ACCEPT=DOCKER_LIST)
    assert response["Content-Type"] == DOCKER_LIST
    assert Artifact.objects.get(digest=sha256(manifest_list)).child_refs.get().platform["os"] == "linux"


def test_oci_index_needs_its_children(admin_client):
    _, child = push_image(admin_client, "library/multi", "amd64")
    index = json.dumps(
        {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [descriptor(OCI_MANIFEST, child)]}
    ).encode()
    assert put(admin_client, "library/multi", "latest", index, OCI_INDEX).status_code == 201
    missing = json.dumps(
        {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [descriptor(OCI_MANIFEST, b"nope")]}
    ).encode()
    response = put(admin_client, "library/multi", "broken", missing, OCI_INDEX)
    assert response.status_code == 404
    assert errors(response) == ["MANIFEST_BLOB_UNKNOWN"]


def test_accept_header_negotiation(admin_client):
    push_image(admin_client, "library/app", "v1")
    refused = admin_client.get("/v2/library/app/manifests/v1", HTTP_ACCEPT=DOCKER_MANIFEST)
    assert refused.status_code == 404
    assert errors(refused) == ["MANIFEST_UNKNOWN"]
    for accept in (f"{DOCKER_MANIFEST}, {OCI_MANIFEST}", "*/*", ""):
        assert admin_client.get("/v2/library/app/manifests/v1", HTTP_ACCEPT=accept).status_code == 200


def test_manifest_referencing_a_missing_blob_is_refused(admin_client):
    config = b"{}"
    push_blob(admin_client, "library/app", config)
    response = put(admin_client, "library/app", "v1", image_manifest(config, [b"never uploaded"]))
    assert response.status_code == 404
    assert errors(response) == ["MANIFEST_BLOB_UNKNOWN"]
    assert not Artifact.objects.exists()


def test_blob_of_another_repository_does_not_count(admin_client):
    config, layer = b"{}", os.urandom(10)
    push_blob(admin_client, "library/other", config)
    push_blob(admin_client, "library/other", layer)
    response = put(admin_client, "library/app", "v1", image_manifest(config, [layer]))
    assert errors(response) == ["MANIFEST_BLOB_UNKNOWN"]


def test_digest_reference_must_match_content(admin_client):
    config = b"{}"
    push_blob(admin_client, "library/app", config)
    manifest = image_manifest(config, [])
    response = put(admin_client, "library/app", sha256(b"other"), manifest)
    assert response.status_code == 400
    assert errors(response) == ["DIGEST_INVALID"]
    assert put(admin_client, "library/app", sha256(manifest), manifest).status_code == 201


@pytest.mark.parametrize(
    ("body", "media_type"),
    [
        (b"not json", OCI_MANIFEST),
        (b"[]", OCI_MANIFEST),
        (b'{"schemaVersion": 1}', OCI_MANIFEST),
        (b'{"schemaVersion": 2, "mediaType": "application/x-unknown"}', "application/x-unknown"),
        (b'{"schemaVersion": 2, "mediaType": "%s", "layers": []}' % OCI_MANIFEST.encode(), OCI_MANIFEST),
        (
            b'{"schemaVersion": 2, "mediaType": "%s", '
            b'"config": {"mediaType": "x", "size": 1, "digest": "bad"}, '
            b'"layers": []}' % OCI_MANIFEST.encode(),
            OCI_MANIFEST,
        ),
        (b'{"schemaVersion": 2, "mediaType": "%s", "manifests": []}' % OCI_INDEX.encode(), OCI_MANIFEST),
    ],
)
def test_invalid_manifests(admin_client, body, media_type):
    response = put(admin_client, "library/app", "v1", body, media_type)
    assert response.status_code == 400
    assert errors(response) == ["MANIFEST_INVALID"]


def test_manifest_over_4_mib_is_refused(admin_client):
    config = b"{}"
    push_blob(admin_client, "library/app", config)
    document = json.loads(image_manifest(config, []))
    document["annotations"] = {"padding": "x" * (4 * 1024 * 1024)}
    response = put(admin_client, "library/app", "big", json.dumps(document).encode())
    assert response.status_code == 413
    assert not Artifact.objects.exists()


def test_manifest_of_exactly_4_mib_minus_a_little_is_accepted(admin_client):
    config = b"{}"
    push_blob(admin_client, "library/app", config)
    document = json.loads(image_manifest(config, []))
    body = json.dumps(document).encode()
    document["annotations"] = {"padding": "x" * (4 * 1024 * 1024 - len(body) - 40)}
    body = json.dumps(document).encode()
    assert len(body) <= 4 * 1024 * 1024
    assert put(admin_client, "library/app", "large", body).status_code == 201


def test_failed_push_leaves_previous_tag_intact(admin_client):
    digest, manifest = push_image(admin_client, "library/app", "stable")
    broken = image_manifest(b"{}", [b"missing layer"])
    assert put(admin_client, "library/app", "stable", broken).status_code == 404
    assert put(admin_client, "library/app", "stable", b"garbage").status_code == 400
    response = admin_client.get("/v2/library/app/manifests/stable")
    assert response.content == manifest
    assert response["Docker-Content-Digest"] == digest


def test_pushing_a_tag_again_moves_it(admin_client):
    first, _ = push_image(admin_client, "library/app", "latest")
    second, _ = push_image(admin_client, "library/app", "latest")
    assert first != second
    assert admin_client.head("/v2/library/app/manifests/latest")["Docker-Content-Digest"] == second
    assert Tag.objects.count() == 1
    # The old artifact stays, reachable by digest.
    assert admin_client.head(f"/v2/library/app/manifests/{first}").status_code == 200


def test_invalid_tag(admin_client):
    response = put(admin_client, "library/app", "-bad", b"{}")
    assert response.status_code == 400
    assert errors(response) == ["TAG_INVALID"]


def test_unknown_manifest_and_repository(admin_client):
    push_image(admin_client, "library/app", "v1")
    missing = admin_client.get("/v2/library/app/manifests/v2")
    assert missing.status_code == 404
    assert errors(missing) == ["MANIFEST_UNKNOWN"]
    unknown_repo = admin_client.get("/v2/library/none/manifests/v1")
    assert unknown_repo.status_code == 404
    assert errors(unknown_repo) == ["NAME_UNKNOWN"]
    assert admin_client.head("/v2/library/app/manifests/v2").status_code == 404


def test_delete_tag_keeps_the_artifact(admin_client):
    digest, _ = push_image(admin_client, "library/app", "v1")
    assert admin_client.delete("/v2/library/app/manifests/v1").status_code == 202
    assert admin_client.get("/v2/library/app/manifests/v1").status_code == 404
    assert admin_client.get(f"/v2/library/app/manifests/{digest}").status_code == 200
    assert admin_client.delete("/v2/library/app/manifests/v1").status_code == 404


def test_delete_by_digest_removes_every_tag(admin_client):
    digest, _ = push_image(admin_client, "library/app", "v1")
    manifest = admin_client.get("/v2/library/app/manifests/v1").content
    put(admin_client, "library/app", "also", manifest)
    assert admin_client.delete(f"/v2/library/app/manifests/{digest}").status_code == 202
    for reference in ("v1", "also", digest):
        assert admin_client.get(f"/v2/library/app/manifests/{reference}").status_code == 404


def test_deleting_a_child_of_an_index_is_refused(admin_client):
    child_digest, child = push_image(admin_client, "library/multi", "amd64")
    index = json.dumps(
        {"schemaVersion": 2, "mediaType": OCI_INDEX, "manifests": [descriptor(OCI_MANIFEST, child)]}
    ).encode()
    put(admin_client, "library/multi", "latest", index, OCI_INDEX)
    response = admin_client.delete(f"/v2/library/multi/manifests/{child_digest}")
    assert response.status_code == 412
    assert admin_client.delete(f"/v2/library/multi/manifests/{sha256(index)}").status_code == 202
    assert admin_client.delete(f"/v2/library/multi/manifests/{child_digest}").status_code == 202


def test_subject_is_echoed_and_may_not_exist_yet(admin_client):
    config = b"{}"
    push_blob(admin_client, "library/app", config)
    subject = {"mediaType": OCI_MANIFEST, "digest": sha256(b"future"), "size": 6}
    manifest = image_manifest(config, [], subject=subject, artifact_type="application/vnd.example.sbom")
    response = put(admin_client, "library/app", sha256(manifest), manifest)
    assert response.status_code == 201
    assert response["OCI-Subject"] == sha256(b"future")


def test_reading_a_reference_that_cannot_be_a_tag_is_just_unknown(admin_client):
    """The conformance suite reads `.INVALID_MANIFEST_NAME` and wants 404, not 400."""
    push_image(admin_client, "library/app", "v1")
    for method in (admin_client.get, admin_client.head, admin_client.delete):
        assert method("/v2/library/app/manifests/.INVALID_MANIFEST_NAME").status_code == 404
