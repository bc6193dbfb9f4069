"""Checking a username and password, with a short per-process memory of successes.

Password hashes are deliberately slow (PBKDF2, ~0.3 s). Clients that send Basic
on every registry request would pay that each time, so a success is remembered
for `BASIC_AUTH_CACHE_SECONDS` under a keyed hash of the credentials (the
password itself is never kept). Failures are never cached.
"""

from __future__ import annotations

import hashlib
import hmac
import time

from django.conf import settings
from django.contrib.auth import authenticate

from projects.principals import Principal, principal_for_user

_remembered: dict[bytes, tuple[float, Principal]] = {}
_MAX_ENTRIES = 4096


def _fingerprint(username: str, password: str) -> bytes:
    message = f"{username}\0{password}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()


def check_password(username: str, password: str) -> Principal | None:
    """The principal for these credentials, or None when they are wrong or the user inactive."""
    key = _fingerprint(username, password)
    entry = _remembered.get(key)
    now = time.monotonic()
    if entry is not None and entry[0] > now:
        return entry[1]
    user = authenticate(username=username, password=password)
    if user is None or not user.is_active:
        _remembered.pop(key, None)
        return None
    principal = principal_for_user(user)
    if len(_remembered) >= _MAX_ENTRIES:
        _remembered.clear()
    _remembered[key] = (now + settings.BASIC_AUTH_CACHE_SECONDS, principal)
    return principal
