"""Authentication on `/v2/` and the token service (Harbor's flow, harbor.md §1.6)."""

from __future__ import annotations

import base64
import json

import jwt
import pytest
from django.test import Client

from projects.models import ProjectMember
from projects.rbac import Role
from registry.auth.keys import signing_key

from ..conftest import ADMIN_PASSWORD, basic
from .helpers import errors, push_image

TOKEN_URL = "/service/token?service=harbor-registry"


def token_for(client: Client, *scopes: str, authorization: str | None = None) -> dict:
    query = "".join(f"&scope={s}" for s in scopes)
    headers = {"HTTP_AUTHORIZATION": authorization} if authorization else {}
    response = client.get(TOKEN_URL + query, **headers)
    assert response.status_code == 200, response.content
    return json.loads(response.content)


def claims(token: str) -> dict:
    return jwt.decode(token, signing_key().public_pem, algorithms=["RS256"], audience="harbor-registry")


def bearer(body: dict) -> Client:
    return Client(HTTP_AUTHORIZATION=f"Bearer {body['token']}")


def test_v2_root_challenges_without_credentials(db):
    response = Client().get("/v2/")
    assert response.status_code == 401
    assert response["Docker-Distribution-Api-Version"] == "registry/2.0"
    assert response["WWW-Authenticate"] == (
        'Bearer realm="http://testserver/service/token",service="harbor-registry"'
    )
    assert errors(response) == ["UNAUTHORIZED"]


def test_v2_root_with_basic_and_with_bad_password(admin_user):
    assert Client(HTTP_AUTHORIZATION=basic("admin", ADMIN_PASSWORD)).get("/v2/").status_code == 200
    assert Client(HTTP_AUTHORIZATION=basic("admin", "wrong")).get("/v2/").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Basic !!!").get("/v2/").status_code == 401
    assert Client(HTTP_AUTHORIZATION="Digest x").get("/v2/").status_code == 401


def test_public_content_still_challenges_without_authorization_header(admin_client):
    push_image(admin_client, "library/app", "v1")
    response = Client().get("/v2/library/app/manifests/v1")
    assert response.status_code == 401
    assert 'scope="repository:library/app:pull"' in response["WWW-Authenticate"]


def test_challenge_scope_follows_the_method(admin_client):
    assert 'scope="repository:library/app:pull,push"' in Client().post("/v2/library/app/blobs/uploads/").get(
        "WWW-Authenticate"
    )
    assert 'scope="repository:library/app:delete"' in Client().delete("/v2/library/app/manifests/v1").get(
        "WWW-Authenticate"
    )


def test_token_has_harbor_claims_and_kid(admin_user, library):
    body = token_for(
        Client(), "repository:library/app:pull,push", authorization=basic("admin", ADMIN_PASSWORD)
    )
    assert body["expires_in"] == 1800
    assert body["access_token"] == body["token"]
    header = jwt.get_unverified_header(body["token"])
    assert header["alg"] == "RS256"
    assert header["kid"] == signing_key().kid
    assert len(header["kid"].split(":")) == 12
    payload = claims(body["token"])
    assert payload["iss"] == "harbor-token-issuer"
    assert payload["sub"] == "admin"
    assert payload["aud"] == "harbor-registry"
    assert len(payload["jti"]) == 16
    assert payload["access"] == [{"type": "repository", "name": "library/app", "actions": ["pull", "push"]}]


def test_anonymous_token_is_downscoped_to_public_pull(library, private_project):
    body = token_for(Client(), "repository:library/app:pull,push", "repository:private/app:pull")
    assert claims(body["token"])["access"] == [
        {"type": "repository", "name": "library/app", "actions": ["pull"]},
        {"type": "repository", "name": "private/app", "actions": []},
    ]


def test_space_separated_scopes_and_unknown_types(admin_user, library):
    body = token_for(
        Client(),
        "repository:library/a:pull%20repository:library/b:pull",
        "plugin:x:y",
        authorization=basic("admin", ADMIN_PASSWORD),
    )
    access = claims(body["token"])["access"]
    assert [a["name"] for a in access] == ["library/a", "library/b", "x"]
    assert access[2]["actions"] == []


def test_missing_project_gives_empty_actions(admin_user):
    body = token_for(Client(), "repository:ghost/app:pull,push", authorization=basic("admin", ADMIN_PASSWORD))
    assert claims(body["token"])["access"][0]["actions"] == []


def test_catalog_scope_only_for_sysadmin(admin_user, django_user_model):
    django_user_model.objects.create_user("dev", password="Password1")
    admin = token_for(Client(), "registry:catalog:*", authorization=basic("admin", ADMIN_PASSWORD))
    dev = token_for(Client(), "registry:catalog:*", authorization=basic("dev", "Password1"))
    assert claims(admin["token"])["access"][0]["actions"] == ["*"]
    assert claims(dev["token"])["access"][0]["actions"] == []


def test_wrong_password_without_scope_is_401_as_docker_login_expects(admin_user):
    response = Client().get(TOKEN_URL, HTTP_AUTHORIZATION=basic("admin", "wrong"))
    assert response.status_code == 401
    assert Client().get(TOKEN_URL).status_code == 401
    ok = Client().get(TOKEN_URL, HTTP_AUTHORIZATION=basic("admin", ADMIN_PASSWORD))
    assert ok.status_code == 200


