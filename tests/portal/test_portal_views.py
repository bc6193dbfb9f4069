"""The portal's pages through the Django test client: what each role sees and may do.

Every page is asked by a non-member of a private project (404, nothing revealed), by a
guest (sees the page, no delete buttons, POSTs refused) and by a project admin (changes
go through and are visible through the registry API afterwards).
"""

from __future__ import annotations

import json

import pytest
from django.test import Client

from projects.models import Label, Project, ProjectMember, Robot
from projects.rbac import Role
from registry.models import Repository, Tag
from tests.conftest import basic
from tests.portal.conftest import PASSWORD
from tests.registry.helpers import OCI_MANIFEST, image_manifest, push_blob, sha256

COSIGN = "application/vnd.dev.cosign.artifact.sig.v1+json"


def pages(digest: str) -> list[str]:
    artifact = f"/projects/secret/r/app/-/a/{digest}/"
    return [
        "/projects/secret/",
        "/projects/secret/repositories",
        "/projects/secret/r/app/-/artifacts",
        artifact,
        "/projects/secret/members",
        "/projects/secret/robots",
        "/projects/secret/labels",
        "/projects/secret/logs",
        "/projects/secret/configuration",
        "/projects/secret/trusted-keys",
    ]


def changes(digest: str) -> list[tuple[str, dict[str, str]]]:
    artifact = f"/projects/secret/r/app/-/a/{digest}/"
    return [
        ("/projects/secret/r/app/-/delete", {}),
        (artifact + "delete", {}),
        (artifact + "tags", {"name": "v2"}),
        (artifact + "tags/v1/delete", {}),
        ("/projects/secret/members/add", {"kind": "user", "name": "admin", "role": "1"}),
        ("/projects/secret/robots/add", {"name": "ci", "access": "repository:pull"}),
        ("/projects/secret/configuration", {"public": "on"}),
        ("/projects/secret/labels/add", {"name": "qa"}),
        ("/projects/secret/trusted-keys/add", {"name": "k", "kind": "cosign", "pem": "-----BEGIN"}),
        (artifact + "labels", {"label": "1"}),
        ("/projects/secret/delete", {}),
    ]


@pytest.mark.django_db
def test_non_member_gets_404_on_every_page_and_change_of_a_private_project(login, pushed):
    outsider = login("outsider")
    for url in pages(pushed):
        assert outsider.get(url).status_code == 404, url
    for url, data in changes(pushed):
        assert outsider.post(url, data).status_code == 404, url
    assert Tag.objects.filter(name="v1").exists()


@pytest.mark.django_db
def test_anonymous_is_404_on_private_and_may_browse_public(client, pushed, library):
    assert client.get("/projects/secret/").status_code == 404
    assert client.get("/projects/library/").status_code == 200
    body = client.get("/").content.decode()
    assert "library" in body and "secret" not in body


@pytest.mark.django_db
def test_guest_sees_pages_without_delete_buttons_and_is_refused(login, pushed, secret_project):
    guest = login("guest", secret_project, Role.GUEST)
    for url in pages(pushed):
        response = guest.get(url)
        if url.endswith("/logs"):  # guests have no log:list
            assert response.status_code == 403, url
            continue
        assert response.status_code == 200, url
        body = response.content.decode()
        assert 'class="danger' not in body, url
        assert "/delete" not in body, url
    assert "New tag" not in guest.get(f"/projects/secret/r/app/-/a/{pushed}/").content.decode()
    for url, data in changes(pushed):
        assert guest.post(url, data).status_code == 403, url
    assert Tag.objects.filter(name="v1").exists() and Repository.objects.filter(name="secret/app").exists()
    assert not Robot.objects.exists()
    secret_project.refresh_from_db()
    assert not secret_project.public


@pytest.mark.django_db
def test_developer_may_tag_but_not_delete(login, pushed, secret_project):
    developer = login("dev", secret_project, Role.DEVELOPER)
    body = developer.get(f"/projects/secret/r/app/-/a/{pushed}/").content.decode()
    assert "New tag" in body and "Delete artifact" not in body
    manifest = Repository.objects.get(name="secret/app").artifacts.get().content
    for layer in json.loads(bytes(manifest))["layers"]:  # the layers section names each layer
        assert f'title="{layer["digest"]}"' in body
    response = developer.post(f"/projects/secret/r/app/-/a/{pushed}/tags", {"name": "v2"})
    assert response.status_code == 302
    assert set(Tag.objects.values_list("name", flat=True)) == {"v1", "v2"}
    assert developer.post("/projects/secret/r/app/-/delete").status_code == 403


