"""Tag list, catalog and referrers: order, paging and filters."""

from __future__ import annotations

import json

from .helpers import OCI_INDEX, OCI_MANIFEST, errors, image_manifest, push_blob, push_image, sha256


def test_tags_are_sorted_and_paged(admin_client):
    _, manifest = push_image(admin_client, "library/app", "b")
    for tag in ("c", "a", "d"):
        admin_client.put(f"/v2/library/app/manifests/{tag}", manifest, content_type=OCI_MANIFEST)
    everything = admin_client.get("/v2/library/app/tags/list")
    assert json.loads(everything.content) == {"name": "library/app", "tags": ["a", "b", "c", "d"]}
    assert "Link" not in everything
    first = admin_client.get("/v2/library/app/tags/list?n=2")
    assert json.loads(first.content)["tags"] == ["a", "b"]
    assert first["Link"] == '</v2/library/app/tags/list?n=2&last=b>; rel="next"'
    second = admin_client.get("/v2/library/app/tags/list?n=2&last=b")
    assert json.loads(second.content)["tags"] == ["c", "d"]
    assert "Link" not in second
    none = admin_client.get("/v2/library/app/tags/list?n=0")
    assert json.loads(none.content)["tags"] == []
    assert "Link" not in none
    assert admin_client.get("/v2/library/app/tags/list?n=abc").status_code == 400


def test_tags_of_unknown_repository(admin_client):
    response = admin_client.get("/v2/library/nothing/tags/list")
    assert response.status_code == 404
    assert errors(response) == ["NAME_UNKNOWN"]


def test_catalog_for_admin_is_sorted_and_paged(admin_client):
    for name in ("library/zeta", "library/alpha", "library/mid"):
        push_image(admin_client, name, "v1", layers=1)
    # A repository with only blobs is not in the catalog.
    push_blob(admin_client, "library/blobs-only", b"x")
    page = admin_client.get("/v2/_catalog?n=2")
    assert json.loads(page.content) == {"repositories": ["library/alpha", "library/mid"]}
    assert page["Link"] == '</v2/_catalog?n=2&last=library%2Fmid>; rel="next"'
    rest = admin_client.get("/v2/_catalog?n=2&last=library/mid")
    assert json.loads(rest.content) == {"repositories": ["library/zeta"]}


def _push_referrer(client, subject_digest, subject_size, artifact_type, annotations=None):
    config = b"{}"
    push_blob(client, "library/app", config)
    subject = {"mediaType": OCI_MANIFEST, "digest": subject_digest, "size": subject_size}
    document = json.loads(image_manifest(config, [], subject=subject, artifact_type=artifact_type))
    if annotations:
        document["annotations"] = annotations
    body = json.dumps(document).encode()
    response = client.put(f"/v2/library/app/manifests/{sha256(body)}", body, content_type=OCI_MANIFEST)
    assert response.status_code == 201
    return sha256(body), body


def test_referrers_list_and_filter(admin_client):
    subject_digest, subject = push_image(admin_client, "library/app", "v1")
    sbom, sbom_body = _push_referrer(
        admin_client, subject_digest, len(subject), "application/spdx+json", {"created-by": "test"}
    )
    sig, _ = _push_referrer(admin_client, subject_digest, len(subject), "application/vnd.dev.cosign.sig")
    response = admin_client.get(f"/v2/library/app/referrers/{subject_digest}")
    assert response.status_code == 200
    assert response["Content-Type"] == OCI_INDEX
    index = json.loads(response.content)
    assert index["schemaVersion"] == 2 and index["mediaType"] == OCI_INDEX
    by_digest = {d["digest"]: d for d in index["manifests"]}
    assert set(by_digest) == {sbom, sig}
    assert by_digest[sbom] == {
        "mediaType": OCI_MANIFEST,
        "digest": sbom,
        "size": len(sbom_body),
        "artifactType": "application/spdx+json",
        "annotations": {"created-by": "test"},
    }
    assert "OCI-Filters-Applied" not in response
    filtered = admin_client.get(
        f"/v2/library/app/referrers/{subject_digest}?artifactType=application/spdx%2Bjson"
    )
    assert [d["digest"] for d in json.loads(filtered.content)["manifests"]] == [sbom]
    assert filtered["OCI-Filters-Applied"] == "artifactType"


def test_referrers_fall_back_to_config_media_type(admin_client):
    subject_digest, subject = push_image(admin_client, "library/app", "v1")
    _push_referrer(admin_client, subject_digest, len(subject), None)
    index = json.loads(admin_client.get(f"/v2/library/app/referrers/{subject_digest}").content)
    assert index["manifests"][0]["artifactType"] == "application/vnd.oci.image.config.v1+json"


def test_referrers_empty_and_bad_digest(admin_client):
    push_image(admin_client, "library/app", "v1")
    empty = admin_client.get(f"/v2/library/app/referrers/{sha256(b'none')}")
    assert empty.status_code == 200
    assert json.loads(empty.content)["manifests"] == []
    bad = admin_client.get("/v2/library/app/referrers/latest")
    assert bad.status_code == 400
