"""`/api/v2.0/projects/{p}/trusted-keys`: managed by project admins, read by members,
audited, validated."""

from __future__ import annotations

import pytest
from cryptography.hazmat.primitives.asymmetric import ec, rsa

from events.models import AuditLog
from projects.models import Project, ProjectMember
from projects.rbac import Role
from signatures.models import TrustedKey

from .signing import certificate, ecdsa_key, public_pem

API = "/api/v2.0"
JSON = "application/json"


def keys_url(project: str = "team") -> str:
    return f"{API}/projects/{project}/trusted-keys"


def create(client, body: dict, project: str = "team"):
    return client.post(keys_url(project), body, content_type=JSON)


@pytest.fixture
def team(db) -> Project:
    return Project.objects.create(name="team")


@pytest.fixture
def member(user_client, team, django_user_model):
    def make(username: str, role: Role):
        client = user_client(username)
        ProjectMember.objects.create(
            project=team, user=django_user_model.objects.get(username=username), role=role
        )
        return client

    return make


def test_create_list_read_and_delete_with_audit(admin_client, team, on_commit):
    pem = public_pem(ecdsa_key())
    created = on_commit(
        create, admin_client, {"name": "release", "kind": "cosign", "pem": pem, "description": "CI"}
    )
    assert created.status_code == 201, created.content
    key = TrustedKey.objects.get(project=team)
    assert created["Location"] == f"{keys_url()}/{key.pk}"
    listing = admin_client.get(keys_url())
    assert listing["X-Total-Count"] == "1"
    body = listing.json()[0]
    assert body["name"] == "release" and body["kind"] == "cosign" and body["algorithm"] == "ecdsa-p256"
    assert body["pem"] == pem and body["description"] == "CI" and body["creator"] == "admin"
    assert len(body["fingerprint"]) == 64
    assert admin_client.get(f"{keys_url(str(team.pk))}/{key.pk}").json()["id"] == key.pk
    assert on_commit(admin_client.delete, f"{keys_url()}/{key.pk}").status_code == 200
    assert not TrustedKey.objects.exists()
    assert admin_client.get(f"{keys_url()}/{key.pk}").status_code == 404
    audit = list(
        AuditLog.objects.order_by("id").values_list("event_type", "resource", "project_id", "username")
    )
    assert audit == [
        ("create_trusted_key", "team/release", team.pk, "admin"),
        ("delete_trusted_key", "team/release", team.pk, "admin"),
    ]
    events = admin_client.get(f"{API}/auditlog-exts/events").json()
    assert {"event_type": "create_trusted_key"} in events


def test_notation_ca_certificate_with_identity(admin_client, team):
    ca = certificate("Team CA", ca=True)
    response = create(
        admin_client, {"name": "ca", "kind": "notation", "pem": ca.pem, "trusted_identity": "CN=ci"}
    )
    assert response.status_code == 201, response.content
    body = admin_client.get(keys_url()).json()[0]
    assert body["subject"] == "CN=Team CA,O=Acme" and body["trusted_identity"] == "CN=ci"


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "k", "kind": "cosign", "pem": "not a key"}, "not a PEM public key"),
        ({"name": "k", "kind": "notation", "pem": "-----BEGIN CERTIFICATE-----\nAA==\n"}, "not a PEM X.509"),
        ({"name": "k", "kind": "gpg", "pem": "x"}, "kind"),
        ({"name": "", "kind": "cosign", "pem": "x"}, "name"),
    ],
)
def test_bad_input_is_a_400(admin_client, team, body, message):
    response = create(admin_client, body)
    assert response.status_code == 400
    assert message in response.json()["errors"][0]["message"]


def test_weak_rsa_leaf_certificate_and_identity_on_cosign_are_refused(admin_client, team):
    weak = rsa.generate_private_key(65537, 1024)
    assert (
        "at least 2048"
        in create(admin_client, {"name": "w", "kind": "cosign", "pem": public_pem(weak)}).json()["errors"][0][
            "message"
        ]
    )
    leaf = certificate("leaf", certificate("CA", ca=True), ca=False)
    assert (
        "not a CA"
        in create(admin_client, {"name": "l", "kind": "notation", "pem": leaf.pem}).json()["errors"][0][
            "message"
        ]
    )
    body = {"name": "c", "kind": "cosign", "pem": public_pem(ecdsa_key()), "trusted_identity": "CN=x"}
    assert create(admin_client, body).status_code == 400
    curve = ec.generate_private_key(ec.SECP256K1())
    assert create(admin_client, {"name": "k1", "kind": "cosign", "pem": public_pem(curve)}).status_code == 400


def test_same_name_or_same_key_twice_is_a_409(admin_client, team):
    pem = public_pem(ecdsa_key())
    assert create(admin_client, {"name": "a", "kind": "cosign", "pem": pem}).status_code == 201
    assert create(admin_client, {"name": "b", "kind": "cosign", "pem": pem}).status_code == 409
    assert (
        create(admin_client, {"name": "a", "kind": "cosign", "pem": public_pem(ecdsa_key())}).status_code
        == 409
    )


@pytest.mark.parametrize(
    ("role", "may_read", "may_manage"),
    [
        (Role.PROJECT_ADMIN, True, True),
        (Role.MAINTAINER, True, False),
        (Role.DEVELOPER, True, False),
        (Role.GUEST, True, False),
        (Role.LIMITED_GUEST, False, False),
    ],
)
def test_roles(admin_client, member, team, role, may_read, may_manage):
    client = member("someone", role)
    existing = create(admin_client, {"name": "x", "kind": "cosign", "pem": public_pem(ecdsa_key())})
    key_url = existing["Location"]
    assert client.get(keys_url()).status_code == (200 if may_read else 403)
    assert client.get(key_url).status_code == (200 if may_read else 403)
    body = {"name": "mine", "kind": "cosign", "pem": public_pem(ecdsa_key())}
    assert create(client, body).status_code == (201 if may_manage else 403)
    assert client.delete(key_url).status_code == (200 if may_manage else 403)


def test_outsiders_and_anonymous(user_client, team, client):
    assert user_client("stranger").get(keys_url()).status_code == 403
    assert client.get(keys_url()).status_code == 401
    assert client.get(keys_url("nowhere")).status_code == 404
