"""`/api/v2.0/projects/{p}/repositories/{r}/artifacts/...`: artifacts, tags, accessories,
additions and copies, driven over HTTP with content pushed through `/v2/`."""

from __future__ import annotations

import json
from urllib.parse import quote

import pytest
from django.test import Client

from events import bus
from projects.models import Project, ProjectMember
from projects.rbac import Role
from registry.models import Artifact, Repository, Tag
from registry.storage import blob_store

from ..conftest import basic
from ..registry.helpers import OCI_CONFIG, OCI_INDEX, OCI_MANIFEST, push_image
from .registry_helpers import (
    API,
    NOTATION,
    codes,
    push_config_image,
    push_cosign_signature,
    push_index,
    push_referrer,
    queries,
)

PASSWORD = "Password1"
ARTIFACTS = f"{API}/projects/library/repositories"
IMAGE_ICON = "sha256:0048162a053eef4d4ce3fe7518615bef084403614f8bca43b40ae2e762e11e06"


@pytest.fixture
def dev(django_user_model) -> Client:
    django_user_model.objects.create_user("dev", password=PASSWORD)
    return Client(HTTP_AUTHORIZATION=basic("dev", PASSWORD))


def test_image_artifact_json(admin_client):
    digest = push_config_image(admin_client, "library/team/app", "v1")
    url = f"{ARTIFACTS}/team%252Fapp/artifacts"
    listing = admin_client.get(url)
    assert listing["X-Total-Count"] == "1"
    [body] = listing.json()
    artifact = Artifact.objects.get()
    assert body == admin_client.get(f"{url}/v1").json() == admin_client.get(f"{url}/{digest}").json()
    repository = Repository.objects.get()
    assert {k: v for k, v in body.items() if k not in ("push_time", "tags", "extra_attrs")} == {
        "id": artifact.pk,
        "type": "IMAGE",
        "media_type": OCI_CONFIG,
        "manifest_media_type": OCI_MANIFEST,
        "artifact_type": OCI_CONFIG,
        "project_id": repository.project_id,
        "repository_id": repository.pk,
        "repository_name": "library/team/app",
        "digest": digest,
        "size": artifact.size,
        "icon": IMAGE_ICON,
        "pull_time": "0001-01-01T00:00:00.000Z",
        "annotations": {},
        "references": [],
        "addition_links": {
            "build_history": {
                "href": f"/api/v2.0/projects/library/repositories/team%252Fapp/artifacts/{digest}"
                "/additions/build_history",
                "absolute": False,
            }
        },
        "labels": [],
        "accessories": [],
    }
    assert body["extra_attrs"] == {
        "architecture": "arm64",
        "os": "linux",
        "created": "2024-05-01T10:00:00Z",
        "author": "ops@example.com",  # from the maintainer label, as Harbor falls back
        "config": {"Env": ["PATH=/bin"], "Cmd": ["sh"], "Labels": {"maintainer": "ops@example.com"}},
    }
    [tag] = body["tags"]
    assert tag["name"] == "v1" and tag["immutable"] is False and tag["artifact_id"] == artifact.pk
    assert tag["repository_id"] == repository.pk and tag["pull_time"] == "0001-01-01T00:00:00.000Z"
    assert admin_client.get(f"{url}/v1?with_tag=false").json()["tags"] is None
    assert "accessories" not in admin_client.get(f"{url}/v1?with_accessory=false").json()


def test_extra_attrs_are_read_once_and_kept(admin_client):
    push_config_image(admin_client, "library/app", "v1")
    assert Artifact.objects.get().extra_attrs is None  # the push did not read the config
    admin_client.get(f"{ARTIFACTS}/app/artifacts")
    assert Artifact.objects.get().extra_attrs["architecture"] == "arm64"


def test_an_unreadable_config_is_shown_empty_and_retried(admin_client):
    push_config_image(admin_client, "library/app", "v1")
    artifact = Artifact.objects.get()
    config_digest = json.loads(bytes(artifact.content))["config"]["digest"]
    blob_store().delete_blob(config_digest)
    assert admin_client.get(f"{ARTIFACTS}/app/artifacts/v1").json()["extra_attrs"] == {}
    assert Artifact.objects.get().extra_attrs is None


