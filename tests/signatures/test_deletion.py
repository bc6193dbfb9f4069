"""Signatures are hard references: deleting the subject deletes them, and the referrers
API and the cached verdicts follow."""

from __future__ import annotations

import json

import pytest

from registry.models import Artifact, Tag
from signatures.models import TrustedKey

from .conftest import REPO
from .signing import certificate, cosign_signature, cosign_tag, ecdsa_key, notation_signature, push_signed


def referrers(client, digest: str) -> list[str]:
    response = client.get(f"/v2/{REPO}/referrers/{digest}")
    assert response.status_code == 200
    return sorted(m["digest"] for m in json.loads(response.content)["manifests"])


@pytest.mark.parametrize("how", ["v2", "api"])
def test_deleting_the_subject_deletes_its_signatures(admin_client, image, how):
    digest, size = image
    key = ecdsa_key()
    tagged = cosign_signature(key, digest)
    push_signed(admin_client, REPO, cosign_tag(digest), tagged)
    referrer = cosign_signature(key, digest, referrer_size=size)
    push_signed(admin_client, REPO, referrer.digest, referrer)
    ca = certificate("CA", ca=True)
    notation = notation_signature(certificate("builder", ca, ca=False), [ca], digest, size)
    push_signed(admin_client, REPO, notation.digest, notation)
    assert referrers(admin_client, digest) == sorted([referrer.digest, notation.digest])
    assert Artifact.objects.count() == 4

    if how == "v2":
        response = admin_client.delete(f"/v2/{REPO}/manifests/{digest}")
        assert response.status_code == 202
    else:
        response = admin_client.delete(f"/api/v2.0/projects/library/repositories/app/artifacts/{digest}")
        assert response.status_code == 200

    assert Artifact.objects.count() == 0
    assert not Tag.objects.filter(name=cosign_tag(digest)).exists()
    assert referrers(admin_client, digest) == []
    assert admin_client.get(f"/v2/{REPO}/manifests/{notation.digest}").status_code == 404


def test_deleting_a_project_deletes_its_keys(admin_client, library):
    from signatures.services import add_key, validated_key

    from .signing import public_pem

    add_key("admin", validated_key(library, "k", "cosign", public_pem(ecdsa_key())))
    library.delete()
    assert not TrustedKey.objects.exists()
