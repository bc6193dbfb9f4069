"""Blob reads and deletes: ranges, headers, and visibility per repository."""

from __future__ import annotations

import os

from .helpers import errors, push_blob, sha256


def test_get_and_head(admin_client):
    data = os.urandom(3000)
    digest = push_blob(admin_client, "library/app", data)
    head = admin_client.head(f"/v2/library/app/blobs/{digest}")
    assert head.status_code == 200
    assert head["Content-Length"] == "3000"
    assert head["Docker-Content-Digest"] == digest
    assert head.content == b""
    get = admin_client.get(f"/v2/library/app/blobs/{digest}")
    assert get.status_code == 200
    assert get.getvalue() == data
    assert get["Content-Length"] == "3000"


def test_ranges(admin_client):
    data = os.urandom(1000)
    digest = push_blob(admin_client, "library/app", data)
    url = f"/v2/library/app/blobs/{digest}"
    middle = admin_client.get(url, HTTP_RANGE="bytes=100-199")
    assert middle.status_code == 206
    assert middle.getvalue() == data[100:200]
    assert middle["Content-Range"] == "bytes 100-199/1000"
    assert middle["Content-Length"] == "100"
    tail = admin_client.get(url, HTTP_RANGE="bytes=900-")
    assert tail.getvalue() == data[900:]
    suffix = admin_client.get(url, HTTP_RANGE="bytes=-10")
    assert suffix.getvalue() == data[-10:]
    beyond = admin_client.get(url, HTTP_RANGE="bytes=5000-")
    assert beyond.status_code == 416
    assert beyond["Content-Range"] == "bytes */1000"


def test_unknown_blob(admin_client):
    push_blob(admin_client, "library/app", b"x")
    response = admin_client.get(f"/v2/library/app/blobs/{sha256(b'missing')}")
    assert response.status_code == 404
    assert errors(response) == ["BLOB_UNKNOWN"]
    assert admin_client.head(f"/v2/library/app/blobs/{sha256(b'missing')}").status_code == 404


def test_malformed_digest(admin_client):
    response = admin_client.get("/v2/library/app/blobs/sha256:xyz")
    assert response.status_code == 400
    assert errors(response) == ["DIGEST_INVALID"]


def test_blob_is_not_readable_from_another_project_unless_mounted(admin_client, private_project):
    data = os.urandom(64)
    digest = push_blob(admin_client, "private/secret", data)
    assert admin_client.get(f"/v2/library/app/blobs/{digest}").status_code == 404
    assert admin_client.get(f"/v2/private/secret/blobs/{digest}").status_code == 200


def test_delete_unlinks_the_blob_from_the_repository(admin_client):
    data = os.urandom(64)
    digest = push_blob(admin_client, "library/app", data)
    push_blob(admin_client, "library/other", data)
    assert admin_client.delete(f"/v2/library/app/blobs/{digest}").status_code == 202
    assert admin_client.get(f"/v2/library/app/blobs/{digest}").status_code == 404
    assert admin_client.get(f"/v2/library/other/blobs/{digest}").status_code == 200
    assert admin_client.delete(f"/v2/library/app/blobs/{digest}").status_code == 404


def test_unsupported_method_is_405_in_the_envelope(admin_client):
    digest = push_blob(admin_client, "library/app", b"x")
    response = admin_client.put(f"/v2/library/app/blobs/{digest}")
    assert response.status_code == 405
    assert errors(response) == ["UNSUPPORTED"]
