"""Labels on artifacts: `POST/DELETE .../artifacts/{ref}/labels`, `with_label` and `q=labels=`."""

from __future__ import annotations

import pytest

from projects.models import Project, ProjectMember
from projects.rbac import Role

from .registry_helpers import API, codes, push_config_image, queries

ARTIFACTS = f"{API}/projects/library/repositories/app/artifacts"


def _label(client, name: str, scope: str = "g", project_id: int | None = None) -> int:
    body = {"name": name, "scope": scope, **({"project_id": project_id} if project_id else {})}
    response = client.post(f"{API}/labels", body, content_type="application/json")
    assert response.status_code == 201, response.content
    return int(response["Location"].rsplit("/", 1)[1])


def _attach(client, reference: str, label_id: int, project: str = "library"):
    url = f"{API}/projects/{project}/repositories/app/artifacts/{reference}/labels"
    # Harbor's clients send the whole label; only its id counts.
    return client.post(url, {"id": label_id, "name": "ignored"}, content_type="application/json")


def _labels(client, reference: str, flag: str = "true") -> list[str]:
    body = client.get(f"{ARTIFACTS}/{reference}?with_label={flag}").json()
    return [label["name"] for label in body["labels"]]


def test_attach_list_and_detach(admin_client):
    push_config_image(admin_client, "library/app", "v1")
    prod = _label(admin_client, "prod")
    library = Project.objects.get(name="library")
    team = _label(admin_client, "team-only", scope="p", project_id=library.pk)
    assert _attach(admin_client, "v1", prod).status_code == 200
    assert _attach(admin_client, "v1", team).status_code == 200
    assert sorted(_labels(admin_client, "v1")) == ["prod", "team-only"]
    assert _labels(admin_client, "v1", "false") == []  # Harbor leaves them out unless asked
    [listed] = admin_client.get(f"{ARTIFACTS}?with_label=true").json()
    assert {label["id"] for label in listed["labels"]} == {prod, team}
    assert {label["scope"] for label in listed["labels"]} == {"g", "p"}

    response = admin_client.delete(f"{ARTIFACTS}/v1/labels/{prod}")
    assert response.status_code == 200
    assert _labels(admin_client, "v1") == ["team-only"]
    again = admin_client.delete(f"{ARTIFACTS}/v1/labels/{prod}")
    assert again.status_code == 404 and codes(again) == ["NOT_FOUND"]


def test_refusals(admin_client):
    push_config_image(admin_client, "library/app", "v1")
    other = Project.objects.create(name="other")
    foreign = _label(admin_client, "theirs", scope="p", project_id=other.pk)
    prod = _label(admin_client, "prod")

    response = _attach(admin_client, "v1", foreign)
    assert response.status_code == 400 and "another project" in response.json()["errors"][0]["message"]
    missing = _attach(admin_client, "v1", 999999)
    assert missing.status_code == 404 and codes(missing) == ["NOT_FOUND"]
    assert _attach(admin_client, "v1", prod).status_code == 200
    twice = _attach(admin_client, "v1", prod)
    assert twice.status_code == 409 and codes(twice) == ["CONFLICT"]
    bad = admin_client.post(f"{ARTIFACTS}/v1/labels", {"id": "x"}, content_type="application/json")
    assert bad.status_code == 400 and codes(bad) == ["BAD_REQUEST"]
    unknown_artifact = _attach(admin_client, "nope", prod)
    assert unknown_artifact.status_code == 404


@pytest.mark.parametrize(("role", "allowed"), [(Role.DEVELOPER, True), (Role.GUEST, False)])
def test_attaching_needs_artifact_label_create(admin_client, user_client, django_user_model, role, allowed):
    push_config_image(admin_client, "library/app", "v1")
    prod = _label(admin_client, "prod")
    client = user_client("member")
    member = django_user_model.objects.get(username="member")
    ProjectMember.objects.create(project=Project.objects.get(name="library"), user=member, role=role)
    assert _attach(client, "v1", prod).status_code == (200 if allowed else 403)
    if allowed:
        assert client.delete(f"{ARTIFACTS}/v1/labels/{prod}").status_code == 200


def test_deleting_a_label_detaches_it(admin_client):
    push_config_image(admin_client, "library/app", "v1")
    prod = _label(admin_client, "prod")
    _attach(admin_client, "v1", prod)
    assert admin_client.delete(f"{API}/labels/{prod}").status_code == 200
    assert _labels(admin_client, "v1") == []


def test_q_labels_filters_by_all_or_any(admin_client):
    digests = {
        tag: push_config_image(admin_client, "library/app", tag, {"n": tag}) for tag in ("a", "b", "c")
    }
    red, blue = _label(admin_client, "red"), _label(admin_client, "blue")
    _attach(admin_client, "a", red)
    _attach(admin_client, "b", red)
    _attach(admin_client, "b", blue)

    def listed(q: str) -> set[str]:
        response = admin_client.get(ARTIFACTS, {"q": q})
        assert response.status_code == 200, response.content
        return {artifact["digest"] for artifact in response.json()}

    assert listed(f"labels={red}") == {digests["a"], digests["b"]}
    assert listed(f"labels=({red} {blue})") == {digests["b"]}
    assert listed(f"labels=({red}, {blue})") == {digests["b"]}  # as Harbor's documentation writes it
    assert listed(f"labels={{{red} {blue}}}") == {digests["a"], digests["b"]}
    assert listed(f"labels={blue},tags=~b") == {digests["b"]}
    bad = admin_client.get(ARTIFACTS, {"q": "labels=(red)"})
    assert bad.status_code == 400 and "label ids" in bad.json()["errors"][0]["message"]


def test_with_label_costs_the_same_for_1_or_20(admin_client):
    prod = _label(admin_client, "prod")
    url = f"{ARTIFACTS}?page_size=50&with_label=true"
    push_config_image(admin_client, "library/app", "v0", {"n": 0})
    _attach(admin_client, "v0", prod)
    queries(admin_client, url)
    one = queries(admin_client, url)
    for index in range(1, 20):
        push_config_image(admin_client, "library/app", f"v{index}", {"n": index})
        _attach(admin_client, f"v{index}", prod)
    queries(admin_client, url)  # the first listing saves the new artifacts' extra_attrs
    assert queries(admin_client, url) == one
    assert all(artifact["labels"] for artifact in admin_client.get(url).json())
