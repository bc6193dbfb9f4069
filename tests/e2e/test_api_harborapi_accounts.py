"""On a real server, Harbor's own Python client (harborapi) manages users and members, and every
response parses into its pydantic models without a validation error."""

from __future__ import annotations

import asyncio

import pytest
from harborapi import HarborAsyncClient
from harborapi.models import (
    Permission,
    ProjectMemberEntity,
    ProjectReq,
    UserCreationReq,
    UserGroup,
    UserProfile,
    UserResp,
    UserSearchRespItem,
)

from tests.server import ADMIN_PASSWORD

pytestmark = pytest.mark.e2e

PASSWORD = "Harborapi-1"


async def _scenario(url: str) -> None:
    admin = HarborAsyncClient(url=f"{url}/api/v2.0", username="admin", secret=ADMIN_PASSWORD)
    location = await admin.create_user(
        UserCreationReq(
            username="hapi", password=PASSWORD, email="hapi@example.com", realname="Harbor API", comment="e2e"
        )
    )
    user_id = int(location.rsplit("/", 1)[1])
    user = await admin.get_user(user_id)
    assert isinstance(user, UserResp) and user.username == "hapi" and user.sysadmin_flag is False
    assert user.creation_time is not None
    await admin.update_user(user_id, UserProfile(email="hapi@example.org", realname="Harbor API", comment=""))
    users = await admin.get_users(query="username=~hap")
    assert [u.username for u in users] == ["hapi"] and users[0].email == "hapi@example.org"
    found = await admin.search_users_by_username("hap")
    assert found == [UserSearchRespItem(user_id=user_id, username="hapi")]

    await admin.create_project(ProjectReq(project_name="hapi-team", metadata={"public": "false"}))
    member_location = await admin.add_project_member_user("hapi-team", "hapi", role_id=2)
    member_id = int(member_location.rsplit("/", 1)[1])
    members = await admin.get_project_members("hapi-team")
    assert all(isinstance(m, ProjectMemberEntity) for m in members)
    assert {(m.entity_name, m.role_name, m.entity_type) for m in members} == {
        ("admin", "projectAdmin", "u"),
        ("hapi", "developer", "u"),
    }
    await admin.update_project_member_role("hapi-team", member_id, 4)
    member = await admin.get_project_member("hapi-team", member_id)
    assert (member.entity_id, member.role_id, member.role_name) == (user_id, 4, "maintainer")

    group_location = await admin.create_usergroup(UserGroup(group_name="hapi-ops", group_type=3))
    group = await admin.get_usergroup(int(group_location.rsplit("/", 1)[1]))
    assert group.group_name == "hapi-ops" and group.group_type == 3
    assert [g.group_name for g in await admin.get_usergroups()] == ["hapi-ops"]

    me = HarborAsyncClient(url=f"{url}/api/v2.0", username="hapi", secret=PASSWORD)
    current = await me.get_current_user()
    assert current.user_id == user_id and current.admin_role_in_auth is False
    project_id = (await admin.get_project("hapi-team")).project_id
    permissions = await me.get_current_user_permissions(scope=f"/project/{project_id}", relative=True)
    assert Permission(resource="repository", action="delete") in permissions
    assert Permission(resource="member", action="create") not in permissions
    await me.set_user_password(user_id, new_password="Harborapi-2", old_password=PASSWORD)

    await admin.remove_project_member("hapi-team", member_id)
    await admin.delete_user(user_id)
    assert [u.username for u in await admin.get_users(query="username=~hap")] == []


def test_harborapi_manages_users_and_members(registry):
    asyncio.run(_scenario(registry.url))
