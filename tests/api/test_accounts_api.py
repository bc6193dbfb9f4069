"""`/api/v2.0/users` and `/usergroups` with Harbor's semantics, through real HTTP and Basic auth."""

from __future__ import annotations

import logging

import pytest
from django.contrib.auth.hashers import check_password
from django.db import connection
from django.test import Client
from django.test.utils import CaptureQueriesContext

from accounts.models import GroupType, OIDCIdentity, User, UserGroup
from configuration.store import update_config
from events.models import AuditLog
from projects.models import Project, ProjectMember
from projects.rbac import Role
from projects.robots import create_robot

from ..conftest import ADMIN_PASSWORD, basic
from .conftest import PASSWORD

API = "/api/v2.0"
JSON = "application/json"
NEW_USER = {
    "username": "alice",
    "password": "Alice-pass1",
    "email": "alice@example.com",
    "realname": "Alice Liddell",
    "comment": "tester",
}


def errors(response) -> list[str]:
    return [error["code"] for error in response.json()["errors"]]


def message(response) -> str:
    return response.json()["errors"][0]["message"]


def audit() -> list[tuple[str, str, str]]:
    return list(AuditLog.objects.order_by("id").values_list("event_type", "username", "resource"))


def create(client: Client, **overrides: object):
    return client.post(f"{API}/users", {**NEW_USER, **overrides}, content_type=JSON)


# --- users ------------------------------------------------------------------------------------


def test_admin_creates_reads_updates_and_deletes_a_user(admin_client, on_commit):
    created = on_commit(create, admin_client)
    assert created.status_code == 201, created.content
    alice = User.objects.get(username="alice")
    assert created["Location"] == f"/api/v2.0/users/{alice.pk}"
    assert alice.check_password("Alice-pass1") and not alice.is_superuser

    body = admin_client.get(f"{API}/users/{alice.pk}").json()
    assert {k: body[k] for k in ("user_id", "username", "email", "realname", "comment")} == {
        "user_id": alice.pk,
        **{k: v for k, v in NEW_USER.items() if k != "password"},
    }
    assert body["sysadmin_flag"] is False and body["admin_role_in_auth"] is False
    assert "password" not in body and "oidc_user_meta" not in body
    assert {"creation_time", "update_time"} <= set(body)

    profile = {"email": "a@example.org", "realname": "Alice L", "comment": "changed"}
    assert (
        on_commit(admin_client.put, f"{API}/users/{alice.pk}", profile, content_type=JSON).status_code == 200
    )
    alice.refresh_from_db()
    assert (alice.email, alice.realname, alice.comment) == ("a@example.org", "Alice L", "changed")

    flag = {"sysadmin_flag": True}
    assert (
        on_commit(admin_client.put, f"{API}/users/{alice.pk}/sysadmin", flag, content_type=JSON).status_code
        == 200
    )
    assert User.objects.get(pk=alice.pk).is_superuser

    assert on_commit(admin_client.delete, f"{API}/users/{alice.pk}").status_code == 200
    assert not User.objects.filter(username="alice").exists()
    assert admin_client.get(f"{API}/users/{alice.pk}").status_code == 404
    assert audit() == [
        ("create_user", "admin", "alice"),
        ("update_user", "admin", "alice"),
        ("update_user", "admin", "alice"),
        ("delete_user", "admin", "alice"),
    ]


@pytest.mark.parametrize(
    ("overrides", "expected"),
    [
        ({"password": "short1A"}, "the password must have 8 to 128 characters"),
        ({"password": "alllowercase1"}, "one upper-case letter"),
        ({"password": "A1" + "a" * 127}, "8 to 128 characters"),
        ({"email": ""}, "email can't be empty"),
        ({"email": "not-an-email"}, "email with illegal format"),
        ({"realname": ""}, "realname with illegal length"),
        ({"realname": "Alice, the second"}, "realname contains illegal characters"),
        ({"comment": "x" * 31}, "comment with illegal length"),
        ({"username": "al#ice"}, "username contains illegal characters"),
        ({"username": "al:ice"}, "username contains illegal characters"),
        ({"username": ""}, "username"),
        ({"username": "x" * 256}, "username"),
    ],
)
def test_creating_a_user_refuses_bad_input_with_a_message(admin_client, overrides, expected):
    response = create(admin_client, **overrides)
    assert response.status_code == 400, response.content
    assert errors(response) == ["BAD_REQUEST"]
    assert expected in message(response)
    assert not User.objects.filter(username="alice").exists()


