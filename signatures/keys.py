"""Reading the PEM a project trusts: cosign public keys and Notation CA certificates.

Framework-free: the API and the admin call `parse_key` to validate what they are given,
the verifiers call `load_public_key` / `load_certificate` on what was stored.
"""

from __future__ import annotations

import hashlib
from dataclasses import dataclass
from datetime import UTC, datetime

from cryptography import x509
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, rsa
from cryptography.hazmat.primitives.asymmetric.types import PublicKeyTypes

COSIGN = "cosign"
NOTATION = "notation"
MAX_PEM_CHARS = 64 * 1024
# Below these sizes a key is too weak to mean anything (NIST SP 800-131A).
MIN_RSA_BITS = 2048


class InvalidKey(ValueError):
    """The PEM is not a key of the kind asked for; the message says why, for people."""


@dataclass(frozen=True, slots=True)
class ParsedKey:
    kind: str
    fingerprint: str  # sha256 hex of the DER form
    algorithm: str
    subject: str  # certificates only
    pem: str  # normalised: exactly one PEM block


def public_key_algorithm(key: PublicKeyTypes) -> str:
    """Our name for a key's algorithm; InvalidKey for kinds cosign and Notation do not use."""
    if isinstance(key, ec.EllipticCurvePublicKey):
        names = {"secp256r1": "ecdsa-p256", "secp384r1": "ecdsa-p384", "secp521r1": "ecdsa-p521"}
        if key.curve.name not in names:
            raise InvalidKey(f"unsupported elliptic curve {key.curve.name}")
        return names[key.curve.name]
    if isinstance(key, ed25519.Ed25519PublicKey):
        return "ed25519"
    if isinstance(key, rsa.RSAPublicKey):
        if key.key_size < MIN_RSA_BITS:
            raise InvalidKey(f"RSA keys need at least {MIN_RSA_BITS} bits, this one has {key.key_size}")
        return f"rsa-{key.key_size}"
    raise InvalidKey(f"unsupported key type {type(key).__name__}")


def parse_key(kind: str, pem: str) -> ParsedKey:
    """Validate `pem` as a key of `kind` (cosign public key, Notation CA certificate)."""
    if not isinstance(pem, str) or not pem.strip():
        raise InvalidKey("the key is empty")
    if len(pem) > MAX_PEM_CHARS:
        raise InvalidKey(f"the key is longer than {MAX_PEM_CHARS} characters")
    if kind == COSIGN:
        return _parse_public_key(pem)
    if kind == NOTATION:
        return _parse_ca_certificate(pem)
    raise InvalidKey(f"unknown key kind {kind!r}; known: {COSIGN}, {NOTATION}")


def _parse_public_key(pem: str) -> ParsedKey:
    try:
        key = serialization.load_pem_public_key(pem.encode())
    except (ValueError, TypeError) as exc:
        raise InvalidKey(f"not a PEM public key: {_first_line(exc)}") from None
    der = key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    normalised = key.public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
    return ParsedKey(
        COSIGN, hashlib.sha256(der).hexdigest(), public_key_algorithm(key), "", normalised.decode()
    )


def _parse_ca_certificate(pem: str) -> ParsedKey:
    try:
        certificates = x509.load_pem_x509_certificates(pem.encode())
    except ValueError as exc:
        raise InvalidKey(f"not a PEM X.509 certificate: {_first_line(exc)}") from None
    if len(certificates) != 1:
        raise InvalidKey("give one CA certificate per key")
    certificate = certificates[0]
    if not is_ca(certificate):
        raise InvalidKey("the certificate is not a CA certificate (basicConstraints CA:TRUE)")
    if certificate.not_valid_after_utc < datetime.now(UTC):
        raise InvalidKey(f"the certificate expired on {certificate.not_valid_after_utc:%Y-%m-%d}")
    der = certificate.public_bytes(serialization.Encoding.DER)
    return ParsedKey(
        NOTATION,
        hashlib.sha256(der).hexdigest(),
        public_key_algorithm(certificate.public_key()),
        certificate.subject.rfc4514_string(),
        certificate.public_bytes(serialization.Encoding.PEM).decode(),
    )


def is_ca(certificate: x509.Certificate) -> bool:
    try:
        return bool(certificate.extensions.get_extension_for_class(x509.BasicConstraints).value.ca)
    except x509.ExtensionNotFound:
        return False


def load_public_key(pem: str) -> PublicKeyTypes:
    return serialization.load_pem_public_key(pem.encode())


def load_certificate(pem: str) -> x509.Certificate:
    return x509.load_pem_x509_certificate(pem.encode())


def parse_identity(text: str) -> dict[str, str]:
    """`O=acme, CN=builder` as {"O": "acme", "CN": "builder"}; InvalidKey when malformed.

    A deliberately small grammar (no escaped commas): Notation's trust policies name
    identities the same way, as `x509.subject` attribute lists.
    """
    attributes: dict[str, str] = {}
    for part in filter(None, (piece.strip() for piece in text.split(","))):
        name, sep, value = part.partition("=")
        if not sep or not name.strip() or not value.strip():
            raise InvalidKey(f"trusted_identity: {part!r} is not attribute=value")
        attributes[name.strip().upper()] = value.strip()
    return attributes


def _first_line(exc: Exception) -> str:
    return str(exc).splitlines()[0] if str(exc) else type(exc).__name__
