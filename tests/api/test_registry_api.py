"""`/api/v2.0/repositories`, `/projects/{p}/repositories[/{r}]` and `/search`, driven over HTTP
with content pushed through `/v2/`."""

from __future__ import annotations

import pytest
from django.test import Client

from events import bus
from projects.models import Project, ProjectMember
from projects.rbac import Role
from registry.models import Artifact, Repository, Tag

from ..conftest import basic
from ..registry.helpers import push_image
from .registry_helpers import API, codes, push_cosign_signature, push_index, queries

PASSWORD = "Password1"


@pytest.fixture
def dev(django_user_model) -> Client:
    django_user_model.objects.create_user("dev", password=PASSWORD)
    return Client(HTTP_AUTHORIZATION=basic("dev", PASSWORD))


def member(project: Project, username: str, role: Role) -> None:
    from django.contrib.auth import get_user_model

    user = get_user_model().objects.get(username=username)
    ProjectMember.objects.create(project=project, user=user, role=role)


def test_repository_json_and_nested_names(admin_client):
    push_image(admin_client, "library/app", "v1")
    push_image(admin_client, "library/team/tool", "v1")
    push_image(admin_client, "library/team/tool", "v2")

    listing = admin_client.get(f"{API}/projects/library/repositories?sort=name")
    assert listing["X-Total-Count"] == "2"
    body = listing.json()
    assert [(r["name"], r["artifact_count"]) for r in body] == [("library/app", 1), ("library/team/tool", 2)]
    repository = Repository.objects.get(name="library/team/tool")
    assert set(body[1]) == {
        "id",
        "project_id",
        "name",
        "description",
        "artifact_count",
        "pull_count",
        "creation_time",
        "update_time",
    }
    assert body[1]["id"] == repository.pk
    assert body[1]["project_id"] == repository.project_id
    assert body[1]["description"] == ""
    assert body[1]["pull_count"] == 0

    # The part after the project travels encoded twice: a/b is a%252Fb.
    one = admin_client.get(f"{API}/projects/library/repositories/team%252Ftool")
    assert one.status_code == 200, one.content
    assert one.json()["name"] == "library/team/tool"
    assert admin_client.get(f"{API}/projects/library/repositories/app").json()["artifact_count"] == 1
    missing = admin_client.get(f"{API}/projects/library/repositories/nope")
    assert missing.status_code == 404
    assert codes(missing) == ["NOT_FOUND"]
    assert codes(admin_client.get(f"{API}/projects/nope/repositories")) == ["NOT_FOUND"]


def test_update_description_and_delete(admin_client):
    digest, _ = push_image(admin_client, "library/team/tool", "v1")
    url = f"{API}/projects/library/repositories/team%252Ftool"
    # harborapi sends the whole Repository model; only the description counts.
    updated = admin_client.put(
        url, {"name": "ignored", "description": "the tool"}, content_type="application/json"
    )
    assert updated.status_code == 200, updated.content
    assert admin_client.get(url).json()["description"] == "the tool"

    assert admin_client.delete(url).status_code == 200
    assert not Repository.objects.filter(name="library/team/tool").exists()
    assert not Artifact.objects.exists() and not Tag.objects.exists()
    assert admin_client.get(f"/v2/library/team/tool/manifests/{digest}").status_code == 404
    assert admin_client.delete(url).status_code == 404


def test_delete_repository_with_an_index_and_signatures(admin_client):
    index, _children = push_index(admin_client, "library/multi", "latest", ["amd64", "arm64"])
    push_cosign_signature(admin_client, "library/multi", index)
    assert Artifact.objects.count() == 4
    assert admin_client.delete(f"{API}/projects/library/repositories/multi").status_code == 200
    assert not Artifact.objects.exists()


def test_all_repositories_q_sort_and_paging(admin_client):
    for name in ("library/alpha", "library/beta", "library/group/gamma"):
        push_image(admin_client, name, "v1")
    names = [r["name"] for r in admin_client.get(f"{API}/repositories?sort=-name").json()]
    assert names == ["library/group/gamma", "library/beta", "library/alpha"]
    default = [r["name"] for r in admin_client.get(f"{API}/repositories").json()]
    assert default == ["library/group/gamma", "library/beta", "library/alpha"]  # newest first, as Harbor

    fuzzy = admin_client.get(f"{API}/repositories?q=name%3D~gam")
    assert [r["name"] for r in fuzzy.json()] == ["library/group/gamma"]
    exact = admin_client.get(f"{API}/projects/library/repositories?q=name%3Dlibrary/beta")
    assert [r["name"] for r in exact.json()] == ["library/beta"]

    page = admin_client.get(f"{API}/repositories?sort=name&page=2&page_size=1")
    assert [r["name"] for r in page.json()] == ["library/beta"]
    assert page["X-Total-Count"] == "3"
    assert page["Link"] == (
        '</api/v2.0/repositories?sort=name&page=1&page_size=1>; rel="prev" , '
        '</api/v2.0/repositories?sort=name&page=3&page_size=1>; rel="next"'
    )
    assert codes(admin_client.get(f"{API}/repositories?sort=secret")) == ["BAD_REQUEST"]
    assert codes(admin_client.get(f"{API}/repositories?q=owner%3D1")) == ["BAD_REQUEST"]


