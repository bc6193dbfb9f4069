"""Operators manage trusted keys in the admin through the same service as the API."""

from __future__ import annotations

from django.test import Client

from accounts.models import User
from events.models import AuditLog
from signatures.models import TrustedKey

from .signing import ecdsa_key, public_pem


def operator() -> Client:
    client = Client()
    client.force_login(User.objects.get(username="admin"))
    return client


def test_add_validates_audits_and_delete_audits(admin_user, library, on_commit):
    client = operator()
    assert client.get("/admin/signatures/trustedkey/add/").status_code == 200
    form = {"project": library.pk, "name": "ops", "kind": "cosign", "pem": "nonsense", "description": ""}
    refused = client.post("/admin/signatures/trustedkey/add/", form)
    assert refused.status_code == 200 and b"not a PEM public key" in refused.content
    assert not TrustedKey.objects.exists()

    form["pem"] = public_pem(ecdsa_key())
    added = on_commit(client.post, "/admin/signatures/trustedkey/add/", form)
    assert added.status_code == 302, added.content
    key = TrustedKey.objects.get()
    assert key.algorithm == "ecdsa-p256" and key.creator == "admin"
    duplicate = client.post("/admin/signatures/trustedkey/add/", {**form, "name": "again"})
    assert b"already trusts this key" in duplicate.content

    deleted = on_commit(client.post, f"/admin/signatures/trustedkey/{key.pk}/delete/", {"post": "yes"})
    assert deleted.status_code == 302
    assert not TrustedKey.objects.exists()
    assert list(AuditLog.objects.order_by("id").values_list("event_type", flat=True)) == [
        "create_trusted_key",
        "delete_trusted_key",
    ]
    assert client.get("/admin/signatures/verdict/").status_code == 200
