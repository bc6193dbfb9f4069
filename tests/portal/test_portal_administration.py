"""The administrators' pages: only system administrators see or change anything there."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import GroupType, User, UserGroup
from configuration.store import get as config_value
from configuration.store import update_config
from events.models import AuditLog
from projects.models import Label
from tests.conftest import ADMIN_PASSWORD

PAGES = ["/administration/users", "/administration/groups", "/administration/labels", "/administration/logs"]


@pytest.fixture
def admin_portal(admin_user) -> Client:
    client = Client()
    assert client.post("/login", {"username": "admin", "password": ADMIN_PASSWORD}).status_code == 302
    return client


@pytest.mark.django_db
def test_anonymous_is_sent_to_log_in_and_users_are_refused(client, login, admin_user):
    for url in PAGES:
        response = client.get(url)
        assert response.status_code == 302 and response["Location"].startswith("/login?next="), url
    user = login("plain")
    target = User.objects.get(username="plain")
    assert "/administration/" not in user.get("/").content.decode()
    for url in PAGES:
        assert user.get(url).status_code == 403, url
    assert user.post(f"/administration/users/{target.pk}/sysadmin", {"sysadmin": "true"}).status_code == 403
    assert user.post("/administration/labels/add", {"name": "x"}).status_code == 403
    target.refresh_from_db()
    assert not target.is_superuser and not Label.objects.exists()


@pytest.mark.django_db
def test_admin_promotes_and_deletes_users_but_not_the_builtin_admin(admin_portal, login, admin_user):
    login("bob")
    bob = User.objects.get(username="bob")
    body = admin_portal.get("/administration/users").content.decode()
    assert (
        "bob" in body and f"/administration/users/{admin_user.pk}/" not in body
    )  # the built-in admin is not listed
    admin_portal.post(f"/administration/users/{bob.pk}/sysadmin", {"sysadmin": "true"})
    bob.refresh_from_db()
    assert bob.is_superuser
    bob_portal = Client()
    bob_portal.post("/login", {"username": "bob", "password": "Passw0rd!x"})
    assert bob_portal.get("/administration/users").status_code == 200
    assert (
        f"/administration/users/{bob.pk}/delete"
        not in bob_portal.get("/administration/users").content.decode()
    )
    response = bob_portal.post(f"/administration/users/{bob.pk}/delete", follow=True)
    assert "cannot be deleted" in response.content.decode() and User.objects.filter(username="bob").exists()
    assert bob_portal.post(f"/administration/users/{admin_user.pk}/delete").status_code == 404
    admin_portal.post(f"/administration/users/{bob.pk}/delete")
    assert not User.objects.filter(username="bob").exists()


@pytest.mark.django_db
def test_groups_global_labels_and_the_system_log(admin_portal, on_commit):
    UserGroup.objects.create(
        name="devs", group_type=GroupType.LDAP, ldap_group_dn="cn=devs,dc=example,dc=org"
    )
    assert "cn=devs,dc=example,dc=org" in admin_portal.get("/administration/groups").content.decode()
    admin_portal.post("/administration/labels/add", {"name": "release", "color": "#00aa00"})
    label = Label.objects.get(name="release")
    assert label.scope == Label.GLOBAL and label.project is None
    response = admin_portal.post("/administration/labels/add", {"name": "release"}, follow=True)
    assert "already exists" in response.content.decode()
    admin_portal.post(f"/administration/labels/{label.pk}/delete")
    assert not Label.objects.exists()
    on_commit(admin_portal.post, "/", {"name": "audited"})
    assert AuditLog.objects.filter(resource__contains="audited").exists()
    assert "audited" in admin_portal.get("/administration/logs?q=audited").content.decode()


@pytest.mark.django_db
def test_admin_creates_users_and_groups_with_the_api_rules(admin_portal, login, settings):
    body = {"username": "newbie", "email": "newbie@example.com", "realname": "New", "password": "Password1"}
    page = admin_portal.post("/administration/users/add", body, follow=True).content.decode()
    assert "newbie created." in page
    assert Client().post("/login", {"username": "newbie", "password": "Password1"}).status_code == 302
    weak = admin_portal.post(
        "/administration/users/add", {**body, "username": "weak", "password": "short"}, follow=True
    )
    assert not User.objects.filter(username="weak").exists() and 'class="error"' in weak.content.decode()
    twice = admin_portal.post("/administration/users/add", body, follow=True).content.decode()
    assert "already exists" in twice

    admin_portal.post("/administration/groups/add", {"name": "devs", "group_type": str(GroupType.HTTP)})
    assert UserGroup.objects.filter(name="devs", group_type=GroupType.HTTP).exists()
    ldap = admin_portal.post("/administration/groups/add", {"name": "x", "group_type": "1"}, follow=True)
    assert "imported from the directory" in ldap.content.decode() and not UserGroup.objects.filter(name="x")

    plain = login("plain")
    assert plain.post("/administration/users/add", {**body, "username": "sneaky"}).status_code == 403
    assert plain.post("/administration/groups/add", {"name": "g", "group_type": "2"}).status_code == 403
    assert not User.objects.filter(username="sneaky").exists()


@pytest.mark.django_db
def test_no_local_users_outside_db_auth(admin_portal, admin_user):
    update_config({"auth_mode": "oidc_auth"})
    assert "New user" not in admin_portal.get("/administration/users").content.decode()
    body = {"username": "u1", "email": "u1@example.com", "password": "Password1"}
    page = admin_portal.post("/administration/users/add", body, follow=True).content.decode()
    assert (
        "not allowed under auth mode: oidc_auth" in page and not User.objects.filter(username="u1").exists()
    )


@pytest.mark.django_db
def test_settings_page_saves_through_the_api_service_and_keeps_secrets(
    admin_portal, login, on_commit, monkeypatch
):
    page = admin_portal.get("/administration/settings").content.decode()
    assert 'name="ldap_search_password"' in page and 'name="auth_mode"' in page
    form = {
        "project_creation_restriction": "adminonly",
        "token_expiration": "45",
        "self_registration": "on",
        "ldap_search_password": "s3cret",
        "oidc_name": "",
    }
    on_commit(admin_portal.post, "/administration/settings", form)
    assert config_value("project_creation_restriction") == "adminonly"
    assert config_value("token_expiration") == 45 and config_value("self_registration") is True
    assert config_value("ldap_search_password") == "s3cret"
    assert "s3cret" not in admin_portal.get("/administration/settings").content.decode()
    # An empty secret keeps the stored one; an unticked box is False.
    unticked = {key: value for key, value in form.items() if key != "self_registration"}
    on_commit(admin_portal.post, "/administration/settings", {**unticked, "ldap_search_password": ""})
    assert config_value("ldap_search_password") == "s3cret" and config_value("self_registration") is False
    bad = admin_portal.post("/administration/settings", {**form, "token_expiration": "soon"}, follow=True)
    assert "must be an integer" in bad.content.decode() and config_value("token_expiration") == 45
    assert AuditLog.objects.filter(event_type="update_configuration", username="admin").exists()

    monkeypatch.setenv("HARBOR_CONFIG_OIDC_NAME", "corp")
    page = admin_portal.get("/administration/settings").content.decode()
    assert "set by the environment" in page

    plain = login("plain")
    assert plain.get("/administration/settings").status_code == 403
    assert plain.post("/administration/settings", {"token_expiration": "1"}).status_code == 403
    assert config_value("token_expiration") == 45
