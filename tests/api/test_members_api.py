"""`/api/v2.0/projects/{p}/members` with Harbor's semantics, through real HTTP and Basic auth."""

from __future__ import annotations

import pytest
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import GroupType, User, UserGroup
from configuration.store import update_config
from events.models import AuditLog
from projects.models import Project, ProjectMember
from projects.rbac import Role

API = "/api/v2.0"
JSON = "application/json"


def errors(response) -> list[str]:
    return [error["code"] for error in response.json()["errors"]]


@pytest.fixture
def team(db) -> Project:
    return Project.objects.create(name="team")


def add(client: Client, project: str, body: dict, **headers: str):
    return client.post(f"{API}/projects/{project}/members", body, content_type=JSON, **headers)


def test_add_list_read_update_and_remove_members(admin_client, user_client, team, on_commit):
    user_client("dev")
    dev = User.objects.get(username="dev")
    ops = UserGroup.objects.create(name="ops", group_type=GroupType.OIDC)

    by_name = on_commit(add, admin_client, "team", {"role_id": 2, "member_user": {"username": "dev"}})
    assert by_name.status_code == 201, by_name.content
    member = ProjectMember.objects.get(project=team, user=dev)
    assert by_name["Location"] == f"/api/v2.0/projects/team/members/{member.pk}"
    by_id = on_commit(add, admin_client, str(team.pk), {"role_id": 3, "member_group": {"id": ops.pk}})
    assert by_id["Location"].startswith(f"/api/v2.0/projects/{team.pk}/members/")

    listing = admin_client.get(f"{API}/projects/team/members")
    assert listing["X-Total-Count"] == "2"
    group_member = ProjectMember.objects.get(project=team, group=ops)
    assert listing.json() == [
        {
            "id": member.pk,
            "project_id": team.pk,
            "entity_name": "dev",
            "role_name": "developer",
            "role_id": 2,
            "entity_id": dev.pk,
            "entity_type": "u",
        },
        {
            "id": group_member.pk,
            "project_id": team.pk,
            "entity_name": "ops",
            "role_name": "guest",
            "role_id": 3,
            "entity_id": ops.pk,
            "entity_type": "g",
        },
    ]
    assert [
        m["entity_name"] for m in admin_client.get(f"{API}/projects/team/members?entityname=ops").json()
    ] == ["ops"]
    assert admin_client.get(f"{API}/projects/team/members?entityname=op").json() == []  # exact, as in Harbor

    url = f"{API}/projects/team/members/{member.pk}"
    assert admin_client.get(url).json()["role_name"] == "developer"
    assert on_commit(admin_client.put, url, {"role_id": 4}, content_type=JSON).status_code == 200
    assert admin_client.get(url).json()["role_name"] == "maintainer"
    assert on_commit(admin_client.delete, url).status_code == 200
    assert admin_client.get(url).status_code == 404

    assert list(
        AuditLog.objects.order_by("id").values_list(
            "event_type", "resource", "project_id", "operation_description"
        )
    ) == [
        ("create_member", "dev", team.pk, "create user member dev in project team"),
        ("create_member", "ops", team.pk, "create group member ops in project team"),
        ("update_member", "dev", team.pk, "update user member dev in project team"),
        ("delete_member", "dev", team.pk, "delete user member dev from project team"),
    ]


def test_project_by_name_header_and_location(admin_client, user_client):
    user_client("dev")
    Project.objects.create(name="42")
    created = add(
        admin_client, "42", {"role_id": 1, "member_user": {"username": "dev"}}, HTTP_X_IS_RESOURCE_NAME="true"
    )
    assert created.status_code == 201
    assert created["Location"].startswith("/api/v2.0/projects/42/members/")


