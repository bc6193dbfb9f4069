"""Real cosign and Notation signatures, made with `cryptography` the way the tools make
them, and pushed through `/v2/` by a Django test client or httpx."""

from __future__ import annotations

import base64
import datetime as dt
import hashlib
import json
from dataclasses import dataclass, field
from typing import Any

from cryptography import x509
from cryptography.hazmat.primitives import hashes, serialization
from cryptography.hazmat.primitives.asymmetric import ec, ed25519, padding, rsa
from cryptography.hazmat.primitives.asymmetric.utils import decode_dss_signature
from cryptography.x509.oid import ExtendedKeyUsageOID, NameOID

OCI_MANIFEST = "application/vnd.oci.image.manifest.v1+json"
OCI_CONFIG = "application/vnd.oci.image.config.v1+json"
EMPTY = "application/vnd.oci.empty.v1+json"
SIMPLE_SIGNING = "application/vnd.dev.cosign.simplesigning.v1+json"
COSIGN_ARTIFACT = "application/vnd.dev.cosign.artifact.sig.v1+json"
NOTATION_ARTIFACT = "application/vnd.cncf.notary.signature"
JWS = "application/jose+json"

PrivateKey = ec.EllipticCurvePrivateKey | ed25519.Ed25519PrivateKey | rsa.RSAPrivateKey


