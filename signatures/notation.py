"""Verifying a Notation signature (JWS envelope, `notary.x509` signing scheme).

The signature artifact's layer `application/jose+json` is a flattened JWS JSON object:
`protected` (base64url header: `alg`, `cty`, `crit`, `io.cncf.notary.signingScheme`...),
`payload` (base64url `{"targetArtifact": {"digest": ...}}`), `signature`, and in the
unprotected `header` the certificate chain `x5c` (base64 DER, signing certificate first).

Our trust policy is Notation's simplest: the chain must lead to a CA certificate the
project trusts, every certificate in it valid now, and, when that trusted CA names a
`trusted_identity`, the signing certificate's subject must hold those attributes.
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, datetime
from typing import Any

from cryptography import x509
from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.asymmetric import ec, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import encode_dss_signature

from .keys import NOTATION
from .outcome import MAX_SIGNATURE_BLOB, BlobReader, Outcome, Trusted
from .x509chain import ChainRefused, trusted_anchor

JWS = "application/jose+json"
PAYLOAD_CONTENT_TYPE = "application/vnd.cncf.notary.payload.v1+json"
SIGNING_SCHEMES = ("notary.x509", "notary.x509.signingAuthority")
# The critical header parameters we understand (others make the envelope unverifiable,
# as the JWS spec requires).
_UNDERSTOOD = {"io.cncf.notary.signingScheme", "io.cncf.notary.expiry", "io.cncf.notary.authenticSigningTime"}
_HASHES = {"256": hashes.SHA256, "384": hashes.SHA384, "512": hashes.SHA512}


class _Refused(Exception):
    """Why an envelope does not verify (the message goes into the verdict)."""


def verify_notation(
    manifest: dict[str, Any], read_blob: BlobReader, subject: str, keys: list[Trusted]
) -> Outcome:
    cas = [key for key in keys if key.kind == NOTATION]
    if not cas:
        return Outcome.failed("the project trusts no Notation CA certificate")
    layers = [layer for layer in manifest.get("layers") or [] if isinstance(layer, dict)]
    envelopes = [layer for layer in layers if layer.get("mediaType") == JWS]
    if not envelopes:
        return Outcome.failed("no JWS envelope layer (COSE envelopes are not verified here)")
    digest = envelopes[0].get("digest")
    blob = read_blob(digest, MAX_SIGNATURE_BLOB) if isinstance(digest, str) else None
    if blob is None:
        return Outcome.failed(f"the envelope blob {digest} cannot be read")
    try:
        return _verify_envelope(blob, subject, cas)
    except _Refused as exc:
        return Outcome.failed(str(exc))


def _b64url(text: Any) -> bytes:
    if not isinstance(text, str):
        raise _Refused("the envelope is malformed")
    try:
        return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
    except (binascii.Error, ValueError):
        raise _Refused("the envelope holds invalid base64url") from None


def _verify_envelope(blob: bytes, subject: str, cas: list[Trusted]) -> Outcome:
    try:
        envelope = json.loads(blob)
        protected_text, payload_text = envelope["protected"], envelope["payload"]
        chain_text = envelope["header"]["x5c"]
        header = json.loads(_b64url(protected_text))
    except (ValueError, KeyError, TypeError):
        raise _Refused("the envelope is not a Notation JWS") from None
    if not isinstance(header, dict) or not isinstance(chain_text, list) or not chain_text:
        raise _Refused("the envelope is not a Notation JWS")
    _check_header(header)
    chain = _chain(chain_text)
    signing_input = f"{protected_text}.{payload_text}".encode()
    _check_signature(chain[0], str(header.get("alg")), _b64url(envelope.get("signature")), signing_input)
    try:
        trusted = trusted_anchor(chain, cas)
    except ChainRefused as exc:
        raise _Refused(str(exc)) from None
    try:
        payload = json.loads(_b64url(payload_text))
        named = payload["targetArtifact"]["digest"]
    except (ValueError, KeyError, TypeError):
        raise _Refused("the payload names no targetArtifact.digest") from None
    if named != subject:
        raise _Refused(f"the signed payload names {named}, not {subject}")
    return Outcome(True, trusted.name, f"Notation signature verified with CA {trusted.name}")


def _check_header(header: dict[str, Any]) -> None:
    if header.get("cty") != PAYLOAD_CONTENT_TYPE:
        raise _Refused(f"the payload content type is {header.get('cty')!r}, not {PAYLOAD_CONTENT_TYPE}")
    if header.get("io.cncf.notary.signingScheme") not in SIGNING_SCHEMES:
        raise _Refused("unknown signing scheme")
    critical = header.get("crit") or []
    if not isinstance(critical, list) or set(critical) - _UNDERSTOOD:
        raise _Refused(f"critical header parameters not understood: {critical}")
    expiry = header.get("io.cncf.notary.expiry")
    if expiry is not None:
        try:
            expires = datetime.fromisoformat(str(expiry).replace("Z", "+00:00"))
        except ValueError:
            raise _Refused("the expiry is not a time") from None
        if expires.tzinfo is None or expires < datetime.now(UTC):
            raise _Refused(f"the signature expired at {expiry}")


def _chain(encoded: list[Any]) -> list[x509.Certificate]:
    try:
        return [x509.load_der_x509_certificate(base64.b64decode(item, validate=True)) for item in encoded]
    except (binascii.Error, ValueError, TypeError):
        raise _Refused("the x5c chain holds something that is not a DER certificate") from None


def _check_signature(certificate: x509.Certificate, alg: str, signature: bytes, signing_input: bytes) -> None:
    family, bits = alg[:2], alg[2:]
    key = certificate.public_key()
    if bits not in _HASHES:
        raise _Refused(f"unsupported JWS algorithm {alg}")
    digest = _HASHES[bits]()
    try:
        if family == "PS" and isinstance(key, rsa.RSAPublicKey):
            key.verify(
                signature, signing_input, padding.PSS(padding.MGF1(digest), digest.digest_size), digest
            )
        elif family == "ES" and isinstance(key, ec.EllipticCurvePublicKey):
            half = len(signature) // 2
            if half * 2 != len(signature) or half == 0:
                raise _Refused("the ECDSA signature has an odd length")
            der = encode_dss_signature(
                int.from_bytes(signature[:half], "big"), int.from_bytes(signature[half:], "big")
            )
            key.verify(der, signing_input, ec.ECDSA(digest))
        else:
            raise _Refused(f"the algorithm {alg} does not fit the signing certificate's key")
    except InvalidSignature:
        raise _Refused("the signature does not verify with the signing certificate") from None
