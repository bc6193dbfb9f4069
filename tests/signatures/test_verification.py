"""Verification (ours): with `enable_signature_verification`, only a signature that verifies
against a key the project trusts, and names the artifact's digest, lets a pull through."""

from __future__ import annotations

import json

import pytest
from cryptography.hazmat.primitives.asymmetric import ed25519, rsa

from signatures.models import TrustedKey, Verdict
from signatures.services import add_key, remove_key, validated_key
from tests.registry.helpers import push_image

from .conftest import REPO, error, pull
from .signing import (
    certificate,
    cosign_signature,
    cosign_tag,
    ecdsa_key,
    notation_signature,
    public_pem,
    push_signed,
)


def trust(project, name: str, kind: str, pem: str, identity: str = "") -> TrustedKey:
    return add_key("admin", validated_key(project, name, kind, pem, identity))


@pytest.fixture
def verifying(library, policy):
    policy(enable_signature_verification=True)
    return library


def test_signed_with_a_trusted_key_is_pulled_untrusted_is_refused(admin_client, image, verifying):
    trusted, stranger = ecdsa_key(), ecdsa_key()
    trust(verifying, "release", "cosign", public_pem(trusted))
    push_signed(admin_client, REPO, cosign_tag(image[0]), cosign_signature(stranger, image[0]))
    code, message = error(pull(admin_client, "v1"))
    assert code == "PROJECTPOLICYVIOLATION"
    assert "not signed by a key the project trusts" in message
    # cosign adds a signature by replacing the .sig manifest: now signed by the trusted key
    push_signed(admin_client, REPO, cosign_tag(image[0]), cosign_signature(trusted, image[0]))
    assert pull(admin_client, "v1").status_code == 200
    assert pull(admin_client, image[0], "head").status_code == 200


def test_unsigned_is_refused(admin_client, image, verifying):
    trust(verifying, "release", "cosign", public_pem(ecdsa_key()))
    assert error(pull(admin_client, "v1")) == ("PROJECTPOLICYVIOLATION", "The image is not signed.")


def test_no_trusted_key_refuses_even_signed_images(admin_client, image, verifying):
    push_signed(admin_client, REPO, cosign_tag(image[0]), cosign_signature(ecdsa_key(), image[0]))
    assert "trusts no key" in error(pull(admin_client, "v1"))[1]


def test_payload_naming_another_digest_is_refused(admin_client, image, verifying):
    key = ecdsa_key()
    trust(verifying, "release", "cosign", public_pem(key))
    other, _ = push_image(admin_client, REPO, "other")
    # a valid signature of `other`, copied onto v1's signature tag
    push_signed(admin_client, REPO, cosign_tag(image[0]), cosign_signature(key, image[0], names=other))
    assert pull(admin_client, "v1").status_code == 412
    verdict = Verdict.objects.get(subject_digest=image[0])
    assert not verdict.verified and other in verdict.reason


def test_tampered_signature_is_refused(admin_client, image, verifying):
    key = ecdsa_key()
    trust(verifying, "release", "cosign", public_pem(key))
    signed = cosign_signature(key, image[0], referrer_size=image[1], tamper=True)
    push_signed(admin_client, REPO, signed.digest, signed)
    assert pull(admin_client, "v1").status_code == 412


def test_removing_the_key_refuses_again(admin_client, image, verifying):
    key = ecdsa_key()
    trusted = trust(verifying, "release", "cosign", public_pem(key))
    signed = cosign_signature(key, image[0], referrer_size=image[1])
    push_signed(admin_client, REPO, signed.digest, signed)
    assert pull(admin_client, "v1").status_code == 200
    assert Verdict.objects.filter(project=verifying, verified=True).count() == 1
    remove_key("admin", trusted)
    assert not Verdict.objects.filter(project=verifying).exists()
    assert pull(admin_client, "v1").status_code == 412


@pytest.mark.parametrize(
    "make_key",
    [lambda: ed25519.Ed25519PrivateKey.generate(), lambda: rsa.generate_private_key(65537, 2048)],
    ids=["ed25519", "rsa"],
)
def test_ed25519_and_rsa_cosign_keys(admin_client, image, verifying, make_key):
    key = make_key()
    trust(verifying, "release", "cosign", public_pem(key))
    push_signed(admin_client, REPO, cosign_tag(image[0]), cosign_signature(key, image[0]))
    assert pull(admin_client, "v1").status_code == 200


def test_verdicts_are_cached_per_key_set(admin_client, image, verifying, django_assert_max_num_queries):
    key = ecdsa_key()
    trust(verifying, "release", "cosign", public_pem(key))
    push_signed(admin_client, REPO, cosign_tag(image[0]), cosign_signature(key, image[0]))
    assert pull(admin_client, "v1").status_code == 200
    verdict = Verdict.objects.get()
    assert verdict.verified and verdict.key_name == "release"
    assert pull(admin_client, "v1").status_code == 200
    assert Verdict.objects.get().pk == verdict.pk  # reused, not verified again
    trust(verifying, "second", "cosign", public_pem(ecdsa_key()))
    assert not Verdict.objects.exists()  # a new key set: the old verdicts are gone
    assert pull(admin_client, "v1").status_code == 200
    assert Verdict.objects.get().keyset != verdict.keyset


def test_with_cosign_policy_only_a_verified_cosign_signature_counts(admin_client, image, verifying, policy):
    policy(enable_content_trust_cosign=True)
    ca = certificate("Test CA", ca=True)
    trust(verifying, "ca", "notation", ca.pem)
    signed = notation_signature(certificate("builder", ca, ca=False), [ca], image[0], image[1])
    push_signed(admin_client, REPO, signed.digest, signed)
    assert error(pull(admin_client, "v1"))[1] == "The image is not signed by cosign."
    policy(enable_content_trust_cosign=False)
    assert pull(admin_client, "v1").status_code == 200


