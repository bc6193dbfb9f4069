"""Who may pull, push and delete through `/v2/`, per role (harbor.md §2.2), with real requests.

The expectations are written here from the reference, independently of
`projects/rbac.py`, so a wrong row in the code's table fails this test.
"""

from __future__ import annotations

import pytest
from django.test import Client

from projects.models import Project, ProjectMember
from projects.rbac import Role

from ..conftest import basic
from ..registry.helpers import push_image

PASSWORD = "Password1"

# caller -> (pull, push, delete) on a repository of a private project
EXPECTED = {
    "projectAdmin": (True, True, True),
    "maintainer": (True, True, True),
    "developer": (True, True, False),
    "guest": (True, False, False),
    "limitedGuest": (True, False, False),
    "non-member": (False, False, False),
    "sysadmin": (True, True, True),
}
ROLE_BY_NAME = {role.label: role for role in Role}


@pytest.fixture
def project_with_image(admin_client) -> tuple[Project, str]:
    project = Project.objects.create(name="team", public=False)
    digest, _ = push_image(admin_client, "team/app", "v1")
    return project, digest


def caller_client(django_user_model, project: Project, caller: str) -> Client:
    if caller == "sysadmin":
        django_user_model.objects.create_superuser("root2", "r@example.com", PASSWORD)
        return Client(HTTP_AUTHORIZATION=basic("root2", PASSWORD))
    user = django_user_model.objects.create_user(caller.lower().replace("-", ""), password=PASSWORD)
    if caller in ROLE_BY_NAME:
        ProjectMember.objects.create(project=project, user=user, role=ROLE_BY_NAME[caller])
    return Client(HTTP_AUTHORIZATION=basic(user.username, PASSWORD))


@pytest.mark.parametrize("caller", sorted(EXPECTED))
def test_repository_actions_by_role(caller, project_with_image, django_user_model):
    project, digest = project_with_image
    client = caller_client(django_user_model, project, caller)
    may_pull, may_push, may_delete = EXPECTED[caller]

    pull = client.get("/v2/team/app/manifests/v1")
    assert pull.status_code == (200 if may_pull else 403), pull.content
    push = client.post("/v2/team/app/blobs/uploads/")
    assert push.status_code == (202 if may_push else 403), push.content
    delete = client.delete(f"/v2/team/app/manifests/{digest}")
    assert delete.status_code == (202 if may_delete else 403), delete.content


def test_public_project_gives_everyone_pull_only(admin_client, django_user_model):
    push_image(admin_client, "library/app", "v1")
    django_user_model.objects.create_user("stranger", password=PASSWORD)
    stranger = Client(HTTP_AUTHORIZATION=basic("stranger", PASSWORD))
    assert stranger.get("/v2/library/app/manifests/v1").status_code == 200
    assert stranger.post("/v2/library/app/blobs/uploads/").status_code == 403
    anonymous = Client().get(
        "/service/token?service=harbor-registry&scope=repository:library/app:pull,push,delete"
    )
    assert anonymous.json()["token"]


def test_inactive_user_cannot_authenticate(admin_client, django_user_model):
    django_user_model.objects.create_user("gone", password=PASSWORD, is_active=False)
    assert Client(HTTP_AUTHORIZATION=basic("gone", PASSWORD)).get("/v2/").status_code == 401


def test_group_roles_add_to_a_users_own(project_with_image, django_user_model):
    """Effective permissions are the union of the user's direct role and their groups' roles."""
    from accounts.models import GroupType, UserGroup

    project, digest = project_with_image
    user = django_user_model.objects.create_user("member", password=PASSWORD)
    ProjectMember.objects.create(project=project, user=user, role=Role.GUEST)
    client = Client(HTTP_AUTHORIZATION=basic("member", PASSWORD))
    assert client.post("/v2/team/app/blobs/uploads/").status_code == 403

    developers = UserGroup.objects.create(name="developers", group_type=GroupType.LDAP)
    ProjectMember.objects.create(project=project, group=developers, role=Role.DEVELOPER)
    assert client.post("/v2/team/app/blobs/uploads/").status_code == 403  # not in the group yet
    user.harbor_groups.add(developers)
    assert client.post("/v2/team/app/blobs/uploads/").status_code == 202
    assert client.delete(f"/v2/team/app/manifests/{digest}").status_code == 403


def test_group_member_without_a_direct_role(project_with_image, django_user_model):
    from accounts.models import GroupType, UserGroup
    from projects.permissions import visible_projects
    from projects.principals import principal_for_user

    project, _ = project_with_image
    user = django_user_model.objects.create_user("viaonly", password=PASSWORD)
    admins = UserGroup.objects.create(name="admins", group_type=GroupType.OIDC)
    user.harbor_groups.add(admins)
    ProjectMember.objects.create(project=project, group=admins, role=Role.PROJECT_ADMIN)
    client = Client(HTTP_AUTHORIZATION=basic("viaonly", PASSWORD))
    assert client.get("/v2/team/app/manifests/v1").status_code == 200
    assert list(visible_projects(principal_for_user(user)).values_list("name", flat=True)) == [
        "library",
        "team",
    ]
