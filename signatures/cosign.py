"""Verifying a cosign signature (the simple-signing format of `cosign sign --key`).

A cosign signature artifact is an OCI manifest whose layers are simple-signing payloads
(`application/vnd.dev.cosign.simplesigning.v1+json`); each layer's annotation
`dev.cosignproject.cosign/signature` is the base64 signature over the payload blob's
bytes. The payload's `critical.image.docker-manifest-digest` names the signed artifact,
so a signature copied onto another artifact does not count for it. The hash is SHA-256
whatever the key (as `cosign verify --key` does); RSA signatures are PKCS#1 v1.5 or PSS.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from .keys import COSIGN, load_public_key
from .outcome import MAX_SIGNATURE_BLOB, BlobReader, Outcome, Trusted

SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json"
SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature"
PAYLOAD_TYPE = "cosign container image signature"


def signature_verifies(key: PublicKeyTypes, signature: bytes, payload: bytes) -> bool:
    """Does `signature` over `payload` verify with `key`, the way cosign signs with it?"""
    try:
        if isinstance(key, ec.EllipticCurvePublicKey):
            key.verify(signature, payload, ec.ECDSA(hashes.SHA256()))
        elif isinstance(key, ed25519.Ed25519PublicKey):
            key.verify(signature, payload)
        elif isinstance(key, rsa.RSAPublicKey):
            try:
                key.verify(signature, payload, padding.PKCS1v15(), hashes.SHA256())
            except InvalidSignature:
                pss = padding.PSS(mgf=padding.MGF1(hashes.SHA256()), salt_length=padding.PSS.AUTO)
                key.verify(signature, payload, pss, hashes.SHA256())
        else:
            return False
    except InvalidSignature:
        return False
    return True


def verify_cosign(
    manifest: dict[str, Any], read_blob: BlobReader, subject: str, keys: list[Trusted]
) -> Outcome:
    """Verified when some layer's signature verifies with a trusted cosign key and its
    payload names `subject`; otherwise the reason of the last layer tried."""
    cosign_keys = [(key.name, load_public_key(key.pem)) for key in keys if key.kind == COSIGN]
    if not cosign_keys:
        return Outcome.failed("the project trusts no cosign key")
    layers = [layer for layer in manifest.get("layers") or [] if isinstance(layer, dict)]
    signed = [layer for layer in layers if layer.get("mediaType") == SIMPLE_SIGNING]
    if not signed:
        return Outcome.failed("no simple-signing layer (sigstore bundles are not verified here)")
    outcome = Outcome.failed("no layer verified")
    for layer in signed:
        outcome = _verify_layer(layer, read_blob, subject, cosign_keys)
        if outcome.verified:
            return outcome
    return outcome


def _verify_layer(
    layer: dict[str, Any], read_blob: BlobReader, subject: str, keys: list[tuple[str, PublicKeyTypes]]
) -> Outcome:
    annotation = (layer.get("annotations") or {}).get(SIGNATURE_ANNOTATION)
    if not isinstance(annotation, str) or not annotation:
        return Outcome.failed(f"the layer has no {SIGNATURE_ANNOTATION} annotation")
    try:
        signature = base64.b64decode(annotation, validate=True)
    except binascii.Error:
        return Outcome.failed("the signature annotation is not base64")
    digest = layer.get("digest")
    payload = read_blob(digest, MAX_SIGNATURE_BLOB) if isinstance(digest, str) else None
    if payload is None:
        return Outcome.failed(f"the payload blob {digest} cannot be read")
    key_name = next((name for name, key in keys if signature_verifies(key, signature, payload)), None)
    if key_name is None:
        return Outcome.failed("the signature does not verify with any trusted cosign key")
    named = _signed_digest(payload)
    if named != subject:
        return Outcome.failed(f"the signed payload names {named or 'no digest'}, not {subject}")
    return Outcome(True, key_name, f"cosign signature verified with key {key_name}")


def _signed_digest(payload: bytes) -> str | None:
    try:
        document = json.loads(payload)
        critical = document["critical"]
        if critical.get("type") != PAYLOAD_TYPE:
            return None
        digest = critical["image"]["docker-manifest-digest"]
    except (ValueError, KeyError, TypeError, AttributeError):
        return None
    return digest if isinstance(digest, str) else None
