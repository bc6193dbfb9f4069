"""Robot accounts: permissions as granted, secrets shown once, refused when disabled or expired."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest
from django.contrib.auth.hashers import check_password
from django.test import Client
from django.utils import timezone

from projects.models import Project, Robot
from projects.robots import RobotError, create_robot, login_name, set_secret

from ..conftest import basic
from ..registry.helpers import errors, push_image


def project_permission(project: str, *actions: str) -> list[dict]:
    return [
        {
            "kind": "project",
            "namespace": project,
            "access": [{"resource": "repository", "action": action} for action in actions],
        }
    ]


@pytest.fixture
def team(admin_client) -> Project:
    project = Project.objects.create(name="team")
    push_image(admin_client, "team/app", "v1")
    return project


def robot_client(robot: Robot, secret: str) -> Client:
    return Client(HTTP_AUTHORIZATION=basic(login_name(robot), secret))


def test_project_robot_login_name_and_hashed_secret(team):
    robot, secret = create_robot("ci", project_permission("team", "pull"), project=team)
    assert login_name(robot) == "robot$team+ci"
    assert robot.secret != secret and check_password(secret, robot.secret)
    assert robot.expires_at is not None and robot.expires_at > timezone.now() + timedelta(days=29)


def test_pull_only_robot(team):
    robot, secret = create_robot("reader", project_permission("team", "pull"), project=team)
    client = robot_client(robot, secret)
    assert client.get("/v2/team/app/manifests/v1").status_code == 200
    refused = client.post("/v2/team/app/blobs/uploads/")
    assert refused.status_code == 403
    assert errors(refused) == ["DENIED"]
    token = json.loads(
        Client()
        .get(
            "/service/token?service=harbor-registry&scope=repository:team/app:pull,push",
            HTTP_AUTHORIZATION=basic(login_name(robot), secret),
        )
        .content
    )
    assert token["token"]


def test_push_implies_pull(team):
    robot, secret = create_robot("writer", project_permission("team", "push"), project=team)
    client = robot_client(robot, secret)
    assert client.post("/v2/team/app/blobs/uploads/").status_code == 202
    assert client.get("/v2/team/app/manifests/v1").status_code == 200
    assert client.delete("/v2/team/app/manifests/v1").status_code == 403


def test_project_robot_sees_nothing_of_other_private_projects(team):
    Project.objects.create(name="other")
    robot, secret = create_robot("ci", project_permission("team", "pull", "push"), project=team)
    assert robot_client(robot, secret).post("/v2/other/app/blobs/uploads/").status_code == 403


def test_system_robot_on_every_project_and_catalog(team):
    permissions = [
        {"kind": "system", "namespace": "/", "access": [{"resource": "catalog", "action": "read"}]},
        *project_permission("*", "pull"),
    ]
    robot, secret = create_robot("auditor", permissions)
    client = robot_client(robot, secret)
    assert login_name(robot) == "robot$auditor"
    assert client.get("/v2/team/app/manifests/v1").status_code == 200
    assert json.loads(client.get("/v2/_catalog").content) == {"repositories": ["team/app"]}


def test_wrong_secret_disabled_and_expired_robots_are_refused_at_once(team):
    robot, secret = create_robot("ci", project_permission("team", "pull"), project=team)
    client = robot_client(robot, secret)
    assert client.get("/v2/").status_code == 200
    assert robot_client(robot, "Wrong-secret1").get("/v2/").status_code == 401
    Robot.objects.filter(pk=robot.pk).update(disabled=True)
    assert client.get("/v2/").status_code == 401  # even though the secret was verified a moment ago
    Robot.objects.filter(pk=robot.pk).update(disabled=False, expires_at=timezone.now() - timedelta(seconds=1))
    assert client.get("/v2/").status_code == 401
    Robot.objects.filter(pk=robot.pk).update(expires_at=None)
    assert client.get("/v2/").status_code == 200


def test_refreshed_secret_replaces_the_old_one(team):
    robot, old = create_robot("ci", project_permission("team", "pull"), project=team)
    assert robot_client(robot, old).get("/v2/").status_code == 200
    new = set_secret(robot)
    assert robot_client(robot, old).get("/v2/").status_code == 401
    assert robot_client(robot, new).get("/v2/").status_code == 200
    assert set_secret(robot, "Chosen-Secret9") == "Chosen-Secret9"
    with pytest.raises(RobotError, match="upper-case"):
        set_secret(robot, "weak")


def test_never_expiring_robot(team):
    robot, _ = create_robot("forever", project_permission("team", "pull"), project=team, duration=-1)
    assert robot.expires_at is None


@pytest.mark.parametrize(
    ("name", "permissions", "message"),
    [
        ("Bad Name", project_permission("team", "pull"), "invalid robot name"),
        (
            "ci",
            [{"kind": "project", "namespace": "team", "access": [{"resource": "robot", "action": "update"}]}],
            "bad request permission: robot:update",
        ),
        ("ci", project_permission("other", "pull"), "can only hold permissions on it"),
        ("ci", [*project_permission("team", "pull"), *project_permission("team", "push")], "exactly one"),
        (
            "ci",
            [{"kind": "system", "namespace": "/", "access": [{"resource": "catalog", "action": "read"}]}],
            "system robot",
        ),
        ("ci", [], "at least one permission"),
    ],
)
def test_invalid_project_robots_are_refused(team, name, permissions, message):
    with pytest.raises(RobotError, match=message):
        create_robot(name, permissions, project=team)


def test_system_robot_permission_checks(team):
    with pytest.raises(RobotError, match="project ghost not found"):
        create_robot("x", project_permission("ghost", "pull"))
    with pytest.raises(RobotError, match="bad request permission: catalog:delete"):
        create_robot(
            "x",
            [{"kind": "system", "namespace": "/", "access": [{"resource": "catalog", "action": "delete"}]}],
        )
    create_robot("dup", project_permission("*", "pull"))
    with pytest.raises(RobotError, match="already exists"):
        create_robot("dup", project_permission("*", "pull"))


def test_projects_visible_to_robots(team):
    from projects.robots import robot_principal

    Project.objects.create(name="hidden")
    project_robot, _ = create_robot("ci", project_permission("team", "pull"), project=team)
    everywhere, _ = create_robot("all", project_permission("*", "pull"))

    def names(robot: Robot) -> list[str]:
        return list(Project.objects.visible_to(robot_principal(robot)).values_list("name", flat=True))

    assert names(project_robot) == ["library", "team"]
    assert names(everywhere) == ["hidden", "library", "team"]
