"""Requests that answered 500 until schemathesis (tests/e2e/test_openapi_schemathesis.py) or the
review around it found them; each now gets Harbor's 4xx, or an empty page."""

from __future__ import annotations

import pytest

from projects.models import Project, Robot
from projects.robots import create_robot

from .registry_helpers import push_config_image

API = "/api/v2.0"
PAST_ANY_DATABASE = 10**24  # an offset no database integer holds


@pytest.mark.parametrize(
    "path",
    [
        "/projects",
        "/users",
        "/users/search?username=adm",
        "/usergroups/search?groupname=x",
        "/auditlog-exts",
        "/quotas",
        "/robots",
    ],
)
def test_a_page_past_the_end_is_empty(admin_client, path):
    separator = "&" if "?" in path else "?"
    response = admin_client.get(f"{API}{path}{separator}page={PAST_ANY_DATABASE}&page_size=50")
    assert response.status_code == 200, response.content
    assert response.json() == []
    assert int(response["X-Total-Count"]) >= 0
    assert 'rel="prev"' in response["Link"]


@pytest.mark.parametrize(
    "path",
    [
        "/projects?q=project_id=abc",
        "/projects?q=public=maybe",
        "/projects?q=project_id={1 x}",
        "/auditlog-exts?q=op_time=[yesterday~]",
        "/repositories?q=pull_count=[a~b]",
        "/users?q=sysadmin_flag=perhaps",
        "/robots?q=ProjectID=abc",
        "/labels?scope=p&project_id=abc",
        "/quotas?reference_id=false",
        "/projects/library/repositories/alpine/artifacts?q=size=big",
        "/projects/library/repositories/alpine/artifacts/latest/tags?q=push_time=[now~]",
    ],
)
def test_a_value_its_field_cannot_hold_is_a_bad_request(admin_client, path):
    push_config_image(admin_client, "library/alpine", "latest")
    response = admin_client.get(f"{API}{path}")
    assert response.status_code == 400, response.content
    assert response.json()["errors"][0]["code"] == "BAD_REQUEST"


def test_a_robot_secret_that_is_not_text_is_a_bad_request(admin_client, library):
    robot, _ = create_robot(
        "ci",
        [
            {
                "kind": "project",
                "namespace": "library",
                "access": [{"resource": "repository", "action": "pull"}],
            }
        ],
    )
    before = Robot.objects.get(pk=robot.pk).secret
    response = admin_client.patch(
        f"{API}/robots/{robot.pk}",
        {"secret": {"a": "b", "c": "d", "e": "f", "g": "h"}},
        content_type="application/json",
    )
    assert response.status_code == 400, response.content
    assert Robot.objects.get(pk=robot.pk).secret == before


@pytest.mark.parametrize("body", ["173627545", "[]", '"public"'])
def test_a_metadata_body_that_is_not_an_object_is_a_bad_request(admin_client, library, body):
    response = admin_client.put(
        f"{API}/projects/library/metadatas/public", body, content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert Project.objects.get(name="library").public == library.public


def test_a_configuration_number_too_large_for_an_integer_is_a_bad_request(admin_client):
    response = admin_client.put(
        f"{API}/configurations", '{"token_expiration": 1e400}', content_type="application/json"
    )
    assert response.status_code == 400, response.content
    assert "token_expiration" in response.json()["errors"][0]["message"]


@pytest.mark.parametrize("path", ["/projects/a%0Ab/members/-1", "/no%0Asuch/path"])
def test_an_unknown_path_with_a_newline_gets_harbors_json_404(admin_client, path):
    response = admin_client.get(f"{API}{path}")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/json")
    assert response.json()["errors"][0]["code"] == "NOT_FOUND"


@pytest.mark.parametrize(
    ("method", "path", "body", "status"),
    [
        ("get", "/projects/lib%00rary", None, 404),
        ("get", "/projects/library/repositories/al%00pine", None, 404),
        ("get", "/users?email=a%00b", None, 400),
        ("get", "/search?q=%00", None, 400),
        ("head", "/projects?project_name=%00", None, 400),
        ("post", "/projects/library/metadatas/", {"severity": "low\x00"}, 400),
        ("put", "/configurations", {"oidc_name": "x\x00"}, 400),
        ("post", "/robots", {"name": "ci", "permissions": [{"kind": "project", "namespace": "\x00"}]}, 400),
    ],
)
def test_nul_characters_are_refused_alike_on_every_database(admin_client, method, path, body, status):
    """SQLite stores NUL characters and PostgreSQL refuses them (a 500 there); both refuse here."""
    kwargs = {"data": body, "content_type": "application/json"} if body is not None else {}
    response = getattr(admin_client, method)(f"{API}{path}", **kwargs)
    assert response.status_code == status, response.content
    if method != "head":
        assert response.json()["errors"][0]["code"] in ("BAD_REQUEST", "NOT_FOUND")
