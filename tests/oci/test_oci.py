"""The framework-free OCI helpers on their own."""

from __future__ import annotations

import hashlib
import os

import pytest

from registry.oci.digest import parse_digest
from registry.oci.errors import DigestInvalid, ManifestInvalid, NameInvalid, TagInvalid
from registry.oci.hashing import ResumableHasher
from registry.oci.manifest import classify, parse_manifest
from registry.oci.names import validate_repository_name, validate_tag


@pytest.mark.parametrize(
    "value",
    ["sha256:" + "a" * 64, "sha512:" + "0" * 128],
)
def test_valid_digests(value):
    assert str(parse_digest(value)) == value


@pytest.mark.parametrize(
    "value",
    [
        "",
        "sha256",
        "sha256:" + "a" * 63,
        "sha256:" + "A" * 64,
        "md5:" + "a" * 32,
        "sha256:" + "g" * 64,
        "latest",
    ],
)
def test_invalid_digests(value):
    with pytest.raises(DigestInvalid):
        parse_digest(value)


@pytest.mark.parametrize(
    ("name", "project"),
    [("library/nginx", "library"), ("a/b/c", "a"), ("my-proj/x__y.z", "my-proj"), ("p/a--b", "p")],
)
def test_valid_names(name, project):
    assert validate_repository_name(name)[0] == project


@pytest.mark.parametrize("name", ["nginx", "Library/x", "a//b", "a/b/", "a/_b", "a/b-", "a/" + "b" * 300])
def test_invalid_names(name):
    with pytest.raises(NameInvalid):
        validate_repository_name(name)


def test_tags():
    assert validate_tag("v1.0_rc-1") == "v1.0_rc-1"
    for bad in ("-x", ".x", "a" * 129, "a/b", ""):
        with pytest.raises(TagInvalid):
            validate_tag(bad)


def test_resumable_hasher_survives_a_round_trip_through_bytes():
    data = os.urandom(3 * 1024 * 1024 + 17)
    hasher = ResumableHasher("sha256")
    hasher.update(data[:1_000_001])
    resumed = ResumableHasher("sha256", hasher.state())
    resumed.update(data[1_000_001:])
    assert resumed.resumable
    assert resumed.hexdigest() == hashlib.sha256(data).hexdigest()
    # hexdigest() does not consume the state
    resumed.update(b"more")
    assert resumed.hexdigest() == hashlib.sha256(data + b"more").hexdigest()


def test_resumable_sha512():
    hasher = ResumableHasher("sha512")
    hasher.update(b"abc")
    again = ResumableHasher("sha512", hasher.state())
    again.update(b"def")
    assert again.hexdigest() == hashlib.sha512(b"abcdef").hexdigest()


def test_manifest_shapes():
    image = parse_manifest(
        b'{"schemaVersion":2,"config":{"mediaType":"application/vnd.cncf.helm.config.v1+json",'
        b'"digest":"sha256:' + b"a" * 64 + b'","size":1},"layers":[]}',
        "application/octet-stream",
    )
    assert image.media_type == "application/vnd.oci.image.manifest.v1+json"
    assert classify(image) == "CHART"
    index = parse_manifest(b'{"schemaVersion":2,"manifests":[]}', "")
    assert index.is_index
    with pytest.raises(ManifestInvalid):
        parse_manifest(
            b'{"schemaVersion":2,"mediaType":"application/vnd.oci.image.index.v1+json","manifests":[]}',
            "application/vnd.oci.image.manifest.v1+json",
        )


def test_foreign_layers_are_not_required():
    manifest = parse_manifest(
        b'{"schemaVersion":2,"mediaType":"application/vnd.docker.distribution.manifest.v2+json",'
        b'"config":{"mediaType":"application/vnd.docker.container.image.v1+json","digest":"sha256:'
        + b"a"
        * 64
        + b'","size":1},"layers":[{"mediaType":"application/vnd.docker.image.rootfs.foreign.diff.tar.gzip",'
        b'"digest":"sha256:' + b"b" * 64 + b'","size":5,"urls":["https://example.com/x"]}]}',
        "application/vnd.docker.distribution.manifest.v2+json",
    )
    assert [d.digest for d in manifest.blob_references] == ["sha256:" + "a" * 64]
