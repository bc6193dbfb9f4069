"""The permission matrix: every caller and every project resource/action that has an endpoint,
one real request each, through `/v2/` or `/api/v2.0/`.

`MATRIX` is harbor.md §2.2 copied by hand into this test, independently of
`projects/rbac.py`: if the code's table and the reference disagree, a case fails.
Resources without endpoints yet (scan, sbom, scanner, tag-retention, immutable-tag,
notification-policy, preheat-policy, export-cve, configuration)
are not in it; they join when their endpoints exist.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from projects.models import Label, Project, ProjectMember
from projects.rbac import Role
from projects.robots import create_robot, login_name
from registry.models import Artifact, ArtifactLabel

from ..conftest import basic
from ..registry.helpers import push_image

ROLES = ("projectAdmin", "maintainer", "developer", "guest", "limitedGuest")

# resource action | projectAdmin maintainer developer guest limitedGuest  (y: granted)
MATRIX = """
self read                 | y y y y y
self update               | y . . . .
self delete               | y . . . .
member create             | y . . . .
member read               | y y y y .
member update             | y . . . .
member delete             | y . . . .
member list               | y y y y .
metadata create           | y . . . .
metadata read             | y y . . .
metadata update           | y . . . .
metadata delete           | y . . . .
log list                  | y . . . .
label create              | y y . . .
label read                | y y y y .
label update              | y y . . .
label delete              | y y . . .
label list                | y y y y .
quota read                | y y y y y
repository update         | y y y . .
repository delete         | y y . . .
repository list           | y y y y y
repository pull           | y y y y y
repository push           | y y y . .
robot create              | y . . . .
robot read                | y y y y .
robot update              | y . . . .
robot delete              | y . . . .
robot list                | y y y y .
artifact create           | y y y . .
artifact read             | y y y y y
artifact delete           | y y . . .
artifact list             | y y y y y
artifact-addition read    | y y y y y
tag create                | y y y . .
tag list                  | y y y y y
tag delete                | y y . . .
accessory list            | y y y y y
artifact-label create     | y y y . .
artifact-label delete     | y y y . .
"""


def _parse() -> dict[tuple[str, str], dict[str, bool]]:
    table = {}
    for line in MATRIX.strip().splitlines():
        left, right = line.split("|")
        resource, action = left.split()
        table[(resource, action)] = dict(zip(ROLES, (cell == "y" for cell in right.split()), strict=True))
    return table


EXPECTED = _parse()
PASSWORD = "Password1"
API = "/api/v2.0"
P = f"{API}/projects/team"
REPO = f"{P}/repositories/app"
ART = f"{REPO}/artifacts/v1"


@dataclass
class World:
    project: Project
    member_id: int
    label_id: int
    robot_id: int
    free_label_id: int  # a global label not attached to anything yet


@dataclass(frozen=True)
class Call:
    method: str
    path: str
    body: Any = None
    ok: tuple[int, ...] = (200, 201, 202)


def call_for(resource: str, action: str, world: World) -> Call:
    pid, mid, lid, rid = world.project.pk, world.member_id, world.label_id, world.robot_id
    robot = {
        "name": "new",
        "level": "project",
        "duration": 1,
        "permissions": [
            {"kind": "project", "namespace": "team", "access": [{"resource": "repository", "action": "pull"}]}
        ],
    }
    calls = {
        ("self", "read"): Call("GET", P),
        ("self", "update"): Call("PUT", P, {"metadata": {"auto_scan": "false"}}),
        ("self", "delete"): Call("DELETE", P, ok=(412,)),  # allowed, but it still holds a repository
        ("member", "create"): Call(
            "POST", f"{P}/members", {"role_id": 3, "member_user": {"username": "newbie"}}
        ),
        ("member", "read"): Call("GET", f"{P}/members/{mid}"),
        ("member", "update"): Call("PUT", f"{P}/members/{mid}", {"role_id": 2}),
        ("member", "delete"): Call("DELETE", f"{P}/members/{mid}"),
        ("member", "list"): Call("GET", f"{P}/members"),
        ("metadata", "create"): Call("POST", f"{P}/metadatas/", {"prevent_vul": "true"}),
        ("metadata", "read"): Call("GET", f"{P}/metadatas/auto_scan"),
        ("metadata", "update"): Call("PUT", f"{P}/metadatas/auto_scan", {"auto_scan": "false"}),
        ("metadata", "delete"): Call("DELETE", f"{P}/metadatas/auto_scan"),
        ("log", "list"): Call("GET", f"{P}/auditlog-exts"),
        ("label", "create"): Call(
            "POST", f"{API}/labels", {"name": "fresh", "scope": "p", "project_id": pid}
        ),
        ("label", "read"): Call("GET", f"{API}/labels/{lid}"),
        ("label", "update"): Call("PUT", f"{API}/labels/{lid}", {"description": "changed"}),
        ("label", "delete"): Call("DELETE", f"{API}/labels/{lid}"),
        ("label", "list"): Call("GET", f"{API}/labels?scope=p&project_id={pid}"),
        ("quota", "read"): Call("GET", f"{API}/quotas/{pid}"),
        ("repository", "update"): Call("PUT", REPO, {"description": "changed"}),
        ("repository", "delete"): Call("DELETE", REPO),
        ("repository", "list"): Call("GET", f"{P}/repositories"),
        ("repository", "pull"): Call("GET", "/v2/team/app/manifests/v1"),
        ("repository", "push"): Call("POST", "/v2/team/app/blobs/uploads/"),
        ("robot", "create"): Call("POST", f"{API}/robots", robot),
        ("robot", "read"): Call("GET", f"{API}/robots/{rid}"),
        ("robot", "update"): Call("PUT", f"{API}/robots/{rid}", {"description": "changed"}),
        ("robot", "delete"): Call("DELETE", f"{API}/robots/{rid}"),
        ("robot", "list"): Call("GET", f"{API}/robots?q=ProjectID={pid}"),
        ("artifact", "create"): Call("POST", f"{P}/repositories/copy/artifacts?from=team/app:v1"),
        ("artifact", "read"): Call("GET", ART),
        ("artifact", "delete"): Call("DELETE", ART),
        ("artifact", "list"): Call("GET", f"{REPO}/artifacts"),
        ("artifact-addition", "read"): Call("GET", f"{ART}/additions/build_history"),
        ("tag", "create"): Call("POST", f"{ART}/tags", {"name": "v2"}),
        ("tag", "list"): Call("GET", f"{ART}/tags"),
        ("tag", "delete"): Call("DELETE", f"{ART}/tags/v1"),
        ("accessory", "list"): Call("GET", f"{ART}/accessories"),
        ("artifact-label", "create"): Call("POST", f"{ART}/labels", {"id": world.free_label_id}),
        ("artifact-label", "delete"): Call("DELETE", f"{ART}/labels/{lid}"),
    }
    return calls[(resource, action)]


@pytest.fixture
def world(admin_client, django_user_model) -> World:
    project = Project.objects.create(name="team", metadata={"auto_scan": "true"})
    push_image(admin_client, "team/app", "v1", layers=1)
    other = django_user_model.objects.create_user("other", password=PASSWORD)
    django_user_model.objects.create_user("newbie", password=PASSWORD)
    member = ProjectMember.objects.create(project=project, user=other, role=Role.GUEST)
    label = Label.objects.create(name="qa", scope=Label.PROJECT, project=project)
    ArtifactLabel.objects.create(artifact=Artifact.objects.get(tags__name="v1"), label=label)
    free = Label.objects.create(name="global", scope=Label.GLOBAL)
    robot, _ = create_robot(
        "existing",
        [{"kind": "project", "namespace": "team", "access": [{"resource": "repository", "action": "pull"}]}],
        project=project,
    )
    return World(project, member.pk, label.pk, robot.pk, free.pk)


def send(client: Client, call: Call) -> int:
    if call.body is None:
        return client.generic(call.method, call.path).status_code
    return client.generic(call.method, call.path, json.dumps(call.body), "application/json").status_code


def role_client(world: World, role: str) -> Client:
    user = User.objects.create_user(f"as-{role.lower()}", password=PASSWORD)
    ProjectMember.objects.create(project=world.project, user=user, role=Role[_ROLE_ENUM[role]])
    return Client(HTTP_AUTHORIZATION=basic(user.username, PASSWORD))


_ROLE_ENUM = {
    "projectAdmin": "PROJECT_ADMIN",
    "maintainer": "MAINTAINER",
    "developer": "DEVELOPER",
    "guest": "GUEST",
    "limitedGuest": "LIMITED_GUEST",
}


def assert_outcome(status: int, call: Call, allowed: bool, refusal: int, label: str) -> None:
    if allowed:
        assert status in call.ok, f"{label}: {call.method} {call.path} answered {status}, expected {call.ok}"
    else:
        assert status == refusal, f"{label}: {call.method} {call.path} answered {status}, expected {refusal}"


@pytest.mark.parametrize("role", ROLES)
@pytest.mark.parametrize(("resource", "action"), sorted(EXPECTED))
def test_role(world, role, resource, action):
    call = call_for(resource, action, world)
    assert_outcome(send(role_client(world, role), call), call, EXPECTED[(resource, action)][role], 403, role)


@pytest.mark.parametrize(("resource", "action"), sorted(EXPECTED))
def test_sysadmin_may_do_everything(world, admin_client, resource, action):
    call = call_for(resource, action, world)
    assert_outcome(send(admin_client, call), call, True, 0, "sysadmin")


@pytest.mark.parametrize(("resource", "action"), sorted(EXPECTED))
def test_non_member_and_anonymous_get_nothing_of_a_private_project(world, resource, action):
    User.objects.create_user("stranger", password=PASSWORD)
    call = call_for(resource, action, world)
    assert_outcome(
        send(Client(HTTP_AUTHORIZATION=basic("stranger", PASSWORD)), call), call, False, 403, "non-member"
    )
    assert_outcome(send(Client(), call), call, False, 401, "anonymous")


# What a project robot may do is exactly its grants (push implies pull).
ROBOT_GRANTS = {
    ("repository", "pull"),
    ("repository", "push"),
    ("artifact", "read"),
    ("artifact", "list"),
    ("tag", "list"),
    ("tag", "create"),
}


@pytest.mark.parametrize(("resource", "action"), sorted(EXPECTED))
def test_project_robot_holds_exactly_its_grants(world, resource, action):
    access = [{"resource": r, "action": a} for r, a in sorted(ROBOT_GRANTS - {("repository", "pull")})]
    robot, secret = create_robot(
        "matrix", [{"kind": "project", "namespace": "team", "access": access}], project=world.project
    )
    call = call_for(resource, action, world)
    client = Client(HTTP_AUTHORIZATION=basic(login_name(robot), secret))
    assert_outcome(send(client, call), call, (resource, action) in ROBOT_GRANTS, 403, "project robot")