# --- Notation ---------------------------------------------------------------------------------


@pytest.fixture
def ca():
    return certificate("Test Root CA", ca=True, days=365)


def push_notation(client, image, leaf, chain, **options) -> None:
    signed = notation_signature(leaf, chain, image[0], image[1], **options)
    push_signed(client, REPO, signed.digest, signed)


def test_notation_chain_to_a_trusted_ca_verifies(admin_client, image, verifying, ca):
    intermediate = certificate("Test Intermediate", ca, ca=True)
    leaf = certificate("builder", intermediate, ca=False)
    trust(verifying, "root", "notation", ca.pem)
    push_notation(admin_client, image, leaf, [intermediate, ca])
    assert pull(admin_client, "v1").status_code == 200
    assert Verdict.objects.get().key_name == "root"


def test_notation_chain_without_the_root_in_x5c_verifies(admin_client, image, verifying, ca):
    trust(verifying, "root", "notation", ca.pem)
    push_notation(admin_client, image, certificate("builder", ca, ca=False), [])
    assert pull(admin_client, "v1").status_code == 200


def test_notation_from_another_ca_is_refused(admin_client, image, verifying, ca):
    other = certificate("Other CA", ca=True)
    trust(verifying, "root", "notation", ca.pem)
    push_notation(admin_client, image, certificate("builder", other, ca=False), [other])
    assert pull(admin_client, "v1").status_code == 412
    assert "no trusted CA" in Verdict.objects.get().reason


def test_notation_tampered_or_naming_another_digest_is_refused(admin_client, image, verifying, ca):
    trust(verifying, "root", "notation", ca.pem)
    leaf = certificate("builder", ca, ca=False)
    push_notation(admin_client, image, leaf, [ca], tamper=True)
    other, _ = push_image(admin_client, REPO, "other")
    push_notation(admin_client, image, leaf, [ca], names=other)
    assert pull(admin_client, "v1").status_code == 412
    reasons = sorted(Verdict.objects.values_list("reason", flat=True))
    assert any("does not verify" in reason for reason in reasons)
    assert any(f"names {other}" in reason for reason in reasons)


def test_notation_trusted_identity(admin_client, image, verifying, ca):
    trust(verifying, "root", "notation", ca.pem, identity="O=Acme, CN=release-builder")
    push_notation(admin_client, image, certificate("someone-else", ca, ca=False), [ca])
    assert pull(admin_client, "v1").status_code == 412
    push_notation(admin_client, image, certificate("release-builder", ca, ca=False), [ca])
    assert pull(admin_client, "v1").status_code == 200


def test_verification_is_shown_on_accessories(admin_client, image, verifying):
    key = ecdsa_key()
    push_signed(admin_client, REPO, cosign_tag(image[0]), cosign_signature(key, image[0]))
    url = f"/api/v2.0/projects/library/repositories/app/artifacts/{image[0]}"
    body = json.loads(admin_client.get(url).content)
    assert body["accessories"][0]["verification"] is None  # no trusted key: nothing to say
    trust(verifying, "release", "cosign", public_pem(key))
    body = json.loads(admin_client.get(url).content)
    verification = body["accessories"][0]["verification"]
    assert verification["verified"] is True and verification["key"] == "release"
    listed = json.loads(admin_client.get(f"{url}/accessories").content)
    assert listed[0]["verification"]["verified"] is True


def test_a_cached_verdict_costs_two_more_queries(admin_client, image, verifying, django_assert_num_queries):
    key = ecdsa_key()
    trust(verifying, "release", "cosign", public_pem(key))
    push_signed(admin_client, REPO, cosign_tag(image[0]), cosign_signature(key, image[0]))
    assert pull(admin_client, "v1").status_code == 200
    with django_assert_num_queries(3 + 4 + 2):  # + the key set, the verdicts
        assert pull(admin_client, "v1").status_code == 200


# --- cosign signatures that carry a certificate ----------------------------------------------


def test_cosign_certificate_chained_to_a_trusted_ca(admin_client, image, verifying, ca):
    intermediate = certificate("Signing CA", ca, ca=True)
    leaf = certificate("ci", intermediate, ca=False)
    trust(verifying, "root", "notation", ca.pem)
    signed = cosign_signature(leaf.key, image[0], certificate=leaf, chain=[intermediate, ca])
    push_signed(admin_client, REPO, cosign_tag(image[0]), signed)
    assert pull(admin_client, "v1").status_code == 200
    assert Verdict.objects.get().key_name == "root"


def test_cosign_certificate_from_an_untrusted_ca_or_not_the_signer(admin_client, image, verifying, ca):
    trust(verifying, "root", "notation", ca.pem)
    other = certificate("Other CA", ca=True)
    stranger = certificate("ci", other, ca=False)
    push_signed(
        admin_client,
        REPO,
        cosign_tag(image[0]),
        cosign_signature(stranger.key, image[0], certificate=stranger, chain=[other]),
    )
    assert pull(admin_client, "v1").status_code == 412
    assert "no trusted CA" in Verdict.objects.get().reason
    # a trusted certificate attached to a signature its key did not make
    trusted_leaf = certificate("ci", ca, ca=False)
    signed = cosign_signature(ecdsa_key(), image[0], certificate=trusted_leaf, referrer_size=image[1])
    push_signed(admin_client, REPO, signed.digest, signed)
    assert pull(admin_client, "v1").status_code == 412
    assert Verdict.objects.filter(reason="the signature does not verify with its certificate").exists()
