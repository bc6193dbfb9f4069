"""Images pushed through /v2/ and inventoried from the blob store."""

from __future__ import annotations

import json

import pytest

from registry.models import Artifact
from registry.storage import blob_store
from registry.storage.s3 import S3BlobStore
from scanning.inventory import InventoryError, inventory_of_artifact
from tests.registry.helpers import OCI_CONFIG, OCI_INDEX, OCI_MANIFEST, push_blob, sha256

from .layers import file, layer, whiteout

LAYER_TYPES = {
    "gzip": "application/vnd.oci.image.layer.v1.tar+gzip",
    "zstd": "application/vnd.oci.image.layer.v1.tar+zstd",
    "none": "application/vnd.oci.image.layer.v1.tar",
}


def push(client, name: str, tag: str, layers: list[tuple[bytes, str]], config_type: str = OCI_CONFIG) -> str:
    config = json.dumps({"architecture": "amd64", "os": "linux", "rootfs": {"type": "layers"}}).encode()
    for data in [config, *(blob for blob, _ in layers)]:
        push_blob(client, name, data)
    manifest = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": {"mediaType": config_type, "digest": sha256(config), "size": len(config)},
            "layers": [
                {"mediaType": LAYER_TYPES[kind], "digest": sha256(blob), "size": len(blob)}
                for blob, kind in layers
            ],
        }
    ).encode()
    response = client.put(f"/v2/{name}/manifests/{tag}", data=manifest, content_type=OCI_MANIFEST)
    assert response.status_code == 201, response.content
    return sha256(manifest)


def stored(name: str, digest: str) -> Artifact:
    return Artifact.objects.get(repository__name=name, digest=digest)


@pytest.fixture(params=["filesystem", "s3"])
def store(request) -> str:
    """Both blob stores: the inventory reads layers only through the storage interface."""
    if request.param == "s3":
        request.getfixturevalue("s3_prefix")
    return request.param


@pytest.mark.django_db
def test_pushed_image_is_inventoried_from_the_blob_store(admin_client, store, sample_debs, os_release):
    os_text, os_values = os_release
    names = list(sample_debs)
    base = layer(
        file("etc/os-release", os_text), file("var/lib/dpkg/status", "\n".join(sample_debs.values()))
    )
    app = layer(
        whiteout("var/lib/dpkg/status"),
        file("var/lib/dpkg/status", sample_debs[names[0]]),
        file(
            "app/node_modules/left-pad/package.json",
            '{"name":"left-pad","version":"1.3.0","license":"WTFPL"}',
        ),
        compression="zstd",
    )
    config = layer(file("etc/app.conf", "debug = false\n"), compression="none")
    digest = push(admin_client, "library/app", "v1", [(base, "gzip"), (app, "zstd"), (config, "none")])

    assert isinstance(blob_store(), S3BlobStore) == (store == "s3")
    result = inventory_of_artifact(stored("library/app", digest))
    assert result.os is not None and result.os.id == os_values["ID"]
    assert sorted((p.type, p.name) for p in result.packages) == [("deb", names[0]), ("npm", "left-pad")]
    assert result.warnings == []


@pytest.mark.django_db
def test_corrupt_layer_blob_names_its_digest(admin_client):
    good = layer(file("etc/hostname", "x\n"))
    corrupt = good[:20] + b"\0" * 30 + good[50:]
    digest = push(admin_client, "library/broken", "v1", [(good, "gzip"), (corrupt, "gzip")])
    with pytest.raises(InventoryError, match=rf"^layer 2 \({sha256(corrupt)}\): unreadable gzip-compressed"):
        inventory_of_artifact(stored("library/broken", digest))


@pytest.mark.django_db
def test_an_index_and_a_non_image_artifact_are_refused(admin_client):
    image = push(admin_client, "library/multi", "amd64", [(layer(file("etc/hostname", "x\n")), "gzip")])
    child = stored("library/multi", image)
    index = json.dumps(
        {
            "schemaVersion": 2,
            "mediaType": OCI_INDEX,
            "manifests": [{"mediaType": OCI_MANIFEST, "digest": image, "size": child.manifest_size}],
        }
    ).encode()
    response = admin_client.put("/v2/library/multi/manifests/latest", data=index, content_type=OCI_INDEX)
    assert response.status_code == 201, response.content
    with pytest.raises(InventoryError, match="is an index"):
        inventory_of_artifact(stored("library/multi", sha256(index)))

    helm = push(
        admin_client,
        "library/chart",
        "0.1.0",
        [(layer(file("Chart.yaml", "name: x\n")), "gzip")],
        config_type="application/vnd.cncf.helm.config.v1+json",
    )
    with pytest.raises(
        InventoryError, match=r"is not a container image \(config media type application/vnd.cncf"
    ):
        inventory_of_artifact(stored("library/chart", helm))
