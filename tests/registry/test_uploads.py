"""Blob uploads through `/v2/`: every way to send a blob, and every way it can go wrong."""

from __future__ import annotations

import os

from registry.models import Blob, RepositoryBlob, Upload

from .helpers import errors, sha256

OCTET = "application/octet-stream"


def start(client, name="library/app"):
    response = client.post(f"/v2/{name}/blobs/uploads/")
    assert response.status_code == 202
    assert response["Range"] == "0-0"
    assert response["Docker-Upload-UUID"] in response["Location"]
    return response["Location"]


def patch(client, location, data, start_at, **headers):
    return client.generic(
        "PATCH",
        location,
        data,
        content_type=OCTET,
        HTTP_CONTENT_RANGE=f"{start_at}-{start_at + len(data) - 1}",
        **headers,
    )


def staged_files(blob_root):
    uploads = blob_root / "uploads"
    return [p for p in uploads.rglob("*") if p.is_file()] if uploads.exists() else []


def test_monolithic_post_with_digest_creates_the_blob(admin_client):
    data = os.urandom(5000)
    digest = sha256(data)
    response = admin_client.post(f"/v2/library/app/blobs/uploads/?digest={digest}", data, content_type=OCTET)
    assert response.status_code == 201
    assert response["Location"] == f"/v2/library/app/blobs/{digest}"
    assert response["Docker-Content-Digest"] == digest
    assert admin_client.get(f"/v2/library/app/blobs/{digest}").getvalue() == data


def test_post_then_put_with_body(admin_client):
    data = os.urandom(3000)
    location = start(admin_client)
    response = admin_client.put(f"{location}?digest={sha256(data)}", data, content_type=OCTET)
    assert response.status_code == 201
    assert Blob.objects.get(digest=sha256(data)).size == 3000


def test_chunked_upload_reports_range_and_finishes(admin_client, blob_root):
    data = os.urandom(10_000)
    location = start(admin_client)
    first = patch(admin_client, location, data[:4000], 0)
    assert first.status_code == 202
    assert first["Range"] == "0-3999"
    second = patch(admin_client, location, data[4000:], 4000)
    assert second["Range"] == "0-9999"
    status = admin_client.get(location)
    assert status.status_code == 204
    assert status["Range"] == "0-9999"
    done = admin_client.put(f"{location}?digest={sha256(data)}")
    assert done.status_code == 201
    assert admin_client.get(f"/v2/library/app/blobs/{sha256(data)}").getvalue() == data
    assert staged_files(blob_root) == []
    assert not Upload.objects.exists()


def test_out_of_order_chunk_gets_416_with_current_range(admin_client):
    data = os.urandom(2000)
    location = start(admin_client)
    patch(admin_client, location, data[:1000], 0)
    skipped = patch(admin_client, location, data[1500:], 1500)
    assert skipped.status_code == 416
    assert skipped["Range"] == "0-999"
    repeated = patch(admin_client, location, data[:1000], 0)
    assert repeated.status_code == 416
    assert repeated["Range"] == "0-999"
    # The client resumes from where the server says it stands.
    assert patch(admin_client, location, data[1000:], 1000).status_code == 202
    assert admin_client.put(f"{location}?digest={sha256(data)}").status_code == 201


def test_bad_content_range_is_refused(admin_client):
    location = start(admin_client)
    response = admin_client.generic("PATCH", location, b"abc", content_type=OCTET, HTTP_CONTENT_RANGE="x-y")
    assert response.status_code == 416
    mismatch = admin_client.generic("PATCH", location, b"abc", content_type=OCTET, HTTP_CONTENT_RANGE="0-9")
    assert mismatch.status_code == 416


def test_patch_without_content_range_appends_a_stream(admin_client):
    data = os.urandom(4096)
    location = start(admin_client)
    assert admin_client.generic("PATCH", location, data[:100], content_type=OCTET).status_code == 202
    response = admin_client.generic("PATCH", location, data[100:], content_type=OCTET)
    assert response["Range"] == "0-4095"
    assert admin_client.put(f"{location}?digest={sha256(data)}").status_code == 201


def test_digest_mismatch_keeps_nothing(admin_client, blob_root):
    data = os.urandom(2048)
    wrong = sha256(b"something else")
    location = start(admin_client)
    patch(admin_client, location, data, 0)
    response = admin_client.put(f"{location}?digest={wrong}")
    assert response.status_code == 400
    assert errors(response) == ["DIGEST_INVALID"]
    assert not Blob.objects.exists()
    assert staged_files(blob_root) == []
    assert [p for p in (blob_root / "blobs").rglob("*") if p.is_file()] == []
    # The session is gone too.
    assert admin_client.get(location).status_code == 404