def sha256(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def descriptor(media_type: str, data: bytes, **extra: Any) -> dict[str, Any]:
    return {"mediaType": media_type, "digest": sha256(data), "size": len(data), **extra}


@dataclass
class Signed:
    """A signature artifact ready to push: its blobs and its manifest."""

    manifest: bytes
    blobs: list[bytes] = field(default_factory=list)
    media_type: str = OCI_MANIFEST

    @property
    def digest(self) -> str:
        return sha256(self.manifest)


# --- keys ----------------------------------------------------------------------------------


def ecdsa_key() -> ec.EllipticCurvePrivateKey:
    return ec.generate_private_key(ec.SECP256R1())


def public_pem(key: PrivateKey) -> str:
    return (
        key.public_key()
        .public_bytes(serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo)
        .decode()
    )


def _sign(key: PrivateKey, data: bytes) -> bytes:
    """As cosign signs: ECDSA/SHA-256 (DER), Ed25519, RSA PKCS#1 v1.5/SHA-256."""
    if isinstance(key, ec.EllipticCurvePrivateKey):
        return key.sign(data, ec.ECDSA(hashes.SHA256()))
    if isinstance(key, ed25519.Ed25519PrivateKey):
        return key.sign(data)
    return key.sign(data, padding.PKCS1v15(), hashes.SHA256())


# --- cosign ----------------------------------------------------------------------------------


def simple_signing_payload(digest: str, reference: str) -> bytes:
    return json.dumps(
        {
            "critical": {
                "identity": {"docker-reference": reference},
                "image": {"docker-manifest-digest": digest},
                "type": "cosign container image signature",
            },
            "optional": None,
        }
    ).encode()


def cosign_signature(
    key: PrivateKey,
    subject_digest: str,
    reference: str = "registry.example/app",
    *,
    names: str | None = None,
    tamper: bool = False,
    referrer_size: int | None = None,
    certificate: Certified | None = None,
    chain: list[Certified] | None = None,
) -> Signed:
    """A cosign signature of `subject_digest` (its payload naming `names` when given). With
    `referrer_size` it is an OCI 1.1 referrer (cosign's `--registry-referrers-mode=oci-1-1`),
    else the tag-scheme manifest. `tamper` flips a byte of the signature. `certificate` and
    `chain` are attached as `cosign sign --certificate --certificate-chain` does."""
    payload = simple_signing_payload(names or subject_digest, reference)
    signature = bytearray(_sign(key, payload))
    if tamper:
        signature[len(signature) // 2] ^= 0x01
    annotations = {"dev.cosignproject.cosign/signature": base64.b64encode(bytes(signature)).decode()}
    if certificate is not None:
        annotations["dev.sigstore.cosign/certificate"] = certificate.pem
    if chain:
        annotations["dev.sigstore.cosign/chain"] = "".join(link.pem for link in chain)
    layer = descriptor(SIMPLE_SIGNING, payload, annotations=annotations)
    if referrer_size is None:
        config = json.dumps(
            {"architecture": "", "os": "", "rootfs": {"type": "layers", "diff_ids": []}}
        ).encode()
        document: dict[str, Any] = {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "config": descriptor(OCI_CONFIG, config),
            "layers": [layer],
        }
    else:
        config = b"{}"
        document = {
            "schemaVersion": 2,
            "mediaType": OCI_MANIFEST,
            "artifactType": COSIGN_ARTIFACT,
            "config": descriptor(EMPTY, config),
            "layers": [layer],
            "subject": {"mediaType": OCI_MANIFEST, "digest": subject_digest, "size": referrer_size},
        }
    return Signed(json.dumps(document).encode(), [config, payload])


def cosign_tag(subject_digest: str) -> str:
    return f"sha256-{subject_digest.removeprefix('sha256:')}.sig"


# --- Notation: a test CA and JWS envelopes ---------------------------------------------------------


@dataclass
class Certified:
    key: ec.EllipticCurvePrivateKey
    certificate: x509.Certificate

    @property
    def pem(self) -> str:
        return self.certificate.public_bytes(serialization.Encoding.PEM).decode()


def _name(common_name: str, organization: str = "Acme") -> x509.Name:
    return x509.Name(
        [
            x509.NameAttribute(NameOID.ORGANIZATION_NAME, organization),
            x509.NameAttribute(NameOID.COMMON_NAME, common_name),
        ]
    )


def certificate(
    common_name: str, issuer: Certified | None = None, *, ca: bool, organization: str = "Acme", days: int = 30
) -> Certified:
    """A certificate of a new P-256 key: self-signed when `issuer` is None; a CA or a
    code-signing leaf."""
    key = ec.generate_private_key(ec.SECP256R1())
    now = dt.datetime.now(dt.UTC)
    subject = _name(common_name, organization)
    builder = (
        x509.CertificateBuilder()
        .subject_name(subject)
        .issuer_name(issuer.certificate.subject if issuer else subject)
        .public_key(key.public_key())
        .serial_number(x509.random_serial_number())
        .not_valid_before(now - dt.timedelta(minutes=5))
        .not_valid_after(now + dt.timedelta(days=days))
        .add_extension(x509.BasicConstraints(ca=ca, path_length=None), critical=True)
    )
    if ca:
        usage = x509.KeyUsage(False, False, False, False, False, True, True, False, False)
    else:
        usage = x509.KeyUsage(True, False, False, False, False, False, False, False, False)
        builder = builder.add_extension(
            x509.ExtendedKeyUsage([ExtendedKeyUsageOID.CODE_SIGNING]), critical=False
        )
    builder = builder.add_extension(usage, critical=True)
    signer = issuer.key if issuer else key
    return Certified(key, builder.sign(signer, hashes.SHA256()))


def _b64url(data: bytes) -> str:
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode()


def notation_envelope(
    leaf: Certified, chain: list[Certified], digest: str, size: int, *, tamper: bool = False
) -> bytes:
    """A JWS envelope as `notation sign` writes it (ES256, notary.x509)."""
    protected = _b64url(
        json.dumps(
            {
                "alg": "ES256",
                "crit": ["io.cncf.notary.signingScheme"],
                "cty": "application/vnd.cncf.notary.payload.v1+json",
                "io.cncf.notary.signingScheme": "notary.x509",
                "io.cncf.notary.signingTime": dt.datetime.now(dt.UTC).isoformat(),
            }
        ).encode()
    )
    payload = _b64url(
        json.dumps({"targetArtifact": {"mediaType": OCI_MANIFEST, "digest": digest, "size": size}}).encode()
    )
    r, s = decode_dss_signature(leaf.key.sign(f"{protected}.{payload}".encode(), ec.ECDSA(hashes.SHA256())))
    signature = bytearray(r.to_bytes(32, "big") + s.to_bytes(32, "big"))
    if tamper:
        signature[5] ^= 0x01
    x5c = [
        base64.b64encode(c.certificate.public_bytes(serialization.Encoding.DER)).decode()
        for c in [leaf, *chain]
    ]
    return json.dumps(
        {
            "payload": payload,
            "protected": protected,
            "header": {"x5c": x5c, "io.cncf.notary.signingAgent": "notation-go/1.3.0"},
            "signature": _b64url(bytes(signature)),
        }
    ).encode()


def notation_signature(
    leaf: Certified,
    chain: list[Certified],
    subject_digest: str,
    subject_size: int,
    *,
    names: str | None = None,
    tamper: bool = False,
) -> Signed:
    envelope = notation_envelope(leaf, chain, names or subject_digest, subject_size, tamper=tamper)
    config = b"{}"
    thumbprints = [
        hashlib.sha256(c.certificate.public_bytes(serialization.Encoding.DER)).hexdigest()
        for c in [leaf, *chain]
    ]
    document = {
        "schemaVersion": 2,
        "mediaType": OCI_MANIFEST,
        "artifactType": NOTATION_ARTIFACT,
        "config": descriptor(EMPTY, config),
        "layers": [descriptor(JWS, envelope)],
        "subject": {"mediaType": OCI_MANIFEST, "digest": subject_digest, "size": subject_size},
        "annotations": {"io.cncf.notary.x509chain.thumbprint#S256": json.dumps(thumbprints)},
    }
    return Signed(json.dumps(document).encode(), [config, envelope])


# --- pushing -----------------------------------------------------------------------------------


def push_signed(client: Any, name: str, reference: str, signed: Signed) -> None:
    """Through a Django test client: blobs, then the manifest under `reference`."""
    for blob in signed.blobs:
        response = client.post(
            f"/v2/{name}/blobs/uploads/?digest={sha256(blob)}",
            data=blob,
            content_type="application/octet-stream",
        )
        assert response.status_code == 201, response.content
    response = client.put(
        f"/v2/{name}/manifests/{reference}", data=signed.manifest, content_type=signed.media_type
    )
    assert response.status_code == 201, response.content


def push_signed_httpx(client: Any, name: str, reference: str, signed: Signed) -> None:
    """Through httpx against a live server (`client` has the base URL and credentials)."""
    for blob in signed.blobs:
        response = client.post(
            f"/v2/{name}/blobs/uploads/?digest={sha256(blob)}",
            content=blob,
            headers={"Content-Type": "application/octet-stream"},
        )
        assert response.status_code == 201, response.text
    response = client.put(
        f"/v2/{name}/manifests/{reference}",
        content=signed.manifest,
        headers={"Content-Type": signed.media_type},
    )
    assert response.status_code == 201, response.text