@pytest.mark.django_db
def test_admin_tags_untags_and_deletes_and_the_registry_agrees(login, pushed, secret_project, admin_client):
    owner = login("owner", secret_project, Role.PROJECT_ADMIN)
    artifact = f"/projects/secret/r/app/-/a/{pushed}/"
    owner.post(artifact + "tags", {"name": "stable"})
    assert admin_client.get("/v2/secret/app/manifests/stable").status_code == 200
    response = owner.post(artifact + "tags", {"name": "stable"}, follow=True)
    assert "already exists" in response.content.decode()  # the service's conflict, shown
    response = owner.post(artifact + "tags", {"name": "bad tag!"}, follow=True)
    assert Tag.objects.filter(repository__name="secret/app").count() == 2
    owner.post(artifact + "tags/stable/delete")
    assert admin_client.get("/v2/secret/app/manifests/stable").status_code == 404
    owner.post(artifact + "delete")
    assert admin_client.get(f"/v2/secret/app/manifests/{pushed}").status_code == 404
    owner.post("/projects/secret/r/app/-/delete")
    assert not Repository.objects.filter(name="secret/app").exists()


@pytest.mark.django_db
def test_artifact_list_shows_digest_tags_size_and_pull_commands(login, pushed, secret_project):
    guest = login("viewer", secret_project, Role.GUEST)
    body = guest.get("/projects/secret/r/app/-/artifacts").content.decode()
    assert pushed[:19] in body  # sha256: + 12 hex
    assert 'data-copy="docker pull testserver/secret/app:v1"' in body
    assert f'data-copy="podman pull testserver/secret/app@{pushed}"' in body
    assert "Signed" not in body


@pytest.mark.django_db
def test_members_add_change_remove(login, secret_project, django_user_model):
    owner = login("owner", secret_project, Role.PROJECT_ADMIN)
    django_user_model.objects.create_user("bob", "bob@example.com", PASSWORD)
    owner.post("/projects/secret/members/add", {"kind": "user", "name": "bob", "role": str(Role.GUEST)})
    member = ProjectMember.objects.get(project=secret_project, user__username="bob")
    assert member.role == Role.GUEST
    owner.post(f"/projects/secret/members/{member.pk}/role", {"role": str(Role.DEVELOPER)})
    member.refresh_from_db()
    assert member.role == Role.DEVELOPER
    response = owner.post(
        "/projects/secret/members/add", {"kind": "user", "name": "nobody", "role": "3"}, follow=True
    )
    assert "nobody not found" in response.content.decode()
    owner.post(f"/projects/secret/members/{member.pk}/delete")
    assert not ProjectMember.objects.filter(user__username="bob").exists()


@pytest.mark.django_db
def test_robot_secret_is_shown_once_and_works_on_the_registry(login, pushed, secret_project):
    owner = login("owner", secret_project, Role.PROJECT_ADMIN)
    response = owner.post(
        "/projects/secret/robots/add", {"name": "ci", "access": "repository:pull"}, follow=True
    )
    body = response.content.decode()
    robot = Robot.objects.get(name="secret+ci")
    secret = body.split('id="robot-secret">', 1)[1].split("<", 1)[0]
    assert len(secret) >= 8
    pulled = Client(HTTP_AUTHORIZATION=basic("robot$secret+ci", secret)).get(
        f"/v2/secret/app/manifests/{pushed}"
    )
    assert pulled.status_code == 200
    assert secret not in owner.get("/projects/secret/robots").content.decode()
    response = owner.post(
        "/projects/secret/robots/add", {"name": "Bad Name", "access": "repository:pull"}, follow=True
    )
    assert "invalid robot name" in response.content.decode()
    owner.post(f"/projects/secret/robots/{robot.pk}/delete")
    assert not Robot.objects.exists()


@pytest.mark.django_db
def test_project_list_searches_and_creates(login, secret_project, library):
    user = login("carol")
    response = user.post("/", {"name": "team-a", "public": "on"})
    assert response.status_code == 302 and response["Location"] == "/projects/team-a/"
    created = Project.objects.get(name="team-a")
    assert created.public and ProjectMember.objects.get(project=created).role == Role.PROJECT_ADMIN
    body = user.get("/?q=team").content.decode()
    assert "team-a" in body and "library" not in body and "secret" not in body
    response = user.post("/", {"name": "Bad Name"})
    assert response.status_code == 400 and "invalid project name" in response.content.decode()


@pytest.mark.django_db
def test_project_creation_restricted_to_admins(login):
    from configuration.store import update_config

    update_config({"project_creation_restriction": "adminonly"})
    user = login("dave")
    assert "New project" not in user.get("/").content.decode()
    assert user.post("/", {"name": "nope"}).status_code == 403
    assert not Project.objects.filter(name="nope").exists()


