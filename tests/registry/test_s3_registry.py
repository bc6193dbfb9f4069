"""The registry's HTTP API with blobs in S3 (a moto server): chunked pushes, redirected pulls."""

from __future__ import annotations

import json
import os

import httpx
import pytest
from django.test import Client

from registry import storage
from registry.storage.s3 import PART_SIZE
from tests.s3 import MotoS3

from .helpers import errors, push_image, sha256

MiB = 1024 * 1024


@pytest.fixture
def s3_prefix(settings, moto_server: MotoS3) -> str:
    """Point the registry at the moto server, under a key prefix of this test's own."""
    prefix = moto_server.new_prefix()
    settings.BLOB_STORAGE = "s3"
    settings.S3_BUCKET = moto_server.bucket
    settings.S3_ENDPOINT_URL = moto_server.endpoint_url
    settings.S3_REGION = moto_server.region
    settings.S3_PREFIX = prefix
    settings.S3_REDIRECT = True
    storage.blob_store.cache_clear()
    return prefix


def start_upload(client: Client, name: str) -> str:
    response = client.post(f"/v2/{name}/blobs/uploads/")
    assert response.status_code == 202, response.content
    return response["Location"]


def patch_chunks(client: Client, location: str, chunks: list[bytes]) -> None:
    offset = 0
    for chunk in chunks:
        response = client.patch(
            location,
            data=chunk,
            content_type="application/octet-stream",
            HTTP_CONTENT_RANGE=f"{offset}-{offset + len(chunk) - 1}",
        )
        assert response.status_code == 202, response.content
        offset += len(chunk)
        assert response["Range"] == f"0-{offset - 1}"
        location = response["Location"]


def test_chunked_push_then_redirected_pull(admin_client: Client, moto_server: MotoS3, s3_prefix: str) -> None:
    # Tiny PATCHes (below S3's 5 MiB part minimum), then ones that cross the 8 MiB part size.
    chunks = [os.urandom(1000) for _ in range(5)] + [os.urandom(3 * MiB) for _ in range(3)] + [b"end"]
    data = b"".join(chunks)
    assert len(data) > PART_SIZE
    digest = sha256(data)
    location = start_upload(admin_client, "library/app")
    patch_chunks(admin_client, location, chunks)

    response = admin_client.put(f"{location}?digest={digest}")
    assert response.status_code == 201, response.content
    assert response["Docker-Content-Digest"] == digest
    # Only the content, at its digest's key: the upload's staging is gone.
    assert moto_server.keys(f"{s3_prefix}/") == [f"{s3_prefix}/blobs/sha256/{digest[7:9]}/{digest[7:]}"]
    assert moto_server.multipart_uploads(f"{s3_prefix}/") == []

    head = admin_client.head(f"/v2/library/app/blobs/{digest}")
    assert head.status_code == 200
    assert head["Content-Length"] == str(len(data))

    pull = admin_client.get(f"/v2/library/app/blobs/{digest}")
    assert pull.status_code == 307
    assert pull["Docker-Content-Digest"] == digest
    fetched = httpx.get(pull["Location"])
    assert fetched.status_code == 200
    assert fetched.content == data

    # A range is served by the registry itself, streamed from S3.
    ranged = admin_client.get(f"/v2/library/app/blobs/{digest}", HTTP_RANGE="bytes=2000-2999999")
    assert ranged.status_code == 206
    assert ranged["Content-Range"] == f"bytes 2000-2999999/{len(data)}"
    assert b"".join(ranged.streaming_content) == data[2000:3_000_000]


def test_digest_mismatch_leaves_nothing_in_the_bucket(
    admin_client: Client, moto_server: MotoS3, s3_prefix: str
) -> None:
    # Enough to have a multipart upload open in S3 when the digest turns out wrong.
    chunks = [os.urandom(1000), os.urandom(PART_SIZE), os.urandom(1000)]
    location = start_upload(admin_client, "library/app")
    patch_chunks(admin_client, location, chunks)
    assert moto_server.keys(f"{s3_prefix}/") != []

    wrong = sha256(b"not what was sent")
    response = admin_client.put(f"{location}?digest={wrong}")
    assert response.status_code == 400
    assert errors(response) == ["DIGEST_INVALID"]
    assert moto_server.keys(f"{s3_prefix}/") == []
    assert moto_server.multipart_uploads(f"{s3_prefix}/") == []
    assert admin_client.get(location).status_code == 404
    assert admin_client.get(f"/v2/library/app/blobs/{sha256(b''.join(chunks))}").status_code == 404


def test_monolithic_image_push_and_pull(admin_client: Client, moto_server: MotoS3, s3_prefix: str) -> None:
    _, manifest = push_image(admin_client, "library/app", "v1", layers=2, size=50_000)
    assert admin_client.get("/v2/library/app/manifests/v1").content == manifest
    for layer in [layer["digest"] for layer in json.loads(manifest)["layers"]]:
        pull = admin_client.get(f"/v2/library/app/blobs/{layer}")
        assert pull.status_code == 307
        assert sha256(httpx.get(pull["Location"]).content) == layer
    assert all("/uploads/" not in key for key in moto_server.keys(f"{s3_prefix}/"))
