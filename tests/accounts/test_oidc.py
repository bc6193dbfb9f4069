"""OIDC login against a real OpenID Connect provider (django-oauth-toolkit in its own process)."""

from __future__ import annotations

from collections.abc import Iterator
from urllib.parse import parse_qs, urlsplit

import httpx
import pytest
from django.test import Client

from accounts.models import GroupType, User, UserGroup
from accounts.oidc import OIDCError, _verified_id_token, discovery, set_cli_secret
from configuration.store import get_config, update_config
from projects.models import Project, ProjectMember
from projects.rbac import Role
from tests.oidc_server import Provider, running_provider

from ..conftest import basic
from ..registry.helpers import push_image

CALLBACK = "http://testserver/c/oidc/callback"


@pytest.fixture(scope="session")
def provider(tmp_path_factory) -> Iterator[Provider]:
    with running_provider(tmp_path_factory.mktemp("oidc"), CALLBACK) as running:
        yield running


@pytest.fixture
def oidc_mode(db, provider: Provider) -> Provider:
    update_config(provider.harbor_config())
    return provider


def browser_login(client: Client, provider: Provider, username: str, password: str):
    """Walk the authorization-code flow as a browser would; returns our callback's response."""
    start = client.get("/c/oidc/login")
    assert start.status_code == 302, start.content
    origin = "{0.scheme}://{0.netloc}".format(urlsplit(provider.url))
    with httpx.Client(follow_redirects=False) as browser:
        to_login = browser.get(start["Location"])
        login_url = origin + to_login.headers["location"]
        browser.get(login_url)
        next_url = parse_qs(urlsplit(login_url).query)["next"][0]
        form = {
            "username": username,
            "password": password,
            "next": next_url,
            "csrfmiddlewaretoken": browser.cookies["csrftoken"],
        }
        authorized = browser.post(login_url, data=form)
        assert authorized.status_code == 302, authorized.text
        back = browser.get(origin + authorized.headers["location"])
        assert back.headers["location"].startswith(CALLBACK), back.text
    return client.get(back.headers["location"].removeprefix("http://testserver"))


def test_first_login_onboards_with_filtered_groups(oidc_mode):
    client = Client()
    response = browser_login(client, oidc_mode, "dora", "Dora-pass1")
    assert response.status_code == 302
    assert response["Location"] == "/"
    dora = User.objects.get(username="dora")
    assert dora.email == "dora@example.org"
    assert not dora.has_usable_password()
    assert [g.name for g in dora.harbor_groups.all()] == ["harbor-devs"]  # other-team is filtered out
    assert dora.oidc_identity.issuer == oidc_mode.url
    assert not dora.is_sysadmin
    assert client.session["_auth_user_id"] == str(dora.pk)


def test_admin_group_makes_a_system_administrator(oidc_mode):
    browser_login(Client(), oidc_mode, "olga", "Olga-pass1")
    assert User.objects.get(username="olga").is_sysadmin


def test_second_login_finds_the_same_account(oidc_mode):
    browser_login(Client(), oidc_mode, "dora", "Dora-pass1")
    browser_login(Client(), oidc_mode, "dora", "Dora-pass1")
    assert User.objects.filter(username="dora").count() == 1


def test_no_onboarding_when_automatic_onboarding_is_off(oidc_mode):
    update_config({"oidc_auto_onboard": False})
    response = browser_login(Client(), oidc_mode, "dora", "Dora-pass1")
    assert response.status_code == 400
    assert b"automatic onboarding is off" in response.content
    assert not User.objects.filter(username="dora").exists()


def test_callback_without_a_pending_login_is_refused(oidc_mode):
    response = Client().get("/c/oidc/callback?code=x&state=forged")
    assert response.status_code == 400
    assert b"state mismatch" in response.content


def test_cli_secret_works_on_the_registry_with_group_roles(oidc_mode, admin_client):
    team = Project.objects.create(name="team")
    push_image(admin_client, "team/app", "v1")
    devs = UserGroup.objects.create(name="harbor-devs", group_type=GroupType.OIDC)
    ProjectMember.objects.create(project=team, group=devs, role=Role.DEVELOPER)
    browser_login(Client(), oidc_mode, "dora", "Dora-pass1")
    secret = set_cli_secret(User.objects.get(username="dora"))

    cli = Client(HTTP_AUTHORIZATION=basic("dora", secret))
    assert cli.post("/v2/team/app/blobs/uploads/").status_code == 202
    assert Client(HTTP_AUTHORIZATION=basic("dora", "Wrong-secret1")).get("/v2/").status_code == 401
    new_secret = set_cli_secret(User.objects.get(username="dora"))
    assert cli.get("/v2/").status_code == 401  # the old secret stops working at once
    assert Client(HTTP_AUTHORIZATION=basic("dora", new_secret)).get("/v2/").status_code == 200


def test_cli_secret_is_accepted_only_on_registry_paths(oidc_mode, rf):
    from django.contrib.auth import authenticate

    browser_login(Client(), oidc_mode, "dora", "Dora-pass1")
    secret = set_cli_secret(User.objects.get(username="dora"))
    for path, accepted in (("/v2/", True), ("/service/token", True), ("/admin/login/", False), ("/", False)):
        user = authenticate(rf.post(path), username="dora", password=secret)
        assert (user is not None) is accepted, path


def test_cli_secret_must_follow_the_password_rule(oidc_mode):
    browser_login(Client(), oidc_mode, "dora", "Dora-pass1")
    with pytest.raises(OIDCError, match="upper-case"):
        set_cli_secret(User.objects.get(username="dora"), "weak")


def test_a_forged_id_token_is_refused(oidc_mode):
    from joserfc import jwt
    from joserfc.jwk import RSAKey

    config = get_config()
    metadata = discovery(config)
    forged = jwt.encode(
        {"alg": "RS256", "kid": "forged"},
        {
            "iss": metadata["issuer"],
            "aud": config["oidc_client_id"],
            "sub": "1",
            "exp": 4102444800,
            "nonce": "n",
        },
        RSAKey.generate_key(2048),
    )
    with pytest.raises(OIDCError, match="not valid"):
        _verified_id_token(config, metadata, forged, "n")