def test_monolithic_digest_mismatch_keeps_nothing(admin_client, blob_root):
    response = admin_client.post(
        f"/v2/library/app/blobs/uploads/?digest={sha256(b'other')}", b"payload", content_type=OCTET
    )
    assert response.status_code == 400
    assert errors(response) == ["DIGEST_INVALID"]
    assert not Blob.objects.exists()
    assert not Upload.objects.exists()
    assert staged_files(blob_root) == []


def test_put_without_digest_or_with_malformed_digest(admin_client):
    location = start(admin_client)
    assert errors(admin_client.put(location)) == ["DIGEST_INVALID"]
    location = start(admin_client)
    response = admin_client.put(f"{location}?digest=md5:abc")
    assert response.status_code == 400
    assert errors(response) == ["DIGEST_INVALID"]


def test_sha512_digest_is_verified_by_rehashing(admin_client):
    import hashlib

    data = os.urandom(3000)
    digest = "sha512:" + hashlib.sha512(data).hexdigest()
    location = start(admin_client)
    patch(admin_client, location, data, 0)
    assert admin_client.put(f"{location}?digest={digest}").status_code == 201
    assert admin_client.get(f"/v2/library/app/blobs/{digest}").getvalue() == data


def test_cancel_upload(admin_client, blob_root):
    location = start(admin_client)
    patch(admin_client, location, b"partial", 0)
    assert admin_client.delete(location).status_code == 204
    assert staged_files(blob_root) == []
    response = admin_client.get(location)
    assert response.status_code == 404
    assert errors(response) == ["BLOB_UPLOAD_UNKNOWN"]


def test_unknown_upload_ids(admin_client):
    for upload_id in ("not-a-uuid", "00000000-0000-0000-0000-000000000000"):
        response = admin_client.get(f"/v2/library/app/blobs/uploads/{upload_id}")
        assert response.status_code == 404
        assert errors(response) == ["BLOB_UPLOAD_UNKNOWN"]


def test_upload_session_is_bound_to_its_repository(admin_client):
    location = start(admin_client, "library/one")
    other = location.replace("library/one", "library/two")
    assert admin_client.get(other).status_code == 404


def test_hash_state_travels_with_the_upload_row(admin_client):
    """Each chunk may reach another process: nothing but the row and the store carry state."""
    data = os.urandom(6000)
    location = start(admin_client)
    patch(admin_client, location, data[:3000], 0)
    upload = Upload.objects.get()
    assert upload.offset == 3000
    assert len(bytes(upload.hash_state)) > 0
    patch(admin_client, location, data[3000:], 3000)
    assert admin_client.put(f"{location}?digest={sha256(data)}").status_code == 201


def test_cross_repository_mount(admin_client):
    data = os.urandom(100)
    digest = sha256(data)
    admin_client.post(f"/v2/library/source/blobs/uploads/?digest={digest}", data, content_type=OCTET)
    response = admin_client.post(f"/v2/library/target/blobs/uploads/?mount={digest}&from=library/source")
    assert response.status_code == 201
    assert response["Location"] == f"/v2/library/target/blobs/{digest}"
    assert response["Docker-Content-Digest"] == digest
    assert admin_client.get(f"/v2/library/target/blobs/{digest}").getvalue() == data
    assert RepositoryBlob.objects.filter(blob__digest=digest).count() == 2


def test_mount_of_unknown_blob_falls_back_to_an_upload(admin_client):
    digest = sha256(b"never pushed")
    response = admin_client.post(f"/v2/library/target/blobs/uploads/?mount={digest}&from=library/source")
    assert response.status_code == 202
    assert "/blobs/uploads/" in response["Location"]


def test_push_into_a_missing_project_is_denied_clearly(admin_client):
    response = admin_client.post("/v2/nosuchproject/app/blobs/uploads/")
    assert response.status_code == 403
    assert errors(response) == ["DENIED"]
    assert b"project nosuchproject not found" in response.content


def test_invalid_repository_names(admin_client):
    for name in ("library/UPPER", "library/a..b", "single", "library/-x"):
        response = admin_client.post(f"/v2/{name}/blobs/uploads/")
        assert response.status_code == 400, name
        assert errors(response) == ["NAME_INVALID"], name


def test_a_chunk_while_another_request_writes_gets_416(admin_client):
    """Only one request writes an upload at a time; the other learns where it stands."""
    from datetime import timedelta

    from django.utils import timezone

    location = start(admin_client)
    patch(admin_client, location, b"0123456789", 0)
    Upload.objects.update(writer_until=timezone.now() + timedelta(minutes=5))  # a request in flight
    busy = patch(admin_client, location, b"abc", 10)
    assert busy.status_code == 416
    assert busy["Range"] == "0-9"
    assert admin_client.put(f"{location}?digest={sha256(b'0123456789')}").status_code == 416
    Upload.objects.update(writer_until=timezone.now() - timedelta(seconds=1))  # that request died
    assert patch(admin_client, location, b"abc", 10).status_code == 202
    assert Upload.objects.get().writer_until is None
    assert admin_client.put(f"{location}?digest={sha256(b'0123456789abc')}").status_code == 201
