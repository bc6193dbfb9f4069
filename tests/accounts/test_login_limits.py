"""Password guessing is slowed: after repeated failures a login is refused for a while."""

from __future__ import annotations

import pytest
from axes.models import AccessAttempt
from django.test import Client

from projects.models import Project
from projects.robots import create_robot, login_name

from ..conftest import ADMIN_PASSWORD, basic
from ..registry.helpers import errors


@pytest.fixture(autouse=True)
def low_limit(settings):
    settings.AXES_FAILURE_LIMIT = 3


def status(login: str, password: str, path: str = "/v2/") -> int:
    return Client(HTTP_AUTHORIZATION=basic(login, password)).get(path).status_code


def test_user_is_locked_out_after_repeated_failures(admin_user, django_user_model):
    django_user_model.objects.create_user("other", password="Password1")
    for _ in range(2):
        assert status("admin", "Wrong-pass1") == 401
    locked = Client(HTTP_AUTHORIZATION=basic("admin", "Wrong-pass1")).get("/v2/")
    assert locked.status_code == 429
    assert errors(locked) == ["TOOMANYREQUESTS"]
    assert b"too many failed logins for admin" in locked.content
    assert status("admin", ADMIN_PASSWORD) == 429  # the right password no longer helps
    assert status("other", "Password1") == 200  # only that login is locked
    AccessAttempt.objects.all().delete()  # the cool-off period has passed
    assert status("admin", ADMIN_PASSWORD) == 200


def test_token_service_failures_count_too(admin_user):
    for _ in range(3):
        Client().get(
            "/service/token?service=harbor-registry", HTTP_AUTHORIZATION=basic("admin", "Wrong-pass1")
        )
    assert status("admin", ADMIN_PASSWORD) == 429
    response = Client().get(
        "/service/token?service=harbor-registry", HTTP_AUTHORIZATION=basic("admin", ADMIN_PASSWORD)
    )
    assert response.status_code == 429


def test_robot_secret_guessing_is_limited(db):
    project = Project.objects.create(name="team")
    robot, secret = create_robot(
        "ci",
        [{"kind": "project", "namespace": "team", "access": [{"resource": "repository", "action": "pull"}]}],
        project=project,
    )
    for _ in range(2):
        assert status(login_name(robot), "Wrong-secret1") == 401
    assert status(login_name(robot), "Wrong-secret1") == 429
    assert status(login_name(robot), secret) == 429
