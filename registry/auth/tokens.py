"""Issuing and verifying the registry's RS256 bearer tokens (Harbor's claims)."""

from __future__ import annotations

import secrets
import time
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

import jwt
from django.conf import settings

from configuration.store import get as config_value

from .keys import signing_key
from .scopes import Scope

Access = dict[tuple[str, str], frozenset[str]]


def issue_token(subject: str, granted: list[Scope]) -> dict[str, Any]:
    """The body `/service/token` answers with; `granted` is already downscoped."""
    key = signing_key()
    now = int(time.time())
    lifetime = config_value("token_expiration") * 60
    claims = {
        "iss": settings.TOKEN_ISSUER,
        "sub": subject,
        "aud": settings.TOKEN_SERVICE,
        "exp": now + lifetime,
        "nbf": now,
        "iat": now,
        "jti": secrets.token_urlsafe(12)[:16],
        "access": [{"type": s.type, "name": s.name, "actions": list(s.actions)} for s in granted],
    }
    token = jwt.encode(claims, key.private_pem, algorithm="RS256", headers={"kid": key.kid})
    issued_at = datetime.fromtimestamp(now, UTC).strftime("%Y-%m-%dT%H:%M:%SZ")
    return {"token": token, "access_token": token, "expires_in": lifetime, "issued_at": issued_at}


class _VerifiedTokens:
    """A small per-process cache of verified tokens, so repeated requests skip the RSA check."""

    def __init__(self, size: int = 2048) -> None:
        self.size = size
        self.entries: OrderedDict[str, tuple[float, str, Access]] = OrderedDict()

    def get(self, token: str) -> tuple[str, Access] | None:
        entry = self.entries.get(token)
        if entry is None:
            return None
        expires, subject, access = entry
        if expires <= time.time():
            self.entries.pop(token, None)
            return None
        return subject, access

    def put(self, token: str, expires: float, subject: str, access: Access) -> None:
        self.entries[token] = (expires, subject, access)
        if len(self.entries) > self.size:
            self.entries.popitem(last=False)


_verified = _VerifiedTokens()


def verify_token(token: str) -> tuple[str, Access] | None:
    """(subject, access) of a valid token of ours, or None (bad signature, expired, not ours)."""
    cached = _verified.get(token)
    if cached is not None:
        return cached
    try:
        claims = jwt.decode(
            token,
            signing_key().public_pem,
            algorithms=["RS256"],
            audience=settings.TOKEN_SERVICE,
            issuer=settings.TOKEN_ISSUER,
            options={"require": ["exp", "iss", "aud", "sub"]},
        )
    except jwt.InvalidTokenError:
        return None
    access: Access = {}
    for entry in claims.get("access") or []:
        try:
            key = (str(entry["type"]), str(entry["name"]))
            access[key] = access.get(key, frozenset()) | frozenset(map(str, entry.get("actions") or []))
        except (KeyError, TypeError):
            return None
    _verified.put(token, claims["exp"], claims["sub"], access)
    return claims["sub"], access
