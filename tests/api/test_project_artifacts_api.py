"""`GET /projects/{project_name_or_id}/artifacts`: artifacts across a project's repositories."""

from __future__ import annotations

from django.test import Client

from projects.models import Project

from .registry_helpers import API, codes, push_config_image, push_cosign_signature, queries
from .test_chart_additions_api import CHART_CONFIG, push_chart

URL = f"{API}/projects/library/artifacts"


def _digests(client, url: str, **params) -> list[str]:
    response = client.get(url, params)
    assert response.status_code == 200, response.content
    return [artifact["digest"] for artifact in response.json()]


def test_lists_every_repository_and_hides_accessories(admin_client):
    first = push_config_image(admin_client, "library/a", "v1")
    second = push_config_image(admin_client, "library/team/b", "v1")
    push_cosign_signature(admin_client, "library/a", first)
    Project.objects.create(name="other")
    push_config_image(admin_client, "other/c", "v1")  # another project's: not listed
    assert sorted(_digests(admin_client, URL)) == sorted([first, second])
    library = Project.objects.get(name="library")
    assert sorted(_digests(admin_client, f"{API}/projects/{library.pk}/artifacts")) == sorted([first, second])
    [body] = admin_client.get(URL, {"q": f"digest={first}"}).json()
    assert body["repository_name"] == "library/a"
    assert [accessory["type"] for accessory in body["accessories"]] == ["signature.cosign"]


def test_latest_in_repository(admin_client):
    push_chart(admin_client, "1.0.0", {"web/values.yaml": "a: 1\n"})
    newest_chart = push_chart(admin_client, "1.1.0", {"web/values.yaml": "a: 2\n"})
    push_config_image(admin_client, "library/charts/web", "image")  # not a chart: not matched
    response = admin_client.get(URL, {"q": f"media_type={CHART_CONFIG}", "latest_in_repository": "true"})
    assert [artifact["digest"] for artifact in response.json()] == [newest_chart]
    refused = admin_client.get(URL, {"latest_in_repository": "true"})
    assert refused.status_code == 400 and codes(refused) == ["BAD_REQUEST"]
    assert "media_type" in refused.json()["errors"][0]["message"]


def test_private_projects_are_refused_to_strangers(admin_client, user_client):
    Project.objects.create(name="secret")
    push_config_image(admin_client, "secret/app", "v1")
    assert user_client("stranger").get(f"{API}/projects/secret/artifacts").status_code == 403
    assert Client().get(f"{API}/projects/secret/artifacts").status_code == 401
    assert Client().get(URL).status_code == 200  # library is public
    assert admin_client.get(f"{API}/projects/nope/artifacts").status_code == 404


def test_costs_the_same_for_1_or_20_repositories(admin_client):
    url = f"{URL}?page_size=50&with_label=true"
    digest = push_config_image(admin_client, "library/r0", "v1")
    push_cosign_signature(admin_client, "library/r0", digest)
    queries(admin_client, url)
    one = queries(admin_client, url)
    for index in range(1, 20):
        digest = push_config_image(admin_client, f"library/r{index}", "v1")
        push_cosign_signature(admin_client, f"library/r{index}", digest)
    queries(admin_client, url)  # saves the new artifacts' extra_attrs
    assert queries(admin_client, url) == one
    listed = admin_client.get(url).json()
    assert len(listed) == 20 and all(len(artifact["accessories"]) == 1 for artifact in listed)
