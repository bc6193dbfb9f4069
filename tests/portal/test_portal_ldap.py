"""Portal login in ldap_auth against a real OpenLDAP server: the same login rule as /v2/,
with group memberships (read at login) opening private projects."""

from __future__ import annotations

from django.test import Client

from accounts.models import GroupType, User, UserGroup
from projects.models import Project, ProjectMember
from projects.rbac import Role


def test_a_directory_user_logs_in_and_sees_the_projects_of_their_groups(ldap_mode):
    team = Project.objects.create(name="team", public=False)
    developers = UserGroup.objects.create(
        name="developers",
        group_type=GroupType.LDAP,
        ldap_group_dn="cn=Developers,ou=groups,dc=example,dc=org",
    )
    ProjectMember.objects.create(project=team, group=developers, role=Role.DEVELOPER)
    client = Client()
    refused = client.post("/login", {"username": "alice", "password": "wrong-Pass1"})
    assert refused.status_code == 200 and "Invalid username or password" in refused.content.decode()
    assert client.post("/login", {"username": "alice", "password": "Alice-pass1"}).status_code == 302
    assert User.objects.get(username="alice").email == "alice@example.org"  # onboarded by this login
    assert "team" in client.get("/").content.decode()
    assert client.get("/projects/team/repositories").status_code == 200
    carol = Client()
    assert carol.post("/login", {"username": "carol", "password": "Carol-pass1"}).status_code == 302
    assert carol.get("/projects/team/").status_code == 404  # not in the group
