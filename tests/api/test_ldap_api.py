"""`/api/v2.0/ldap/*`, LDAP user groups and LDAP members against a real OpenLDAP server."""

from __future__ import annotations

from django.test import Client

from accounts.models import GroupType, User, UserGroup
from configuration.store import update_config
from projects.models import Project, ProjectMember

from ..conftest import basic

API = "/api/v2.0"
JSON = "application/json"
DEVELOPERS = "cn=developers,ou=groups,dc=example,dc=org"


def errors(response) -> list[str]:
    return [error["code"] for error in response.json()["errors"]]


def test_ping(ldap_mode, admin_client, user_client):
    assert admin_client.post(f"{API}/ldap/ping", content_type=JSON).json() == {"success": True}
    wrong = admin_client.post(f"{API}/ldap/ping", {"ldap_search_password": "Wrong-pass1"}, content_type=JSON)
    assert wrong.json() == {"success": False, "message": "error: Invalid credentials"}
    unreachable = admin_client.post(f"{API}/ldap/ping", {"ldap_url": "ldap://127.0.0.1:1"}, content_type=JSON)
    assert unreachable.json()["success"] is False
    assert "Can't contact LDAP server" in unreachable.json()["message"]
    assert ldap_mode.admin_password not in unreachable.content.decode()
    assert errors(admin_client.post(f"{API}/ldap/ping", {"ldap_scope": 7}, content_type=JSON)) == [
        "BAD_REQUEST"
    ]
    assert user_client("dev").post(f"{API}/ldap/ping", content_type=JSON).status_code == 403


def test_user_search(ldap_mode, admin_client, user_client):
    assert admin_client.get(f"{API}/ldap/users/search?username=alice").json() == [
        {"username": "alice", "realname": "Alice Liddell", "email": "alice@example.org"}
    ]
    everyone = admin_client.get(f"{API}/ldap/users/search").json()
    assert {user["username"] for user in everyone} == {"alice", "bob", "carol"}
    assert admin_client.get(f"{API}/ldap/users/search?username=nobody").json() == []
    assert user_client("dev").get(f"{API}/ldap/users/search").status_code == 403


def test_import_onboards_and_reports_failures_with_404(ldap_mode, admin_client):
    response = admin_client.post(
        f"{API}/ldap/users/import", {"ldap_uid_list": ["alice", "nobody", ""]}, content_type=JSON
    )
    assert response.status_code == 404
    assert response.json() == [{"uid": "nobody", "error": "unknown_user"}, {"uid": "", "error": "empty_uid"}]
    alice = User.objects.get(username="alice")
    assert (alice.email, alice.realname) == ("alice@example.org", "Alice Liddell")
    assert not alice.has_usable_password()
    # The imported user logs in against the directory.
    assert (
        Client(HTTP_AUTHORIZATION=basic("alice", "Alice-pass1")).get(f"{API}/users/current").status_code
        == 200
    )
    again = admin_client.post(
        f"{API}/ldap/users/import", {"ldap_uid_list": ["alice", "bob"]}, content_type=JSON
    )
    assert again.status_code == 200
    assert errors(
        admin_client.post(f"{API}/ldap/users/import", {"ldap_uid_list": "alice"}, content_type=JSON)
    ) == ["BAD_REQUEST"]


def test_group_search(ldap_mode, admin_client):
    assert admin_client.get(f"{API}/ldap/groups/search?groupname=developers").json() == [
        {"group_name": "developers", "ldap_group_dn": DEVELOPERS}
    ]
    assert admin_client.get(f"{API}/ldap/groups/search?groupdn={DEVELOPERS}").json() == [
        {"group_name": "developers", "ldap_group_dn": DEVELOPERS}
    ]
    assert admin_client.get(f"{API}/ldap/groups/search?groupname=dev").status_code == 404
    missing = admin_client.get(f"{API}/ldap/groups/search?groupdn=cn=nope,ou=groups,dc=example,dc=org")
    assert missing.status_code == 404
    assert errors(admin_client.get(f"{API}/ldap/groups/search?groupdn=not-a-dn")) == ["BAD_REQUEST"]
    # A person is not a group, even when asked for by DN.
    person = admin_client.get(f"{API}/ldap/groups/search?groupdn=uid=alice,ou=people,dc=example,dc=org")
    assert person.status_code == 404


def test_ldap_groups_need_a_dn_the_directory_knows(ldap_mode, admin_client):
    def post(name: str, dn: str):
        return admin_client.post(
            f"{API}/usergroups", {"group_name": name, "group_type": 1, "ldap_group_dn": dn}, content_type=JSON
        )

    unknown = post("ghosts", "cn=ghosts,ou=groups,dc=example,dc=org")
    assert unknown.status_code == 400
    assert (
        unknown.json()["errors"][0]["message"]
        == "LDAP Group DN is not found: DN:cn=ghosts,ou=groups,dc=example,dc=org"
    )
    assert errors(post("bad", "not a dn")) == ["BAD_REQUEST"]
    assert post("developers", DEVELOPERS).status_code == 201
    assert errors(post("devs-again", DEVELOPERS.upper())) == ["CONFLICT"]


def test_members_from_the_directory_are_onboarded(ldap_mode, admin_client):
    team = Project.objects.create(name="team")
    by_dn = admin_client.post(
        f"{API}/projects/team/members",
        {"role_id": 2, "member_group": {"ldap_group_dn": DEVELOPERS}},
        content_type=JSON,
    )
    assert by_dn.status_code == 201, by_dn.content
    group = UserGroup.objects.get(ldap_group_dn=DEVELOPERS)
    assert (group.name, group.group_type) == ("developers", GroupType.LDAP)

    by_name = admin_client.post(
        f"{API}/projects/team/members", {"role_id": 3, "member_user": {"username": "bob"}}, content_type=JSON
    )
    assert by_name.status_code == 201, by_name.content
    assert not User.objects.get(username="bob").has_usable_password()
    assert {m.entity_type for m in ProjectMember.objects.filter(project=team)} == {"u", "g"}

    # alice is in the developers group: her first login gives her the group's role.
    alice = Client(HTTP_AUTHORIZATION=basic("alice", "Alice-pass1"))
    assert alice.get(f"{API}/projects/team/members").status_code == 200


def test_without_ldap_configured(db, admin_client):
    response = admin_client.get(f"{API}/ldap/users/search?username=alice")
    assert response.status_code == 412
    assert response.json()["errors"][0]["message"] == "LDAP is not configured (ldap_url is empty)"
    assert admin_client.post(f"{API}/ldap/ping", content_type=JSON).json() == {
        "success": False,
        "message": "error: ldap_url is empty",
    }
    update_config({"ldap_url": "ldap://127.0.0.1:1"})
    assert admin_client.get(f"{API}/ldap/users/search?username=alice").status_code == 500