def test_creating_a_user_refuses_duplicates_and_bad_bodies(admin_client):
    assert create(admin_client).status_code == 201
    assert errors(create(admin_client)) == ["CONFLICT"]
    assert errors(create(admin_client, username="other")) == ["CONFLICT"]  # the same email
    assert errors(admin_client.post(f"{API}/users", [1, 2], content_type=JSON)) == ["BAD_REQUEST"]
    missing = admin_client.post(f"{API}/users", {"username": "x"}, content_type=JSON)
    assert "password" in message(missing)


def test_who_may_create_users(admin_client, user_client):
    dev = user_client("dev")
    assert create(Client()).status_code == 401
    assert create(dev).status_code == 403

    update_config({"self_registration": True})
    assert create(Client()).status_code == 201  # anyone may sign up
    assert not User.objects.get(username="alice").is_superuser

    update_config({"auth_mode": "ldap_auth"})
    refused = create(admin_client, username="bob", email="bob@example.com")
    assert refused.status_code == 403
    assert message(refused) == "creating local user is not allowed under auth mode: ldap_auth"


def test_robots_with_user_grants_manage_users(admin_client):
    robot, secret = create_robot(
        "users",
        permissions=[
            {"kind": "system", "namespace": "/", "access": [{"resource": "user", "action": "list"}]}
        ],
    )
    client = Client(HTTP_AUTHORIZATION=basic(f"robot${robot.name}", secret))
    assert client.get(f"{API}/users").status_code == 200
    assert create(client).status_code == 403
    assert client.get(f"{API}/users/current").status_code == 412


def test_listing_users_is_for_administrators(admin_client, user_client):
    dev = user_client("dev", email="dev@example.com")
    user_client("devops", email="ops@example.com")
    user_client("bob")
    assert dev.get(f"{API}/users").status_code == 403
    assert Client().get(f"{API}/users").status_code == 401

    listing = admin_client.get(f"{API}/users?page_size=2")
    assert listing["X-Total-Count"] == "3"  # the built-in admin is left out, as in Harbor
    assert [u["username"] for u in listing.json()] == ["bob", "dev"]
    assert listing["Link"] == '</api/v2.0/users?page=2&page_size=2>; rel="next"'
    assert [
        u["username"] for u in admin_client.get(f"{API}/users?q=username%3D~dev&sort=-username").json()
    ] == [
        "devops",
        "dev",
    ]
    assert [u["username"] for u in admin_client.get(f"{API}/users?email=ops").json()] == ["devops"]
    assert errors(admin_client.get(f"{API}/users?q=password=x")) == ["BAD_REQUEST"]
    assert errors(admin_client.get(f"{API}/users?sort=password")) == ["BAD_REQUEST"]


def test_any_authenticated_caller_searches_users(admin_client, user_client):
    dev = user_client("dev")
    user_client("devops")
    found = dev.get(f"{API}/users/search?username=DEV")
    assert found.status_code == 200
    assert found.json() == [
        {"user_id": User.objects.get(username="dev").pk, "username": "dev"},
        {"user_id": User.objects.get(username="devops").pk, "username": "devops"},
    ]
    assert found["X-Total-Count"] == "2"
    assert dev.get(f"{API}/users/search?username=adm").json() == []
    assert Client().get(f"{API}/users/search?username=dev").status_code == 401
    assert errors(dev.get(f"{API}/users/search")) == ["BAD_REQUEST"]


def test_users_read_and_change_their_own_profile_only(admin_client, user_client):
    dev = user_client("dev", email="dev@example.com")
    user_client("other")
    me, other = User.objects.get(username="dev"), User.objects.get(username="other")
    assert dev.get(f"{API}/users/{me.pk}").json()["username"] == "dev"
    assert dev.get(f"{API}/users/{other.pk}").status_code == 403
    profile = {"email": "new@example.com", "realname": "Dev"}
    assert dev.put(f"{API}/users/{me.pk}", profile, content_type=JSON).status_code == 200
    assert dev.put(f"{API}/users/{other.pk}", profile, content_type=JSON).status_code == 403
    assert errors(dev.put(f"{API}/users/{me.pk}", {"email": "x"}, content_type=JSON)) == ["BAD_REQUEST"]
    taken = dev.put(
        f"{API}/users/{me.pk}", {"email": "admin@example.com", "realname": "D"}, content_type=JSON
    )
    assert errors(taken) == ["CONFLICT"]
    assert (
        dev.put(f"{API}/users/{me.pk}/sysadmin", {"sysadmin_flag": True}, content_type=JSON).status_code
        == 403
    )
    assert admin_client.get(f"{API}/users/999999").status_code == 404


