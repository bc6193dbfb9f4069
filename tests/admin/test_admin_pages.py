"""Operators' admin pages render, search by name and digest, and stay a few queries per page."""

from __future__ import annotations

import json

import pytest
from django.test import Client

from accounts.models import User
from tests.registry.helpers import push_image


@pytest.fixture
def operator(admin_client) -> Client:
    for index in range(3):
        push_image(admin_client, f"library/app{index}", "v1", layers=1)
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    return client


@pytest.mark.parametrize(
    "page",
    ["repository", "artifact", "tag", "blob", "upload"],
)
def test_changelists_render_with_bounded_queries(operator, page, django_assert_max_num_queries):
    with django_assert_max_num_queries(12):
        response = operator.get(f"/admin/registry/{page}/")
    assert response.status_code == 200


def test_search_artifact_by_digest(operator, admin_client):
    digest, _ = push_image(admin_client, "library/findme", "v1", layers=1)
    response = operator.get("/admin/registry/artifact/", {"q": digest})
    assert response.status_code == 200
    assert b"library/findme" in response.content
    assert b"library/app0" not in response.content


def test_content_is_read_only_in_the_admin(operator):
    assert operator.get("/admin/registry/repository/add/").status_code == 403


def test_anonymous_is_sent_to_login(db):
    response = Client().get("/admin/registry/repository/")
    assert response.status_code == 302
    assert "/admin/login/" in response["Location"]


def test_robot_created_in_the_admin_shows_its_secret_once(operator):
    from projects.models import Robot

    response = operator.post(
        "/admin/projects/robot/add/",
        {
            "name": "ci",
            "project": "",
            "description": "",
            "duration": "30",
            "permissions": json.dumps(
                [
                    {
                        "kind": "project",
                        "namespace": "*",
                        "access": [{"resource": "repository", "action": "pull"}],
                    }
                ]
            ),
        },
        follow=True,
    )
    assert response.status_code == 200
    robot = Robot.objects.get(name="ci")
    shown = [str(m) for m in response.context["messages"] if "Secret of robot$ci" in str(m)]
    assert len(shown) == 1
    secret = shown[0].split(": ")[1].split(" ")[0]
    assert robot.secret != secret
    listing = operator.get("/admin/projects/robot/")
    assert secret.encode() not in listing.content


def test_robot_with_an_ungrantable_permission_is_refused_in_the_admin(operator):
    response = operator.post(
        "/admin/projects/robot/add/",
        {
            "name": "bad",
            "duration": "30",
            "permissions": json.dumps(
                [{"kind": "project", "namespace": "*", "access": [{"resource": "robot", "action": "update"}]}]
            ),
        },
    )
    assert response.status_code == 200
    assert b"bad request permission: robot:update" in response.content


def test_only_operators_enter_the_admin(db, django_user_model):
    """The admin asks the permission module: system administrators, including directory admins."""
    member = django_user_model.objects.create_user("member", password="Password1", is_staff=True)
    directory_admin = django_user_model.objects.create_user("diradmin", password="Password1")
    directory_admin.is_directory_admin = True
    directory_admin.save()
    for user, allowed in ((member, False), (directory_admin, True)):
        client = Client()
        client.force_login(user)
        response = client.get("/admin/registry/repository/")
        assert (response.status_code == 200) is allowed, user.username
