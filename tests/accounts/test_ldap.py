"""LDAP login against a real OpenLDAP server: onboarding, groups, admin group, directory search."""

from __future__ import annotations

import json

import ldap
import pytest
from django.test import Client

from accounts.ldap import ping, search_groups, search_users
from accounts.models import GroupType, User, UserGroup
from configuration.store import get_config, update_config
from projects.models import Project, ProjectMember
from projects.rbac import Role

from ..conftest import basic
from ..registry.helpers import push_image


def v2_status(username: str, password: str, path: str = "/v2/", method: str = "get") -> int:
    client = Client(HTTP_AUTHORIZATION=basic(username, password))
    return getattr(client, method)(path).status_code


def test_directory_users_cannot_log_in_while_auth_mode_is_db(db, directory):
    update_config({**directory.harbor_config(), "auth_mode": "db_auth"})
    assert v2_status("alice", "Alice-pass1") == 401
    assert not User.objects.filter(username="alice").exists()


def test_first_login_onboards_the_user(ldap_mode):
    assert v2_status("alice", "Alice-pass1") == 200
    alice = User.objects.get(username="alice")
    assert alice.email == "alice@example.org"
    assert alice.first_name == "Alice"
    assert not alice.has_usable_password()
    assert v2_status("alice", "wrong-Pass1") == 401
    assert v2_status("nobody", "Alice-pass1") == 401


def test_the_filter_limits_who_may_log_in(ldap_mode):
    update_config({"ldap_filter": "(mail=*)"})  # carol has no mail
    assert v2_status("carol", "Carol-pass1") == 401
    assert v2_status("alice", "Alice-pass1") == 200


def test_ldap_group_membership_gives_project_roles(ldap_mode, admin_client):
    team = Project.objects.create(name="team")
    push_image(admin_client, "team/app", "v1")
    developers = UserGroup.objects.create(
        name="developers",
        group_type=GroupType.LDAP,
        ldap_group_dn="cn=Developers,ou=groups,dc=example,dc=org",
    )
    ProjectMember.objects.create(project=team, group=developers, role=Role.DEVELOPER)
    assert v2_status("alice", "Alice-pass1", "/v2/team/app/blobs/uploads/", "post") == 202
    assert v2_status("carol", "Carol-pass1", "/v2/team/app/blobs/uploads/", "post") == 403
    assert list(User.objects.get(username="alice").harbor_groups.all()) == [developers]


def test_admin_group_makes_a_system_administrator(ldap_mode, admin_client):
    push_image(admin_client, "library/app", "v1")
    bob = Client(HTTP_AUTHORIZATION=basic("bob", "Bob-pass1"))
    assert json.loads(bob.get("/v2/_catalog").content) == {"repositories": ["library/app"]}
    alice = Client(HTTP_AUTHORIZATION=basic("alice", "Alice-pass1"))
    assert json.loads(alice.get("/v2/_catalog").content) == {"repositories": []}


def test_local_admin_still_logs_in_in_ldap_mode(ldap_mode, admin_user):
    assert v2_status("admin", "Harbor12345") == 200


def test_ping_and_searches(ldap_mode):
    ping()
    assert [entry.first("uid") for entry in search_users("alice")] == ["alice"]
    assert {entry.first("uid") for entry in search_users("")} == {"alice", "bob", "carol"}
    assert [entry.dn for entry in search_groups("dev")] == []
    assert [entry.first("cn") for entry in search_groups("developers")] == ["developers"]
    with pytest.raises(ldap.INVALID_CREDENTIALS):
        ping({**get_config(), "ldap_search_password": "wrong"})
    assert search_users("*)(uid=*") == []  # filter characters are escaped