def test_artifact_count_leaves_out_index_children_and_accessories(admin_client):
    index, _ = push_index(admin_client, "library/multi", "latest", ["amd64", "arm64"])
    push_cosign_signature(admin_client, "library/multi", index)
    push_image(admin_client, "library/multi", "single")
    body = admin_client.get(f"{API}/projects/library/repositories/multi").json()
    assert body["artifact_count"] == 2  # the index and the single image


def test_pull_count_counts_manifest_pulls(admin_client):
    digest, _ = push_image(admin_client, "library/app", "v1")
    admin_client.get("/v2/library/app/manifests/v1")
    admin_client.get(f"/v2/library/app/manifests/{digest}")
    admin_client.head("/v2/library/app/manifests/v1")  # a HEAD is not a pull
    bus.flush()
    assert admin_client.get(f"{API}/projects/library/repositories/app").json()["pull_count"] == 2


def test_visibility_and_permissions(admin_client, dev):
    hidden = Project.objects.create(name="hidden")
    push_image(admin_client, "library/app", "v1")
    push_image(admin_client, "hidden/secret", "v1")
    anonymous = Client()

    assert [r["name"] for r in anonymous.get(f"{API}/repositories").json()] == ["library/app"]
    assert [r["name"] for r in dev.get(f"{API}/repositories").json()] == ["library/app"]
    assert {r["name"] for r in admin_client.get(f"{API}/repositories").json()} == {
        "library/app",
        "hidden/secret",
    }
    # Anyone may list and read on a public project; nobody else may change it.
    assert anonymous.get(f"{API}/projects/library/repositories/app").status_code == 200
    assert anonymous.delete(f"{API}/projects/library/repositories/app").status_code == 401
    assert dev.delete(f"{API}/projects/library/repositories/app").status_code == 403
    assert (
        dev.put(f"{API}/projects/library/repositories/app", {}, content_type="application/json").status_code
        == 403
    )

    # A private project: 401 to the anonymous, 403 to a stranger, open to its members by role.
    assert anonymous.get(f"{API}/projects/hidden/repositories").status_code == 401
    assert codes(dev.get(f"{API}/projects/hidden/repositories/secret")) == ["FORBIDDEN"]
    member(hidden, "dev", Role.GUEST)
    assert dev.get(f"{API}/projects/hidden/repositories/secret").status_code == 200
    assert {r["name"] for r in dev.get(f"{API}/repositories").json()} == {"library/app", "hidden/secret"}
    assert dev.delete(f"{API}/projects/hidden/repositories/secret").status_code == 403
    ProjectMember.objects.filter(project=hidden).update(role=Role.MAINTAINER)
    assert dev.delete(f"{API}/projects/hidden/repositories/secret").status_code == 200


def test_search(admin_client, dev):
    Project.objects.create(name="hidden")
    push_image(admin_client, "library/searchable", "v1")
    push_image(admin_client, "hidden/searchable", "v1")

    body = admin_client.get(f"{API}/search?q=search").json()
    assert body["project"] == []
    assert {r["repository_name"] for r in body["repository"]} == {"library/searchable", "hidden/searchable"}
    entry = next(r for r in body["repository"] if r["repository_name"] == "library/searchable")
    assert entry == {
        "project_id": Project.objects.get(name="library").pk,
        "project_name": "library",
        "project_public": True,
        "repository_name": "library/searchable",
        "pull_count": 0,
        "artifact_count": 1,
    }

    found = admin_client.get(f"{API}/search?q=lib").json()
    assert [p["name"] for p in found["project"]] == ["library"]
    assert found["project"][0]["repo_count"] == 1
    assert found["project"][0]["current_user_role_ids"] == []

    for client in (dev, Client()):
        seen = client.get(f"{API}/search?q=search").json()
        assert [r["repository_name"] for r in seen["repository"]] == ["library/searchable"]
        assert [p["name"] for p in client.get(f"{API}/search?q=hid").json()["project"]] == []


def test_listing_repositories_costs_the_same_for_1_or_20(admin_client):
    push_image(admin_client, "library/repo0", "v1", layers=1, size=10)
    url = f"{API}/repositories?page_size=50"
    queries(admin_client, url)  # the first request also verifies the password
    one = queries(admin_client, url)
    project_url = f"{API}/projects/library/repositories?page_size=50"
    queries(admin_client, project_url)
    one_in_project = queries(admin_client, project_url)
    for index in range(1, 20):
        push_image(admin_client, f"library/repo{index}", "v1", layers=1, size=10)
    assert len(admin_client.get(url).json()) == 20
    assert queries(admin_client, url) == one
    assert queries(admin_client, project_url) == one_in_project
    assert queries(admin_client, f"{API}/search?q=repo") == queries(admin_client, f"{API}/search?q=repo0")