def test_password_changes(admin_client, user_client):
    dev = user_client("dev")
    me = User.objects.get(username="dev")
    url = f"{API}/users/{me.pk}/password"

    wrong = dev.put(url, {"old_password": "Wrong-pass1", "new_password": "Newpass12"}, content_type=JSON)
    assert wrong.status_code == 403 and message(wrong) == "Current password is incorrect"
    weak = dev.put(url, {"old_password": PASSWORD, "new_password": "weak"}, content_type=JSON)
    assert weak.status_code == 400 and "8 to 128 characters" in message(weak)
    same = dev.put(url, {"old_password": PASSWORD, "new_password": PASSWORD}, content_type=JSON)
    assert same.status_code == 400 and message(same) == "New password is identical to old password"

    assert (
        dev.put(url, {"old_password": PASSWORD, "new_password": "Newpass12"}, content_type=JSON).status_code
        == 200
    )
    assert dev.get(f"{API}/users/current").status_code == 401  # the old password is gone at once
    renewed = Client(HTTP_AUTHORIZATION=basic("dev", "Newpass12"))
    assert renewed.get(f"{API}/users/current").status_code == 200

    reset = admin_client.put(
        url, {"new_password": "Reset-pass1"}, content_type=JSON
    )  # no old password needed
    assert reset.status_code == 200
    assert User.objects.get(pk=me.pk).check_password("Reset-pass1")


def test_deleting_users(admin_client, user_client):
    dev = user_client("dev")
    me, admin = User.objects.get(username="dev"), User.objects.get(username="admin")
    ProjectMember.objects.create(project=Project.objects.get(name="library"), user=me, role=Role.DEVELOPER)
    assert dev.delete(f"{API}/users/{me.pk}").status_code == 403
    refused = admin_client.delete(f"{API}/users/{admin.pk}")
    assert refused.status_code == 403 and message(refused) == f"User with ID {admin.pk} cannot be deleted"
    assert admin_client.delete(f"{API}/users/999999").status_code == 404
    assert admin_client.delete(f"{API}/users/{me.pk}").status_code == 200
    assert not ProjectMember.objects.exists()


def test_outside_db_auth_only_the_builtin_admin_changes_profile_and_password(admin_client, user_client):
    user_client("dev")
    me, admin = User.objects.get(username="dev"), User.objects.get(username="admin")
    update_config({"auth_mode": "ldap_auth"})
    profile = {"email": "dev@example.com", "realname": "Dev"}
    assert admin_client.put(f"{API}/users/{me.pk}", profile, content_type=JSON).status_code == 403
    assert admin_client.put(f"{API}/users/{admin.pk}", profile, content_type=JSON).status_code == 200
    password = {"old_password": ADMIN_PASSWORD, "new_password": "Harbor123456"}
    assert (
        admin_client.put(f"{API}/users/{admin.pk}/password", password, content_type=JSON).status_code == 200
    )


def test_current_user(admin_client, user_client):
    dev = user_client("dev", email="dev@example.com")
    body = dev.get(f"{API}/users/current").json()
    assert body["username"] == "dev" and body["sysadmin_flag"] is False
    assert body["admin_role_in_auth"] is False
    User.objects.filter(username="dev").update(is_directory_admin=True)
    assert dev.get(f"{API}/users/current").json()["admin_role_in_auth"] is True
    me = User.objects.get(username="dev").pk
    assert admin_client.get(f"{API}/users/{me}").json()["admin_role_in_auth"] is False  # only for oneself
    assert admin_client.get(f"{API}/users/current").json()["sysadmin_flag"] is True
    assert Client().get(f"{API}/users/current").status_code == 401