def test_bad_requests(admin_client, user_client, team):
    user_client("dev")
    dev = User.objects.get(username="dev")
    ProjectMember.objects.create(project=team, user=dev, role=Role.GUEST)

    duplicate = add(admin_client, "team", {"role_id": 2, "member_user": {"user_id": dev.pk}})
    assert duplicate.status_code == 409
    assert duplicate.json()["errors"][0]["message"] == "The project member specified already exist"
    cases = [
        ({"role_id": 9, "member_user": {"username": "dev"}}, "BAD_REQUEST", "invalid role"),
        ({"member_user": {"username": "dev"}}, "BAD_REQUEST", "role_id"),
        ({"role_id": "x", "member_user": {"username": "dev"}}, "BAD_REQUEST", "role_id"),
        ({"role_id": 2}, "BAD_REQUEST", "at least one of member_user or member_group"),
        ({"role_id": 2, "member_user": {"user_id": 999999}}, "BAD_REQUEST", "User 999999 not found"),
        ({"role_id": 2, "member_group": {"id": 999999}}, "BAD_REQUEST", "Group 999999 not found"),
        ({"role_id": 2, "member_user": {"username": "nobody"}}, "NOT_FOUND", "user nobody not found"),
        ({"role_id": 2, "member_group": {"group_name": "nogroup"}}, "NOT_FOUND", "nogroup not found"),
        (
            {"role_id": 2, "member_group": {"ldap_group_dn": "cn=x,dc=example,dc=org"}},
            "NOT_FOUND",
            "not found",
        ),
        ({"role_id": 2, "member_user": "dev"}, "BAD_REQUEST", "member_user"),
    ]
    for body, code, text in cases:
        response = add(admin_client, "team", body)
        assert errors(response) == [code], body
        assert text in response.json()["errors"][0]["message"], body
    member = ProjectMember.objects.get(project=team, user=dev)
    url = f"{API}/projects/team/members/{member.pk}"
    assert errors(admin_client.put(url, {"role_id": 0}, content_type=JSON)) == ["BAD_REQUEST"]
    assert errors(admin_client.put(url, {}, content_type=JSON)) == ["BAD_REQUEST"]
    assert admin_client.get(f"{API}/projects/nope/members").status_code == 404
    assert admin_client.delete(f"{API}/projects/team/members/999999").status_code == 404
    other = Project.objects.create(name="other")
    assert admin_client.get(f"{API}/projects/{other.name}/members/{member.pk}").status_code == 404


def test_oidc_groups_are_created_by_name(admin_client, team):
    update_config({"auth_mode": "oidc_auth"})
    created = add(admin_client, "team", {"role_id": 2, "member_group": {"group_name": "from-idp"}})
    assert created.status_code == 201, created.content
    group = UserGroup.objects.get(name="from-idp")
    assert group.group_type == GroupType.OIDC
    assert ProjectMember.objects.get(project=team).group == group


@pytest.mark.parametrize(
    ("role", "reads", "manages"),
    [
        (Role.PROJECT_ADMIN, True, True),
        (Role.MAINTAINER, True, False),
        (Role.DEVELOPER, True, False),
        (Role.GUEST, True, False),
        (Role.LIMITED_GUEST, False, False),
        (None, False, False),
    ],
)
def test_who_may_read_and_manage_members(admin_client, user_client, team, role, reads, manages):
    caller = user_client("caller")
    user_client("other")
    if role is not None:
        ProjectMember.objects.create(project=team, user=User.objects.get(username="caller"), role=role)
    other = ProjectMember.objects.create(
        project=team, user=User.objects.get(username="other"), role=Role.GUEST
    )
    url = f"{API}/projects/team/members/{other.pk}"

    assert caller.get(f"{API}/projects/team/members").status_code == (200 if reads else 403)
    assert caller.get(url).status_code == (200 if reads else 403)
    expected = 200 if manages else 403
    assert caller.put(url, {"role_id": 2}, content_type=JSON).status_code == expected
    assert caller.delete(url).status_code == expected
    user_client("third")
    created = add(caller, "team", {"role_id": 2, "member_user": {"username": "third"}})
    assert created.status_code == (201 if manages else 403)


def test_roles_through_groups_and_anonymous_callers(user_client, team, library):
    caller = user_client("caller")
    admins = UserGroup.objects.create(name="admins", group_type=GroupType.OIDC)
    User.objects.get(username="caller").harbor_groups.add(admins)
    ProjectMember.objects.create(project=team, group=admins, role=Role.PROJECT_ADMIN)
    user_client("third")
    assert add(caller, "team", {"role_id": 3, "member_user": {"username": "third"}}).status_code == 201
    assert Client().get(f"{API}/projects/team/members").status_code == 401
    assert Client().get(f"{API}/projects/library/members").status_code == 401  # public: still no members
    assert caller.get(f"{API}/projects/library/members").status_code == 403


def test_listing_members_costs_the_same_queries_for_1_or_20(admin_client, django_user_model, team):
    def count() -> int:
        with CaptureQueriesContext(connection) as context:
            assert admin_client.get(f"{API}/projects/team/members?page_size=50").status_code == 200
        return len(context)

    group = UserGroup.objects.create(name="g0", group_type=GroupType.OIDC)
    ProjectMember.objects.create(project=team, group=group, role=Role.GUEST)
    count()  # the first request also verifies the password
    one = count()
    for index in range(10):
        user = django_user_model.objects.create_user(f"u{index}")
        ProjectMember.objects.create(project=team, user=user, role=Role.DEVELOPER)
        group = UserGroup.objects.create(name=f"g{index + 1}", group_type=GroupType.OIDC)
        ProjectMember.objects.create(project=team, group=group, role=Role.GUEST)
    assert count() == one