@pytest.mark.django_db
def test_labels_and_logs(login, pushed, secret_project, on_commit):
    Label.objects.create(name="prod", scope=Label.PROJECT, project=secret_project)
    Label.objects.create(name="everywhere", scope=Label.GLOBAL)
    owner = login("owner", secret_project, Role.PROJECT_ADMIN)
    body = owner.get("/projects/secret/labels").content.decode()
    assert "prod" in body and "everywhere" in body
    owner.post("/projects/secret/labels/add", {"name": "qa", "color": "#ff0000", "description": "tested"})
    created = Label.objects.get(name="qa")
    assert (created.scope, created.project, created.color) == (Label.PROJECT, secret_project, "#ff0000")
    response = owner.post("/projects/secret/labels/add", {"name": "qa"}, follow=True)
    assert "already exists" in response.content.decode()
    response = owner.post("/projects/secret/labels/add", {"name": "qa", "color": "red"}, follow=True)
    assert "color" in response.content.decode() and Label.objects.filter(name="qa").count() == 1
    everywhere = Label.objects.get(name="everywhere")
    assert owner.post(f"/projects/secret/labels/{everywhere.pk}/delete").status_code == 404
    owner.post(f"/projects/secret/labels/{created.pk}/delete")
    assert not Label.objects.filter(name="qa").exists()
    on_commit(owner.post, f"/projects/secret/r/app/-/a/{pushed}/tags", {"name": "logged"})
    on_commit(owner.post, "/projects/secret/r/app/-/delete")
    body = owner.get("/projects/secret/logs").content.decode()
    assert "secret/app" in body


@pytest.mark.django_db
def test_login_rules(client, django_user_model, secret_project):
    django_user_model.objects.create_user("erin", "erin@example.com", PASSWORD)
    response = client.post("/login", {"username": "erin", "password": "wrong"})
    assert response.status_code == 200 and "Invalid username or password" in response.content.decode()
    response = client.post("/login", {"username": "robot$secret+ci", "password": PASSWORD})
    assert "Robot accounts cannot log into the portal" in response.content.decode()
    assert client.get("/projects/secret/").status_code == 404
    response = client.post("/login", {"username": "erin", "password": PASSWORD, "next": "/projects/"})
    assert response.status_code == 302
    assert client.post("/logout").status_code == 302
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_login_lockout(client, django_user_model, settings):
    settings.AXES_FAILURE_LIMIT = 2
    django_user_model.objects.create_user("frank", "frank@example.com", PASSWORD)
    for _ in range(2):
        client.post("/login", {"username": "frank", "password": "wrong"})
    response = client.post("/login", {"username": "frank", "password": PASSWORD})
    assert "Too many failed logins" in response.content.decode()
    assert "_auth_user_id" not in client.session


@pytest.mark.django_db
def test_oidc_button_only_in_oidc_mode(client):
    from configuration.store import update_config

    assert "/c/oidc/login" not in client.get("/login").content.decode()
    update_config({"auth_mode": "oidc_auth"})
    assert "/c/oidc/login" in client.get("/login").content.decode()


def test_static_files_are_served(client):
    response = client.get("/static/portal/portal.css")
    assert response.status_code == 200


@pytest.mark.django_db
def test_configuration_saves_through_the_service_and_delete_needs_an_empty_project(
    login, pushed, secret_project, admin_client
):
    owner = login("owner", secret_project, Role.PROJECT_ADMIN)
    guest_view = login("looker", secret_project, Role.GUEST).get("/projects/secret/configuration")
    assert "<fieldset disabled>" in guest_view.content.decode()
    owner.post("/projects/secret/configuration", {"public": "on", "auto_scan": "on", "severity": "high"})
    api = admin_client.get("/api/v2.0/projects/secret").json()
    assert api["metadata"]["public"] == "true" and api["metadata"]["auto_scan"] == "true"
    assert api["metadata"]["severity"] == "high" and api["metadata"]["prevent_vul"] == "false"
    response = owner.post("/projects/secret/delete", follow=True)
    assert "contains repositories" in response.content.decode()
    owner.post("/projects/secret/r/app/-/delete")
    assert owner.post("/projects/secret/delete")["Location"] == "/"
    assert not Project.objects.filter(name="secret").exists()


@pytest.mark.django_db
def test_a_cosign_signature_shows_as_signed_and_as_an_accessory(login, pushed, secret_project, admin_client):
    manifest = Repository.objects.get(name="secret/app").artifacts.get().content
    subject = {"mediaType": OCI_MANIFEST, "digest": pushed, "size": len(bytes(manifest))}
    config, layer = b"{}", b"signature payload"
    for blob in (config, layer):
        push_blob(admin_client, "secret/app", blob)
    signature = image_manifest(config, [layer], subject=subject, artifact_type=COSIGN)
    response = admin_client.put(f"/v2/secret/app/manifests/{sha256(signature)}", signature, OCI_MANIFEST)
    assert response.status_code == 201
    guest = login("watcher", secret_project, Role.GUEST)
    listing = guest.get("/projects/secret/r/app/-/artifacts").content.decode()
    assert listing.count('class="badge signed"') == 1  # the subject; the signature is not listed
    assert sha256(signature)[:19] not in listing
    detail = guest.get(f"/projects/secret/r/app/-/a/{pushed}/").content.decode()
    assert "signature.cosign" in detail and sha256(signature)[:19] in detail
