"""`/api/v2.0/projects` with Harbor's semantics: create, list, read, update, delete, metadata."""

from __future__ import annotations

import pytest
from django.test import Client

from configuration.store import update_config
from projects.models import Project, ProjectMember
from projects.rbac import Role

from ..conftest import basic
from ..registry.helpers import push_image

API = "/api/v2.0"
PASSWORD = "Password1"


@pytest.fixture
def dev(django_user_model) -> Client:
    django_user_model.objects.create_user("dev", password=PASSWORD)
    return Client(HTTP_AUTHORIZATION=basic("dev", PASSWORD))


def errors(response) -> list[str]:
    return [error["code"] for error in response.json()["errors"]]


def test_create_read_list_update_delete(admin_client):
    created = admin_client.post(
        f"{API}/projects",
        {"project_name": "team", "metadata": {"public": "false", "auto_scan": "true"}},
        content_type="application/json",
    )
    assert created.status_code == 201, created.content
    project = Project.objects.get(name="team")
    assert created["Location"] == f"/api/v2.0/projects/{project.pk}"
    assert ProjectMember.objects.get(project=project).role == Role.PROJECT_ADMIN

    body = admin_client.get(f"{API}/projects/team").json()
    assert body["name"] == "team"
    assert body["metadata"] == {"public": "false", "auto_scan": "true"}
    assert body["current_user_role_ids"] == [1]
    assert body["owner_name"] == "admin"
    assert admin_client.get(f"{API}/projects/{project.pk}").json()["name"] == "team"

    listing = admin_client.get(f"{API}/projects?page_size=1&sort=name")
    assert listing["X-Total-Count"] == "2"
    assert [p["name"] for p in listing.json()] == ["library"]
    assert listing["Link"] == '</api/v2.0/projects?sort=name&page=2&page_size=1>; rel="next"'

    assert (
        admin_client.put(
            f"{API}/projects/team", {"metadata": {"public": "true"}}, content_type="application/json"
        ).status_code
        == 200
    )
    assert Project.objects.get(name="team").public

    assert admin_client.head(f"{API}/projects?project_name=team").status_code == 200
    assert admin_client.head(f"{API}/projects?project_name=nope").status_code == 404
    assert admin_client.get(f"{API}/projects/team/_deletable").json() == {"deletable": True, "message": ""}
    assert admin_client.delete(f"{API}/projects/team").status_code == 200
    assert admin_client.get(f"{API}/projects/team").status_code == 404


def test_bad_requests_are_harbors_400_and_409(admin_client):
    for body, code in (
        ({"project_name": "Bad Name"}, "BAD_REQUEST"),
        ({"project_name": "x" * 256}, "BAD_REQUEST"),
        ({"project_name": "ok", "metadata": {"severity": "extreme"}}, "BAD_REQUEST"),
        ({"project_name": "ok", "metadata": {"nonsense": "1"}}, "BAD_REQUEST"),
        ({"project_name": "library"}, "CONFLICT"),
    ):
        response = admin_client.post(f"{API}/projects", body, content_type="application/json")
        assert errors(response) == [code], body
    assert admin_client.get(f"{API}/projects?page_size=101").status_code == 400
    assert errors(admin_client.get(f"{API}/projects?q=name=(a")) == ["BAD_REQUEST"]
    assert errors(admin_client.get(f"{API}/projects?q=owner_secret=1")) == ["BAD_REQUEST"]
    assert errors(admin_client.get(f"{API}/projects?sort=password")) == ["BAD_REQUEST"]


def test_visibility_and_roles(admin_client, dev):
    Project.objects.create(name="hidden")
    names = [p["name"] for p in dev.get(f"{API}/projects").json()]
    assert names == ["library"]
    assert dev.get(f"{API}/projects/hidden").status_code == 403
    assert Client().get(f"{API}/projects/hidden").status_code == 401
    assert [p["name"] for p in Client().get(f"{API}/projects").json()] == ["library"]
    assert (
        dev.put(
            f"{API}/projects/library", {"metadata": {"public": "false"}}, content_type="application/json"
        ).status_code
        == 403
    )