def test_build_history_and_other_additions(admin_client):
    push_config_image(admin_client, "library/app", "v1")
    url = f"{ARTIFACTS}/app/artifacts/v1/additions"
    assert admin_client.get(f"{url}/build_history").json() == [
        {"created": "2024-05-01T09:00:00Z", "created_by": "/bin/sh -c #(nop) ADD file:abc in /"},
        {"created": "2024-05-01T09:30:00Z", "created_by": 'CMD ["sh"]', "empty_layer": True},
    ]
    assert admin_client.get(f"{url}/vulnerabilities").json() == {}
    assert codes(admin_client.get(f"{url}/values.yaml")) == ["BAD_REQUEST"]
    push_index(admin_client, "library/app", "multi", ["amd64"])
    assert codes(admin_client.get(f"{ARTIFACTS}/app/artifacts/multi/additions/build_history")) == [
        "BAD_REQUEST"
    ]


def test_index_lists_its_children_and_hides_them(admin_client):
    index, children = push_index(admin_client, "library/multi", "latest", ["amd64", "arm64"])
    url = f"{ARTIFACTS}/multi/artifacts"
    [body] = admin_client.get(url).json()
    assert body["digest"] == index
    assert body["type"] == "IMAGE"
    assert body["media_type"] == body["manifest_media_type"] == OCI_INDEX
    assert body["addition_links"] == {}
    child_ids = dict(Artifact.objects.filter(digest__in=children).values_list("digest", "id"))
    assert body["references"] == [
        {
            "parent_id": body["id"],
            "child_id": child_ids[digest],
            "child_digest": digest,
            "platform": {"architecture": architecture, "os": "linux"},
            "annotations": {"note": architecture},
        }
        for digest, architecture in zip(children, ["amd64", "arm64"], strict=True)
    ]
    everything = admin_client.get(f"{url}?q=base%3D*")
    assert everything["X-Total-Count"] == "3"
    assert {a["digest"] for a in everything.json()} == {index, *children}


def test_delete_follows_harbor(admin_client):
    _, children = push_index(admin_client, "library/multi", "latest", ["amd64", "arm64"])
    # A tagged child survives its index; an untagged one goes with it.
    Tag.objects.create(
        repository=Repository.objects.get(), name="arm", artifact=Artifact.objects.get(digest=children[1])
    )
    url = f"{ARTIFACTS}/multi/artifacts"
    refused = admin_client.delete(f"{url}/{children[0]}")
    assert refused.status_code == 412
    assert codes(refused) == ["VIOLATE_FOREIGN_KEY_CONSTRAINT"]
    assert admin_client.delete(f"{url}/latest").status_code == 200
    assert set(Artifact.objects.values_list("digest", flat=True)) == {children[1]}
    assert codes(admin_client.delete(f"{url}/latest")) == ["NOT_FOUND"]


def test_accessories(admin_client):
    subject = push_config_image(admin_client, "library/app", "v1")
    notation = push_referrer(admin_client, "library/app", subject, NOTATION)
    sbom = push_referrer(admin_client, "library/app", subject, "application/spdx+json")
    cosign = push_cosign_signature(admin_client, "library/app", subject)
    url = f"{ARTIFACTS}/app/artifacts"

    listing = admin_client.get(url).json()
    assert [a["digest"] for a in listing] == [subject]  # accessories are not listed on their own
    types = {a["digest"]: a["type"] for a in listing[0]["accessories"]}
    assert types == {notation: "signature.notation", sbom: "subject.accessory", cosign: "signature.cosign"}

    accessories = admin_client.get(f"{url}/v1/accessories")
    assert accessories["X-Total-Count"] == "3"
    entry = next(a for a in accessories.json() if a["digest"] == cosign)
    signature = Artifact.objects.get(digest=cosign)
    assert entry == {
        "id": signature.pk,
        "artifact_id": signature.pk,
        "subject_artifact_id": Artifact.objects.get(digest=subject).pk,
        "subject_artifact_digest": subject,
        "subject_artifact_repo": "library/app",
        "size": signature.manifest_size,
        "digest": cosign,
        "type": "signature.cosign",
        "icon": "sha256:20401d5b3a0f6dbc607c8d732eb08471af4ae6b19811a4efce8c6a724aed2882",
        "creation_time": entry["creation_time"],
        "verification": None,  # the project trusts no key (signatures/)
    }
    only = admin_client.get(f"{url}/v1/accessories?q=type%3Dsignature.notation").json()
    assert [a["digest"] for a in only] == [notation]
    assert [a["type"] for a in admin_client.get(f"{url}/v1/accessories?sort=type").json()] == [
        "signature.cosign",
        "signature.notation",
        "subject.accessory",
    ]

    # Accessories are hard references: they go with their subject.
    assert admin_client.delete(f"{url}/v1").status_code == 200
    assert not Artifact.objects.exists()


