"""The token signing key: given by the operator, else generated once into the data dir."""

from __future__ import annotations

import base64
import hashlib
import os
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa
from django.conf import settings


@dataclass(frozen=True)
class SigningKey:
    private_pem: bytes
    public_pem: bytes
    kid: str


def libtrust_key_id(public_key: rsa.RSAPublicKey) -> str:
    """Docker's libtrust key id: base32 of the first 240 bits of SHA-256(DER SPKI), in groups of 4.

    Registries that verify Harbor-style tokens look keys up by this id.
    """
    der = public_key.public_bytes(serialization.Encoding.DER, serialization.PublicFormat.SubjectPublicKeyInfo)
    encoded = base64.b32encode(hashlib.sha256(der).digest()[:30]).decode()
    return ":".join(encoded[i : i + 4] for i in range(0, len(encoded), 4))


def ensure_key_file(path: Path) -> None:
    """Create the key file if missing; safe when several processes race to do it."""
    if path.exists():
        return
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    pem = key.private_bytes(
        serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.{os.getpid()}")
    temporary.write_bytes(pem)
    temporary.chmod(0o600)
    try:
        os.link(temporary, path)  # fails if another process won the race; keep theirs
    except FileExistsError:
        pass
    finally:
        temporary.unlink()


@cache
def signing_key() -> SigningKey:
    path = settings.TOKEN_PRIVATE_KEY_FILE
    ensure_key_file(path)
    private_pem = path.read_bytes()
    private = serialization.load_pem_private_key(private_pem, password=None)
    if not isinstance(private, rsa.RSAPrivateKey):
        raise RuntimeError(f"{path} must hold an RSA private key (tokens are RS256)")
    public = private.public_key()
    public_pem = public.public_bytes(
        serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
    )
    return SigningKey(private_pem, public_pem, libtrust_key_id(public))
