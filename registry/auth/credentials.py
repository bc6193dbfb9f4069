"""Checking a username (or robot login) and password, with a memory of verified secrets.

Password hashes are deliberately slow (PBKDF2, ~0.3 s). Clients that send Basic
on every registry request would pay that each time, so a verification is
remembered per process under a keyed hash of (login, password, stored hash):
the password itself is never kept. The account row is still read on every
request (one indexed query), so disabling an account, expiring a robot or
changing a password takes effect at once (for a directory account, a password
changed in the directory is honoured once the memory expires). Failures are
never remembered.
"""

from __future__ import annotations

import hashlib
import hmac
import time
from typing import Any

from axes.handlers.proxy import AxesProxyHandler
from django.conf import settings
from django.contrib.auth import authenticate, get_user_model
from django.contrib.auth.hashers import check_password as hash_matches
from django.contrib.auth.signals import user_login_failed
from django.http import HttpRequest

from projects.principals import Principal, principal_for_user
from projects.robots import is_robot_login, robot_principal, usable_robot

_verified: dict[bytes, float] = {}


class LockedOut(Exception):
    """Too many failed logins for this login from this address; refused until the cool-off ends."""


_MAX_ENTRIES = 4096


def _fingerprint(login: str, password: str, stored_hash: str) -> bytes:
    message = f"{login}\0{password}\0{stored_hash}".encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).digest()


def _remembered(key: bytes) -> bool:
    expires = _verified.get(key)
    return expires is not None and expires > time.monotonic()


def _remember(key: bytes) -> None:
    if len(_verified) >= _MAX_ENTRIES:
        _verified.clear()
    _verified[key] = time.monotonic() + settings.BASIC_AUTH_CACHE_SECONDS


def check_password(login: str, password: str, request: HttpRequest) -> Principal | None:
    """The principal for these credentials, or None (wrong, unknown, disabled or expired).

    Raises LockedOut after too many failures (django-axes counts them per login and address).
    """
    if is_robot_login(login):
        return _check_robot(login, password, request)

    user = get_user_model().objects.select_related("oidc_identity").filter(username=login).first()
    if user is not None and not user.is_active:
        return None
    if user is None or not _remembered(_fingerprint(login, password, _stored_secrets(user))):
        # Unknown here: a directory user may be onboarded by this very login.
        user = authenticate(request, username=login, password=password)
        if user is None:
            if getattr(request, "axes_locked_out", False):
                raise LockedOut(login)
            return None
        _remember(_fingerprint(login, password, _stored_secrets(user)))
    return principal_for_user(user)


def _stored_secrets(user: Any) -> str:
    """Everything a user may log in with (password hash, OIDC CLI secret hash): changing any
    of them makes remembered verifications useless at once."""
    identity = getattr(user, "oidc_identity", None)
    return f"{user.password}\0{identity.cli_secret if identity else ''}"


def _check_robot(login: str, password: str, request: HttpRequest) -> Principal | None:
    """Robots are not Django users, so their failures are reported to django-axes by hand."""
    credentials = {"username": login}
    if not AxesProxyHandler.is_allowed(request, credentials):
        raise LockedOut(login)
    robot = usable_robot(login)
    key = _fingerprint(login, password, robot.secret) if robot else b""
    if robot is None or (not _remembered(key) and not hash_matches(password, robot.secret)):
        user_login_failed.send(sender=__name__, credentials=credentials, request=request)
        if getattr(request, "axes_locked_out", False):
            raise LockedOut(login)
        return None
    _remember(key)
    return robot_principal(robot)