def test_artifact_q_and_sort(admin_client):
    first = push_config_image(admin_client, "library/app", "v1")
    second, _ = push_image(admin_client, "library/app", "v2-beta")
    untagged, _ = push_image(admin_client, "library/app", "gone")
    admin_client.delete("/v2/library/app/manifests/gone")
    url = f"{ARTIFACTS}/app/artifacts"

    def digests(query: str) -> list[str]:
        response = admin_client.get(f"{url}?{query}")
        assert response.status_code == 200, response.content
        return [a["digest"] for a in response.json()]

    assert digests("") == [untagged, second, first]  # newest first
    assert digests("sort=push_time") == [first, second, untagged]
    assert digests("q=tags%3D*") == [second, first]
    assert digests("q=tags%3Dnil") == [untagged]
    assert digests("q=tags%3D~beta") == [second]
    assert digests("q=tags%3Dv1") == [first]
    assert digests(f"q=digest%3D{first}") == [first]
    assert digests("q=type%3DIMAGE,tags%3D*") == [second, first]
    assert digests(f"q=media_type%3D{quote(OCI_CONFIG)}&sort=push_time") == [first, second, untagged]
    assert digests("q=labels%3D(1)") == []
    assert codes(admin_client.get(f"{url}?q=secret%3D1")) == ["BAD_REQUEST"]
    assert admin_client.get(f"{API}/projects/library/repositories/none/artifacts").json() == []


def test_tags(admin_client):
    digest = push_config_image(admin_client, "library/app", "v1")
    other, _ = push_image(admin_client, "library/app", "other")
    url = f"{ARTIFACTS}/app/artifacts/{digest}/tags"

    created = admin_client.post(url, {"name": "stable"}, content_type="application/json")
    assert created.status_code == 201, created.content
    assert admin_client.get("/v2/library/app/manifests/stable")["Docker-Content-Digest"] == digest
    listing = admin_client.get(f"{url}?sort=name")
    assert [t["name"] for t in listing.json()] == ["stable", "v1"]
    assert listing["X-Total-Count"] == "2"
    assert [t["name"] for t in admin_client.get(f"{url}?q=name%3D~sta").json()] == ["stable"]

    assert codes(admin_client.post(url, {"name": "other"}, content_type="application/json")) == ["CONFLICT"]
    assert codes(admin_client.post(url, {"name": "-bad"}, content_type="application/json")) == ["BAD_REQUEST"]
    assert codes(admin_client.post(url, {}, content_type="application/json")) == ["BAD_REQUEST"]

    assert codes(admin_client.delete(f"{url}/other")) == ["NOT_FOUND"]  # a tag of another artifact
    assert admin_client.delete(f"{url}/stable").status_code == 200
    assert not Tag.objects.filter(name="stable").exists()
    assert Tag.objects.get(name="other").artifact.digest == other


def test_copy(admin_client):
    index, children = push_index(admin_client, "library/multi", "latest", ["amd64", "arm64"])
    signature = push_cosign_signature(admin_client, "library/multi", index)
    url = f"{API}/projects/library/repositories/copies%252Fmulti/artifacts"

    copied = admin_client.post(f"{url}?from=library/multi:latest")
    assert copied.status_code == 201, copied.content
    assert copied["Location"] == f"{url}/latest"
    target = Repository.objects.get(name="library/copies/multi")
    assert set(Artifact.objects.filter(repository=target).values_list("digest", flat=True)) == {
        index,
        *children,
        signature,
    }
    assert set(Tag.objects.filter(repository=target).values_list("name", flat=True)) == {
        "latest",
        f"sha256-{index.removeprefix('sha256:')}.sig",
    }
    for digest in children:
        assert admin_client.get(f"/v2/library/copies/multi/manifests/{digest}").status_code == 200
    layer = Artifact.objects.filter(repository=target, digest=children[0]).get().blobs.first()
    assert admin_client.head(f"/v2/library/copies/multi/blobs/{layer.digest}").status_code == 200

    again = admin_client.post(f"{url}?from=library/multi@{index}")
    assert again.status_code == 201
    assert again["Location"] == f"{url}/{index}"

    assert codes(admin_client.post(f"{url}?from=library/multi@{signature}")) == ["DENIED"]
    assert codes(admin_client.post(f"{url}?from=library/multi")) == ["BAD_REQUEST"]
    assert codes(admin_client.post(f"{url}?from=library/multi:nope")) == ["NOT_FOUND"]
    assert codes(admin_client.post(f"{url}?from=library/none:v1")) == ["NOT_FOUND"]