def test_current_user_permissions(admin_client, user_client):
    dev = user_client("dev")
    team = Project.objects.create(name="team")
    ProjectMember.objects.create(project=team, user=User.objects.get(username="dev"), role=Role.DEVELOPER)

    relative = dev.get(f"{API}/users/current/permissions?scope=/project/{team.pk}&relative=true").json()
    pairs = {(p["resource"], p["action"]) for p in relative}
    assert {(".", "read"), ("repository", "push"), ("member", "list"), ("artifact", "create")} <= pairs
    assert ("repository", "delete") not in pairs and ("member", "create") not in pairs

    absolute = dev.get(f"{API}/users/current/permissions?scope=/project/{team.pk}").json()
    assert {"resource": f"/project/{team.pk}/repository", "action": "push"} in absolute
    assert {"resource": f"/project/{team.pk}", "action": "read"} in absolute
    narrowed = dev.get(f"{API}/users/current/permissions?scope=/project/{team.pk}/repository&relative=true")
    assert {(p["resource"], p["action"]) for p in narrowed.json()} == {
        (".", action) for action in ("create", "read", "update", "list", "pull", "push")
    }

    hidden = Project.objects.create(name="hidden")
    assert dev.get(f"{API}/users/current/permissions?scope=/project/{hidden.pk}").json() == []
    assert dev.get(f"{API}/users/current/permissions?scope=/system").json() == []
    assert dev.get(f"{API}/users/current/permissions").json() == []

    admin = admin_client.get(
        f"{API}/users/current/permissions?scope=/project/{hidden.pk}&relative=true"
    ).json()
    assert {"resource": "member", "action": "create"} in admin
    system = admin_client.get(f"{API}/users/current/permissions?scope=/system&relative=true").json()
    assert {"resource": "user", "action": "create"} in system
    assert Client().get(f"{API}/users/current/permissions").status_code == 401


def test_oidc_users_cli_secret(admin_client, user_client, client):
    dev = user_client("dev")
    oidc_user = User.objects.create(username="olivia", email="olivia@example.com")
    identity = OIDCIdentity.objects.create(user=oidc_user, subject="sub-1", issuer="https://idp.example")
    url = f"{API}/users/{oidc_user.pk}/cli_secret"
    body = {"secret": "Cli-secret1"}

    refused = admin_client.put(url, body, content_type=JSON)
    assert refused.status_code == 412
    assert message(refused) == "unable to update CLI secret under authmode: db_auth"

    update_config({"auth_mode": "oidc_auth"})
    assert dev.put(url, body, content_type=JSON).status_code == 403
    assert errors(admin_client.put(url, {"secret": "weak"}, content_type=JSON)) == ["BAD_REQUEST"]
    not_oidc = admin_client.put(
        f"{API}/users/{User.objects.get(username='dev').pk}/cli_secret", body, content_type=JSON
    )
    assert not_oidc.status_code == 400
    done = admin_client.put(url, body, content_type=JSON)
    assert done.status_code == 200 and done.content in (b"", b"null")
    identity.refresh_from_db()
    assert check_password("Cli-secret1", identity.cli_secret)

    meta = admin_client.get(f"{API}/users/{oidc_user.pk}").json()["oidc_user_meta"]
    assert meta["subiss"] == "sub-1https://idp.example" and meta["user_id"] == oidc_user.pk
    assert "secret" not in meta
    assert identity.cli_secret not in admin_client.get(f"{API}/users/{oidc_user.pk}").content.decode()

    client.force_login(oidc_user)  # a portal session: users set their own secret
    assert client.put(url, {"secret": "Own-secret1"}, content_type=JSON).status_code == 200
    assert client.get(f"{API}/users/current").json()["oidc_user_meta"]["subiss"] == "sub-1https://idp.example"


def test_passwords_and_secrets_are_never_logged(admin_client, caplog):
    caplog.set_level(logging.DEBUG)
    assert create(admin_client).status_code == 201
    assert create(admin_client, username="bob", password="short").status_code == 400
    assert "Alice-pass1" not in caplog.text and "short" not in caplog.text


def _count(client: Client, url: str) -> int:
    with CaptureQueriesContext(connection) as context:
        assert client.get(url).status_code == 200
    return len(context)


