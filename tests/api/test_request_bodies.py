"""Request bodies: an unknown field, a wrong type or an over-long name is Harbor's 400 with a
message naming the problem; read-only fields that Harbor's own clients send back are accepted."""

from __future__ import annotations

import json

import pytest

from projects.models import Label

from .registry_helpers import API, codes, push_config_image


def _send(client, method: str, path: str, body):
    return client.generic(method, f"{API}{path}", json.dumps(body), "application/json")


@pytest.mark.parametrize(
    ("method", "path", "body", "named"),
    [
        ("POST", "/projects", {"project_name": "p1", "projet_public": True}, "projet_public"),
        ("POST", "/labels", {"name": "l", "colour": "#fff"}, "colour"),
        ("POST", "/users", {"username": "u", "password": "Password1", "email": "u@x", "mail": 1}, "mail"),
        ("POST", "/usergroups", {"group_name": "g", "group_type": 3, "members": []}, "members"),
        (
            "POST",
            "/projects/library/members",
            {"role_id": 2, "member_user": {"username": "admin"}, "r": 1},
            "r",
        ),
        ("POST", "/robots", {"name": "r", "level": "system", "permission": []}, "permission"),
        ("PUT", "/projects/library/repositories/app", {"description": "d", "descripton": "d"}, "descripton"),
        ("POST", "/projects/library/repositories/app/artifacts/v1/tags", {"name": "v2", "tag": "v2"}, "tag"),
    ],
)
def test_an_unknown_field_is_named(admin_client, method, path, body, named):
    push_config_image(admin_client, "library/app", "v1")
    response = _send(admin_client, method, path, body)
    assert response.status_code == 400, response.content
    assert codes(response) == ["BAD_REQUEST"]
    assert named in response.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("path", "body", "named"),
    [
        ("/projects", {"project_name": 5}, "project_name must be a string, not a number"),
        ("/projects", {"project_name": "p3", "public": "true"}, "public must be a boolean, not a string"),
        ("/labels", {"name": "n", "project_id": True}, "project_id must be an integer, not a boolean"),
        ("/projects", {"project_name": "x" * 256}, "project_name"),
        ("/projects", {"project_name": "p2", "storage_limit": "lots"}, "storage_limit"),
        ("/labels", {"name": "x" * 200}, "name"),
        ("/projects", ["project_name"], "JSON object"),
    ],
)
def test_wrong_types_and_over_long_names(admin_client, path, body, named):
    response = _send(admin_client, "POST", path, body)
    assert response.status_code == 400, response.content
    assert codes(response) == ["BAD_REQUEST"]
    assert named in response.json()["errors"][0]["message"]


def test_read_only_fields_sent_back_are_accepted_and_ignored(admin_client):
    push_config_image(admin_client, "library/app", "v1")
    repository = admin_client.get(f"{API}/projects/library/repositories/app").json()
    repository["description"] = "changed"
    repository["pull_count"] = 999  # read-only: no effect
    assert _send(admin_client, "PUT", "/projects/library/repositories/app", repository).status_code == 200
    after = admin_client.get(f"{API}/projects/library/repositories/app").json()
    assert (after["description"], after["pull_count"]) == ("changed", 0)

    label = Label.objects.create(name="qa", scope=Label.GLOBAL)
    body = admin_client.get(f"{API}/labels/{label.pk}").json()
    body.update(description="described", id=12345)
    assert _send(admin_client, "PUT", f"/labels/{label.pk}", body).status_code == 200
    assert Label.objects.get(pk=label.pk).description == "described"
