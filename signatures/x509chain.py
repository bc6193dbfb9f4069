"""Certificate chains for signatures: does a chain lead to a CA certificate the project
trusts, with every link sound, and does its signing certificate carry the identity that
CA is trusted for? Shared by Notation envelopes and cosign signatures with a certificate.

The rules are Notation's simplest trust policy: every certificate valid now, the
non-leaf ones CAs, each issued by the next; the leaf fit for digital signatures and,
when it has an EKU, for code signing; the chain contains, or is issued by, a trusted CA.
"""

from __future__ import annotations

from datetime import UTC, datetime

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes

from .keys import NOTATION, InvalidKey, is_ca, load_certificate, parse_identity
from .outcome import Trusted


class ChainRefused(Exception):
    """Why a chain is not trusted (the message goes into the verdict)."""


def trusted_anchor(chain: list[x509.Certificate], keys: list[Trusted]) -> Trusted:
    """The trusted CA (among `keys`) that `chain`, signing certificate first, leads to."""
    cas = [key for key in keys if key.kind == NOTATION]
    if not cas:
        raise ChainRefused("the project trusts no CA certificate")
    now = datetime.now(UTC)
    for index, certificate in enumerate(chain):
        if not certificate.not_valid_before_utc <= now <= certificate.not_valid_after_utc:
            raise ChainRefused(f"certificate {certificate.subject.rfc4514_string()} is not valid now")
        if index > 0 and not is_ca(certificate):
            raise ChainRefused(f"certificate {certificate.subject.rfc4514_string()} is not a CA")
        if index + 1 < len(chain):
            _issued_by(certificate, chain[index + 1])
    _check_signing_certificate(chain[0])
    for ca in cas:
        anchor = load_certificate(ca.pem)
        if not _anchors(chain, anchor):
            continue
        if _identity_matches(chain[0], ca.trusted_identity):
            return ca
        raise ChainRefused(f"the signing certificate's subject is not the identity CA {ca.name} trusts")
    raise ChainRefused("the certificate chain leads to no trusted CA")


def _anchors(chain: list[x509.Certificate], anchor: x509.Certificate) -> bool:
    fingerprint = anchor.fingerprint(hashes.SHA256())
    if any(certificate.fingerprint(hashes.SHA256()) == fingerprint for certificate in chain[1:]):
        return True
    try:
        _issued_by(chain[-1], anchor)
    except ChainRefused:
        return False
    return True


def _issued_by(certificate: x509.Certificate, issuer: x509.Certificate) -> None:
    try:
        certificate.verify_directly_issued_by(issuer)
    except (ValueError, TypeError, InvalidSignature):
        raise ChainRefused(
            f"certificate {certificate.subject.rfc4514_string()} is not issued by the next"
        ) from None


def _check_signing_certificate(certificate: x509.Certificate) -> None:
    """Notation's rules for the leaf: may sign, and for code when it says what for."""
    try:
        usage = certificate.extensions.get_extension_for_class(x509.KeyUsage).value
        if not usage.digital_signature:
            raise ChainRefused("the signing certificate may not make digital signatures")
    except x509.ExtensionNotFound:
        pass
    try:
        purposes = certificate.extensions.get_extension_for_class(x509.ExtendedKeyUsage).value
        if x509.oid.ExtendedKeyUsageOID.CODE_SIGNING not in purposes:
            raise ChainRefused("the signing certificate is not for code signing")
    except x509.ExtensionNotFound:
        pass


def _identity_matches(certificate: x509.Certificate, identity: str) -> bool:
    if not identity.strip():
        return True
    try:
        wanted = parse_identity(identity)
    except InvalidKey:
        return False
    held = {}
    for attribute in certificate.subject:
        name = attribute.rfc4514_attribute_name.upper()
        held[name] = attribute.value if isinstance(attribute.value, str) else ""
    return all(held.get(name) == value for name, value in wanted.items())