def test_listing_users_costs_the_same_queries_for_1_or_20(admin_client, django_user_model):
    django_user_model.objects.create_user("u0")
    _count(admin_client, f"{API}/users?page_size=50")  # the first request also verifies the password
    one = _count(admin_client, f"{API}/users?page_size=50")
    for index in range(1, 20):
        django_user_model.objects.create_user(f"u{index}")
    assert _count(admin_client, f"{API}/users?page_size=50") == one


# --- user groups ------------------------------------------------------------------------------


def test_user_groups_crud(admin_client, user_client):
    dev = user_client("dev")
    created = admin_client.post(
        f"{API}/usergroups", {"group_name": "ops", "group_type": 3}, content_type=JSON
    )
    assert created.status_code == 201, created.content
    ops = UserGroup.objects.get(name="ops")
    assert created["Location"] == f"/api/v2.0/usergroups/{ops.pk}"
    assert admin_client.get(f"{API}/usergroups/{ops.pk}").json() == {
        "id": ops.pk,
        "group_name": "ops",
        "group_type": GroupType.OIDC,
        "ldap_group_dn": "",
    }
    listing = admin_client.get(f"{API}/usergroups?group_name=op")
    assert [g["group_name"] for g in listing.json()] == ["ops"] and listing["X-Total-Count"] == "1"

    renamed = admin_client.put(f"{API}/usergroups/{ops.pk}", {"group_name": "operators"}, content_type=JSON)
    assert renamed.status_code == 200
    assert UserGroup.objects.get(pk=ops.pk).name == "operators"

    search = dev.get(f"{API}/usergroups/search?groupname=OPER").json()
    assert search == [{"id": ops.pk, "group_name": "operators", "group_type": 3}]
    assert errors(dev.get(f"{API}/usergroups/search")) == ["BAD_REQUEST"]
    assert Client().get(f"{API}/usergroups/search?groupname=o").status_code == 401
    for response in (
        dev.get(f"{API}/usergroups"),
        dev.post(f"{API}/usergroups", {"group_name": "x", "group_type": 3}, content_type=JSON),
        dev.get(f"{API}/usergroups/{ops.pk}"),
        dev.delete(f"{API}/usergroups/{ops.pk}"),
    ):
        assert response.status_code == 403

    ProjectMember.objects.create(project=Project.objects.get(name="library"), group=ops, role=Role.GUEST)
    assert admin_client.delete(f"{API}/usergroups/{ops.pk}").status_code == 200
    assert not ProjectMember.objects.exists()
    assert admin_client.get(f"{API}/usergroups/{ops.pk}").status_code == 404


def test_user_groups_refuse_bad_input(admin_client):
    def post(body: dict) -> list[str]:
        return errors(admin_client.post(f"{API}/usergroups", body, content_type=JSON))

    assert (
        admin_client.post(
            f"{API}/usergroups", {"group_name": "ops", "group_type": 3}, content_type=JSON
        ).status_code
        == 201
    )
    assert post({"group_name": "ops", "group_type": 3}) == ["CONFLICT"]
    assert post({"group_name": "x", "group_type": 7}) == ["BAD_REQUEST"]
    assert post({"group_name": "x"}) == ["BAD_REQUEST"]
    assert post({"group_type": 3}) == ["BAD_REQUEST"]
    assert post({"group_name": "ldap", "group_type": 1}) == ["BAD_REQUEST"]  # an LDAP group needs its DN
    assert errors(admin_client.put(f"{API}/usergroups/999999", {"group_name": "x"}, content_type=JSON)) == [
        "NOT_FOUND"
    ]


def test_listing_groups_in_ldap_mode_shows_ldap_groups(admin_client):
    UserGroup.objects.create(
        name="devs", group_type=GroupType.LDAP, ldap_group_dn="cn=devs,dc=example,dc=org"
    )
    UserGroup.objects.create(name="oidc", group_type=GroupType.OIDC)
    assert len(admin_client.get(f"{API}/usergroups").json()) == 2
    update_config({"auth_mode": "ldap_auth"})
    assert [g["group_name"] for g in admin_client.get(f"{API}/usergroups").json()] == ["devs"]
    by_dn = admin_client.get(f"{API}/usergroups?ldap_group_dn=CN=devs,dc=example,dc=org").json()
    assert [g["group_name"] for g in by_dn] == ["devs"]