def test_wrong_password_with_scope_falls_back_to_anonymous(admin_user, library):
    body = token_for(Client(), "repository:library/app:pull,push", authorization=basic("admin", "wrong"))
    payload = claims(body["token"])
    assert payload["sub"] == ""
    assert payload["access"][0]["actions"] == ["pull"]


def test_unknown_service_is_refused(db):
    assert Client().get("/service/token?service=other").status_code == 400


def test_bearer_token_grants_exactly_its_access(admin_client):
    push_image(admin_client, "library/app", "v1")
    pull_only = bearer(token_for(Client(), "repository:library/app:pull"))
    assert pull_only.get("/v2/library/app/manifests/v1").status_code == 200
    # Asked for push on this repository and was refused: 401 (anonymous) rather than a new challenge loop.
    refused = pull_only.post("/v2/library/app/blobs/uploads/")
    assert refused.status_code == 401
    # Never asked for another repository: challenged for it.
    other = pull_only.get("/v2/library/other/manifests/v1")
    assert other.status_code == 401
    assert 'error="insufficient_scope"' in other["WWW-Authenticate"]
    assert 'scope="repository:library/other:pull"' in other["WWW-Authenticate"]


def test_authenticated_token_refused_an_action_gets_403(admin_client, django_user_model, library):
    django_user_model.objects.create_user("guest", password="Password1")
    ProjectMember.objects.create(
        project=library, user=django_user_model.objects.get(username="guest"), role=Role.GUEST
    )
    body = token_for(Client(), "repository:library/app:pull,push", authorization=basic("guest", "Password1"))
    assert claims(body["token"])["access"][0]["actions"] == ["pull"]
    response = bearer(body).post("/v2/library/app/blobs/uploads/")
    assert response.status_code == 403
    assert errors(response) == ["DENIED"]
    # Harbor still names the scope needed, so clients that follow challenges on 403 can widen.
    assert 'scope="repository:library/app:pull,push"' in response["WWW-Authenticate"]


def test_tampered_or_foreign_tokens_are_rejected(admin_client):
    body = token_for(Client(), "repository:library/app:pull")
    header, payload, signature = body["token"].split(".")
    forged_payload = json.loads(base64.urlsafe_b64decode(payload + "=="))
    forged_payload["access"][0]["actions"] = ["pull", "push"]
    forged = base64.urlsafe_b64encode(json.dumps(forged_payload).encode()).rstrip(b"=").decode()
    response = Client(HTTP_AUTHORIZATION=f"Bearer {header}.{forged}.{signature}").get("/v2/")
    assert response.status_code == 401
    assert Client(HTTP_AUTHORIZATION="Bearer not-a-jwt").get("/v2/").status_code == 401


@pytest.mark.parametrize("path", ["/v2/_catalog", "/v2/library/app/tags/list"])
def test_listing_endpoints_challenge_anonymous(db, path):
    assert Client().get(path).status_code == 401


def test_catalog_is_empty_for_non_admins(admin_client, django_user_model):
    push_image(admin_client, "library/app", "v1")
    django_user_model.objects.create_user("dev", password="Password1")
    response = Client(HTTP_AUTHORIZATION=basic("dev", "Password1")).get("/v2/_catalog")
    assert json.loads(response.content) == {"repositories": []}
    dev_token = token_for(Client(), "registry:catalog:*", authorization=basic("dev", "Password1"))
    assert json.loads(bearer(dev_token).get("/v2/_catalog").content) == {"repositories": []}
    admin_token = token_for(Client(), "registry:catalog:*", authorization=basic("admin", ADMIN_PASSWORD))
    assert json.loads(bearer(admin_token).get("/v2/_catalog").content) == {"repositories": ["library/app"]}


def test_unknown_v2_path_answers_in_the_oci_envelope(admin_client):
    response = admin_client.get("/v2/library/app/unknown/thing")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/json"
    assert errors(response)


def _forged(claims_override: dict) -> str:
    """A token signed with our own key but with chosen claims (expired, foreign audience...)."""
    import time

    now = int(time.time())
    claims = {
        "iss": "harbor-token-issuer",
        "sub": "admin",
        "aud": "harbor-registry",
        "exp": now + 60,
        "nbf": now,
        "iat": now,
        "jti": "x" * 16,
        "access": [{"type": "repository", "name": "library/app", "actions": ["pull"]}],
        **claims_override,
    }
    key = signing_key()
    return jwt.encode(claims, key.private_pem, algorithm="RS256", headers={"kid": key.kid})


@pytest.mark.parametrize(
    "override",
    [{"exp": 1_000_000}, {"aud": "another-registry"}, {"iss": "someone-else"}],
    ids=["expired", "wrong-audience", "wrong-issuer"],
)
def test_expired_or_foreign_tokens_are_refused(admin_client, override):
    push_image(admin_client, "library/app", "v1")
    assert (
        Client(HTTP_AUTHORIZATION=f"Bearer {_forged({})}").get("/v2/library/app/manifests/v1").status_code
        == 200
    )
    refused = Client(HTTP_AUTHORIZATION=f"Bearer {_forged(override)}").get("/v2/library/app/manifests/v1")
    assert refused.status_code == 401
    assert errors(refused) == ["UNAUTHORIZED"]


def test_malformed_scopes_are_ignored_not_fatal(admin_user, library):
    body = token_for(
        Client(),
        "garbage",
        "repository::pull",
        "repository:library/app",
        ":::",
        authorization=basic("admin", ADMIN_PASSWORD),
    )
    assert claims(body["token"])["access"] == []  # nothing usable was asked, nothing is granted
