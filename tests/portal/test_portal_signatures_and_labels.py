"""The portal's trusted-keys tab and an artifact's labels and signature verdicts: changes go
through the same services as the API (audited, verdicts forgotten), shown only to those who may."""

from __future__ import annotations

import pytest

from events.models import AuditLog
from projects.models import Label
from projects.rbac import Role
from registry.models import ArtifactLabel
from signatures.models import TrustedKey
from tests.signatures.signing import cosign_signature, cosign_tag, ecdsa_key, public_pem, push_signed

KEYS = "/projects/secret/trusted-keys"


@pytest.mark.django_db
def test_project_admin_trusts_and_removes_a_key(login, secret_project, on_commit):
    owner = login("owner", secret_project, Role.PROJECT_ADMIN)
    pem = public_pem(ecdsa_key())
    body = {"name": "release", "kind": "cosign", "pem": pem}
    response = on_commit(owner.post, f"{KEYS}/add", body, follow=True)
    body = response.content.decode()
    assert "release" in body and "ecdsa-p256" in body
    key = TrustedKey.objects.get(project=secret_project)
    refused = owner.post(f"{KEYS}/add", {"name": "bad", "kind": "cosign", "pem": "not a key"}, follow=True)
    assert TrustedKey.objects.count() == 1 and 'class="error"' in refused.content.decode()
    on_commit(owner.post, f"{KEYS}/{key.pk}/delete")
    assert not TrustedKey.objects.exists()
    audit = list(AuditLog.objects.order_by("id").values_list("event_type", "resource", "username"))
    assert audit == [
        ("create_trusted_key", "secret/release", "owner"),
        ("delete_trusted_key", "secret/release", "owner"),
    ]


@pytest.mark.django_db
def test_guest_reads_keys_but_cannot_change_them(login, secret_project):
    TrustedKey.objects.create(
        project=secret_project,
        name="release",
        kind="cosign",
        pem="x",
        fingerprint="f" * 64,
        algorithm="ed25519",
    )
    guest = login("guest", secret_project, Role.GUEST)
    body = guest.get(KEYS).content.decode()
    assert "release" in body and "Trust this key" not in body and "/delete" not in body
    key = TrustedKey.objects.get()
    assert guest.post(f"{KEYS}/{key.pk}/delete").status_code == 403
    assert TrustedKey.objects.exists()


@pytest.mark.django_db
def test_signature_verdict_is_shown_on_the_artifact(login, secret_project, pushed, admin_client):
    signer = ecdsa_key()
    push_signed(admin_client, "secret/app", cosign_tag(pushed), cosign_signature(signer, pushed))
    owner = login("owner", secret_project, Role.PROJECT_ADMIN)
    page = f"/projects/secret/r/app/-/a/{pushed}/"
    assert "Verified by" not in owner.get(page).content.decode()  # no trusted key: no verdict
    owner.post(f"{KEYS}/add", {"name": "release", "kind": "cosign", "pem": public_pem(signer)})
    assert "Verified by release" in owner.get(page).content.decode()
    owner.post(f"{KEYS}/{TrustedKey.objects.get().pk}/delete")
    owner.post(f"{KEYS}/add", {"name": "other", "kind": "cosign", "pem": public_pem(ecdsa_key())})
    assert "Not verified" in owner.get(page).content.decode()


@pytest.mark.django_db
def test_labels_are_attached_and_detached_on_the_artifact_page(login, secret_project, pushed):
    mine = Label.objects.create(name="qa", scope=Label.PROJECT, project=secret_project)
    Label.objects.create(name="elsewhere", scope=Label.PROJECT, project=None)
    developer = login("dev", secret_project, Role.DEVELOPER)
    page = f"/projects/secret/r/app/-/a/{pushed}/"
    body = developer.get(page).content.decode()
    assert "Add label" in body and "elsewhere" not in body
    developer.post(f"{page}labels", {"label": str(mine.pk)})
    assert ArtifactLabel.objects.filter(label=mine).exists()
    assert "Remove label qa" in developer.get(page).content.decode()
    developer.post(f"{page}labels/{mine.pk}/delete")
    assert not ArtifactLabel.objects.exists()
    guest = login("guest", secret_project, Role.GUEST)
    assert guest.post(f"{page}labels", {"label": str(mine.pk)}).status_code == 403