def test_project_creation_restriction(admin_client, dev):
    assert (
        dev.post(f"{API}/projects", {"project_name": "mine"}, content_type="application/json").status_code
        == 201
    )
    update_config({"project_creation_restriction": "adminonly"})
    refused = dev.post(f"{API}/projects", {"project_name": "mine2"}, content_type="application/json")
    assert refused.status_code == 403
    assert (
        Client().post(f"{API}/projects", {"project_name": "x"}, content_type="application/json").status_code
        == 401
    )


def test_project_with_repositories_is_not_deletable(admin_client):
    push_image(admin_client, "library/app", "v1")
    assert admin_client.get(f"{API}/projects/library/_deletable").json()["deletable"] is False
    response = admin_client.delete(f"{API}/projects/library")
    assert response.status_code == 412
    assert errors(response) == ["PRECONDITION"]


def test_metadatas(admin_client):
    assert admin_client.get(f"{API}/projects/library/metadatas/").json() == {"public": "true"}
    assert (
        admin_client.post(
            f"{API}/projects/library/metadatas/", {"prevent_vul": "true"}, content_type="application/json"
        ).status_code
        == 200
    )
    assert admin_client.get(f"{API}/projects/library/metadatas/prevent_vul").json() == {"prevent_vul": "true"}
    assert admin_client.delete(f"{API}/projects/library/metadatas/prevent_vul").status_code == 200
    assert admin_client.get(f"{API}/projects/library/metadatas/prevent_vul").status_code == 404


def test_list_costs_the_same_queries_for_1_or_20_projects(admin_client):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(f"{API}/projects?page_size=50").status_code == 200
        return len(context)

    count()  # the first request also verifies the password
    one = count()
    for index in range(20):
        Project.objects.create(name=f"p{index}")
    assert count() == one


def test_errors_carry_a_request_id(admin_client):
    response = admin_client.get(f"{API}/projects/nope", HTTP_X_REQUEST_ID="abc-123")
    assert response["X-Request-Id"] == "abc-123"
    assert response.json() == {"errors": [{"code": "NOT_FOUND", "message": "project nope not found"}]}


def test_cve_allowlists(admin_client, dev):
    body = {"items": [{"cve_id": "CVE-2024-0001"}, {"cve_id": "CVE-2024-0001"}], "expires_at": 4102444800}
    assert (
        admin_client.put(f"{API}/system/CVEAllowlist", body, content_type="application/json").status_code
        == 200
    )
    system = dev.get(f"{API}/system/CVEAllowlist").json()
    assert system["items"] == [{"cve_id": "CVE-2024-0001"}] and system["project_id"] == 0
    assert dev.put(f"{API}/system/CVEAllowlist", body, content_type="application/json").status_code == 403
    bad = admin_client.put(
        f"{API}/system/CVEAllowlist", {"items": [{"cve_id": ""}]}, content_type="application/json"
    )
    assert bad.status_code == 400

    created = admin_client.post(
        f"{API}/projects",
        {"project_name": "team", "cve_allowlist": {"items": [{"cve_id": "CVE-1"}], "expires_at": None}},
        content_type="application/json",
    )
    assert created.status_code == 201
    assert admin_client.get(f"{API}/projects/team").json()["cve_allowlist"]["items"] == [{"cve_id": "CVE-1"}]


def test_unknown_api_paths_answer_harbors_json_404(admin_client):
    response = admin_client.get(f"{API}/projects/library/repositories/a%2Fb/nonsense")
    assert response.status_code == 404
    assert errors(response) == ["NOT_FOUND"]
    assert errors(admin_client.get(f"{API}/no-such-thing")) == ["NOT_FOUND"]
