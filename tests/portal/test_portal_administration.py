"""The administrators' pages: only system administrators see or change anything there."""

from __future__ import annotations

import pytest
from django.test import Client

from accounts.models import GroupType, User, UserGroup
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
