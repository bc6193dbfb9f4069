"""Verifying a cosign signature (the simple-signing format of `cosign sign --key`).

A cosign signature artifact is an OCI manifest whose layers are simple-signing payloads
(`application/vnd.dev.cosign.simplesigning.v1+json`); each layer's annotation
`dev.cosignproject.cosign/signature` is the base64 signature over the payload blob's
bytes. The payload's `critical.image.docker-manifest-digest` names the signed artifact,
so a signature copied onto another artifact does not count for it. A layer may also carry
its signer's certificate (`dev.sigstore.cosign/certificate`, chain in
`dev.sigstore.cosign/chain`): when no trusted public key verifies the signature, that
certificate's chain must lead to a trusted CA certificate. The hash is SHA-256
whatever the key (as `cosign verify --key` does); RSA signatures are PKCS#1 v1.5 or PSS.
"""

from __future__ import annotations

import base64
import binascii
import json
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

from .keys import COSIGN, load_public_key
from .outcome import MAX_SIGNATURE_BLOB, BlobReader, Outcome, Trusted
from .x509chain import ChainRefused, trusted_anchor

SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json"
SIGNATURE_ANNOTATION = "dev.cosignproject.cosign/signature"
CERTIFICATE_ANNOTATION = "dev.sigstore.cosign/certificate"
CHAIN_ANNOTATION = "dev.sigstore.cosign/chain"
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
    """Verified when some layer's signature verifies with a trusted cosign key, or with a
    certificate that chains to a trusted CA, and its payload names `subject`; otherwise the
    reason of the last layer tried."""
    layers = [layer for layer in manifest.get("layers") or [] if isinstance(layer, dict)]
    signed = [layer for layer in layers if layer.get("mediaType") == SIMPLE_SIGNING]
    if not signed:
        return Outcome.failed("no simple-signing layer (sigstore bundles are not verified here)")
    outcome = Outcome.failed("no layer verified")
    for layer in signed:
        outcome = _verify_layer(layer, read_blob, subject, keys)
        if outcome.verified:
            return outcome
    return outcome


def _verify_layer(layer: dict[str, Any], read_blob: BlobReader, subject: str, keys: list[Trusted]) -> Outcome:
    annotations = layer.get("annotations") or {}
    annotation = annotations.get(SIGNATURE_ANNOTATION)
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
    signer = _signer_by_key(keys, signature, payload)
    if signer is None and annotations.get(CERTIFICATE_ANNOTATION):
        signer = _signer_by_certificate(annotations, keys, signature, payload)
        if isinstance(signer, Outcome):
            return signer
    if signer is None:
        return Outcome.failed("the signature does not verify with any trusted cosign key")
    named = _signed_digest(payload)
    if named != subject:
        return Outcome.failed(f"the signed payload names {named or 'no digest'}, not {subject}")
    return Outcome(True, signer, f"cosign signature verified with {signer}")


def _signer_by_key(keys: list[Trusted], signature: bytes, payload: bytes) -> str | None:
    """As `cosign verify --key`: a trusted public key; a certificate, if any, is ignored."""
    for key in keys:
        if key.kind == COSIGN and signature_verifies(load_public_key(key.pem), signature, payload):
            return key.name
    return None


def _signer_by_certificate(
    annotations: dict[str, Any], keys: list[Trusted], signature: bytes, payload: bytes
) -> str | Outcome:
    """As `cosign verify --certificate-chain`: the layer's certificate (and chain) must lead
    to a trusted CA, and its key must verify the signature."""
    try:
        chain = x509.load_pem_x509_certificates(str(annotations[CERTIFICATE_ANNOTATION]).encode())
        if annotations.get(CHAIN_ANNOTATION):
            chain += x509.load_pem_x509_certificates(str(annotations[CHAIN_ANNOTATION]).encode())
    except ValueError:
        return Outcome.failed("the certificate annotation is not PEM")
    if not signature_verifies(chain[0].public_key(), signature, payload):
        return Outcome.failed("the signature does not verify with its certificate")
    try:
        return trusted_anchor(chain, keys).name
    except ChainRefused as exc:
        return Outcome.failed(str(exc))


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