def test_copy_needs_read_on_the_source_and_create_on_the_target(admin_client, dev):
    private = Project.objects.create(name="private")
    mine = Project.objects.create(name="mine")
    ProjectMember.objects.create(project=mine, user_id=_user_id("dev"), role=Role.DEVELOPER)
    push_image(admin_client, "private/app", "v1")
    push_image(admin_client, "library/app", "v1")

    assert codes(dev.post(f"{API}/projects/mine/repositories/app/artifacts?from=private/app:v1")) == [
        "FORBIDDEN"
    ]
    assert (
        dev.post(f"{API}/projects/library/repositories/app/artifacts?from=library/app:v1").status_code == 403
    )
    copied = dev.post(f"{API}/projects/mine/repositories/app/artifacts?from=library/app:v1")
    assert copied.status_code == 201, copied.content
    ProjectMember.objects.create(project=private, user_id=_user_id("dev"), role=Role.GUEST)
    assert dev.post(f"{API}/projects/mine/repositories/app2/artifacts?from=private/app:v1").status_code == 201


def _user_id(username: str) -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username).pk


def test_permissions_by_role(admin_client, dev):
    private = Project.objects.create(name="private")
    push_image(admin_client, "private/app", "v1")
    push_image(admin_client, "library/app", "v1")
    anonymous = Client()
    library = f"{ARTIFACTS}/app/artifacts"
    hidden = f"{API}/projects/private/repositories/app/artifacts"

    assert anonymous.get(library).status_code == 200
    assert anonymous.get(f"{library}/v1/tags").status_code == 200
    assert anonymous.get(f"{library}/v1/accessories").status_code == 200
    assert anonymous.delete(f"{library}/v1").status_code == 401
    assert (
        anonymous.post(f"{library}/v1/tags", {"name": "x"}, content_type="application/json").status_code
        == 401
    )
    assert anonymous.get(hidden).status_code == 401
    assert codes(dev.get(f"{hidden}/v1")) == ["FORBIDDEN"]

    ProjectMember.objects.create(project=private, user_id=_user_id("dev"), role=Role.DEVELOPER)
    assert dev.get(f"{hidden}/v1").status_code == 200
    assert dev.post(f"{hidden}/v1/tags", {"name": "x"}, content_type="application/json").status_code == 201
    assert dev.delete(f"{hidden}/v1/tags/x").status_code == 403  # developers may not delete tags
    assert dev.delete(f"{hidden}/v1").status_code == 403
    ProjectMember.objects.filter(project=private).update(role=Role.MAINTAINER)
    assert dev.delete(f"{hidden}/v1/tags/x").status_code == 200
    assert dev.delete(f"{hidden}/v1").status_code == 200


def test_pull_time_shows_after_a_pull(admin_client):
    push_image(admin_client, "library/app", "v1")
    admin_client.get("/v2/library/app/manifests/v1")
    bus.flush()
    body = admin_client.get(f"{ARTIFACTS}/app/artifacts/v1").json()
    assert body["pull_time"] != "0001-01-01T00:00:00.000Z"
    assert body["tags"][0]["pull_time"] != "0001-01-01T00:00:00.000Z"


def test_listing_artifacts_costs_the_same_for_1_or_20(admin_client):
    """Tags, references, accessories and extra_attrs are loaded per page, never per artifact.

    The first listing of new artifacts also saves their extra_attrs: one UPDATE for the page."""
    url = f"{ARTIFACTS}/app/artifacts?page_size=50"

    def push(index: int) -> None:
        digest = push_config_image(admin_client, "library/app", f"v{index}")
        push_cosign_signature(admin_client, "library/app", digest)

    push(0)
    push_index(admin_client, "library/app", "multi", ["amd64"])
    queries(admin_client, url)  # the first request also verifies the password
    push(1)
    first_one = queries(admin_client, url)
    one = queries(admin_client, url)
    for index in range(2, 21):
        push(index)
    first_twenty = queries(admin_client, url)
    assert len(admin_client.get(url).json()) == 22
    assert first_twenty == first_one
    assert queries(admin_client, url) == one
    assert queries(admin_client, url.replace("?", "/v1/accessories?")) == queries(
        admin_client, url.replace("?", "/v20/accessories?")
    )


def test_distribution_delete_by_digest_is_the_same_deep_delete(admin_client):
    """`DELETE /v2/<name>/manifests/<digest>` goes through Harbor's artifact delete too."""
    subject = push_config_image(admin_client, "library/app", "v1")
    push_referrer(admin_client, "library/app", subject, NOTATION)
    push_cosign_signature(admin_client, "library/app", subject)
    assert admin_client.delete(f"/v2/library/app/manifests/{subject}").status_code == 202
    assert not Artifact.objects.exists()
    referrers = admin_client.get(f"/v2/library/app/referrers/{subject}").json()
    assert referrers["manifests"] == []
