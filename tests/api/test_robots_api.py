"""`/api/v2.0/robots`: create (secret once), list by project, read, update, refresh, delete."""

from __future__ import annotations

import pytest
from django.test import Client

from projects.models import Project, ProjectMember, Robot
from projects.rbac import Role

from ..conftest import basic

API = "/api/v2.0"
PASSWORD = "Password1"


def project_robot(project: str, *actions: str, name: str = "ci") -> dict:
    return {
        "name": name,
        "level": "project",
        "duration": 30,
        "permissions": [
            {
                "kind": "project",
                "namespace": project,
                "access": [{"resource": "repository", "action": action} for action in actions],
            }
        ],
    }


@pytest.fixture
def team(db) -> Project:
    return Project.objects.create(name="team")


@pytest.fixture
def team_admin(team, django_user_model) -> Client:
    user = django_user_model.objects.create_user("lead", password=PASSWORD)
    ProjectMember.objects.create(project=team, user=user, role=Role.PROJECT_ADMIN)
    return Client(HTTP_AUTHORIZATION=basic("lead", PASSWORD))


def test_project_admin_creates_a_robot_and_sees_the_secret_once(team, team_admin):
    created = team_admin.post(
        f"{API}/robots", project_robot("team", "pull", "push"), content_type="application/json"
    )
    assert created.status_code == 201, created.content
    body = created.json()
    assert body["name"] == "robot$team+ci"
    assert created["Location"] == f"/api/v2.0/robots/{body['id']}"
    secret = body["secret"]
    assert Client(HTTP_AUTHORIZATION=basic("robot$team+ci", secret)).get("/v2/").status_code == 200

    read = team_admin.get(f"{API}/robots/{body['id']}").json()
    assert "secret" not in read
    assert read["level"] == "project" and read["disable"] is False
    assert read["permissions"][0]["access"][0] == {
        "resource": "repository",
        "action": "pull",
        "effect": "allow",
    }

    listing = team_admin.get(f"{API}/robots?q=ProjectID={team.pk}")
    assert [r["name"] for r in listing.json()] == ["robot$team+ci"]
    assert listing["X-Total-Count"] == "1"
    assert secret.encode() not in listing.content


def test_listing_all_robots_is_for_admins(team, team_admin, admin_client):
    team_admin.post(f"{API}/robots", project_robot("team", "pull"), content_type="application/json")
    assert team_admin.get(f"{API}/robots").status_code == 403
    assert [r["name"] for r in admin_client.get(f"{API}/robots?q=Level=project").json()] == ["robot$team+ci"]
    assert admin_client.get(f"{API}/robots?q=Level=system").json() == []


def test_update_disable_refresh_and_delete(team, team_admin):
    robot_id = team_admin.post(
        f"{API}/robots", project_robot("team", "pull"), content_type="application/json"
    ).json()["id"]
    update = project_robot("team", "pull", "push")
    update.update(disable=True, description="builds")
    assert (
        team_admin.put(f"{API}/robots/{robot_id}", update, content_type="application/json").status_code == 200
    )
    robot = Robot.objects.get(pk=robot_id)
    assert robot.disabled and robot.description == "builds"

    refreshed = team_admin.patch(f"{API}/robots/{robot_id}", {}, content_type="application/json").json()[
        "secret"
    ]
    assert len(refreshed) == 32
    chosen = team_admin.patch(
        f"{API}/robots/{robot_id}", {"secret": "Chosen-secret9"}, content_type="application/json"
    )
    assert chosen.json() == {"secret": "Chosen-secret9"}
    weak = team_admin.patch(f"{API}/robots/{robot_id}", {"secret": "weak"}, content_type="application/json")
    assert weak.status_code == 400

    assert team_admin.delete(f"{API}/robots/{robot_id}").status_code == 200
    assert not Robot.objects.filter(pk=robot_id).exists()


@pytest.mark.parametrize(
    ("body", "status"),
    [
        (project_robot("team", "pull") | {"name": "Bad Name"}, 400),
        (
            {
                **project_robot("team", "pull"),
                "permissions": [
                    {
                        "kind": "project",
                        "namespace": "team",
                        "access": [{"resource": "robot", "action": "update"}],
                    }
                ],
            },
            400,
        ),
        (project_robot("ghost", "pull"), 404),
        ({**project_robot("team", "pull"), "duration": 0}, 400),
    ],
)
def test_bad_robot_requests(team, team_admin, body, status):
    response = team_admin.post(f"{API}/robots", body, content_type="application/json")
    assert response.status_code == status, response.content


def test_duplicate_robot_is_a_conflict(team, team_admin):
    team_admin.post(f"{API}/robots", project_robot("team", "pull"), content_type="application/json")
    again = team_admin.post(f"{API}/robots", project_robot("team", "pull"), content_type="application/json")
    assert again.status_code == 409


def test_system_robots_are_created_by_admins_only(team, team_admin, admin_client):
    body = {
        "name": "auditor",
        "level": "system",
        "duration": -1,
        "permissions": [
            {"kind": "system", "namespace": "/", "access": [{"resource": "audit-log", "action": "list"}]}
        ],
    }
    assert team_admin.post(f"{API}/robots", body, content_type="application/json").status_code == 403
    created = admin_client.post(f"{API}/robots", body, content_type="application/json")
    assert created.status_code == 201
    assert created.json()["expires_at"] == -1


def test_other_projects_robots_are_out_of_reach(team, team_admin, admin_client):
    Project.objects.create(name="other")
    robot_id = admin_client.post(
        f"{API}/robots", project_robot("other", "pull"), content_type="application/json"
    ).json()["id"]
    assert team_admin.get(f"{API}/robots/{robot_id}").status_code == 403
    assert team_admin.delete(f"{API}/robots/{robot_id}").status_code == 403
    assert Client().get(f"{API}/robots/{robot_id}").status_code == 401
