"""Reading the Authorization header of a registry request into an `Identity`."""

from __future__ import annotations

import base64
import binascii
from dataclasses import dataclass

from django.http import HttpRequest

from projects.principals import ANONYMOUS, Principal, PrincipalKind

from .credentials import check_password
from .tokens import Access, verify_token


@dataclass(frozen=True, slots=True)
class Identity:
    """The caller, and, for bearer tokens, exactly what the token grants.

    `token_access is None` means the caller authenticated directly (Basic), so
    each request is decided by the permission module; otherwise the token,
    which the token service downscoped through that same module, decides.
    `presented` says whether any Authorization header was sent at all.
    """

    principal: Principal
    token_access: Access | None = None
    presented: bool = False

    def token_allows(self, kind: str, name: str, action: str) -> bool:
        actions = (self.token_access or {}).get((kind, name), frozenset())
        return action in actions or "*" in actions

    def token_mentions(self, kind: str, name: str) -> bool:
        return (kind, name) in (self.token_access or {})


class BadCredentials(Exception):
    """An Authorization header was sent but does not identify anyone."""


def basic_credentials(header: str) -> tuple[str, str] | None:
    """(username, password) from a Basic Authorization header, None when it is not Basic."""
    scheme, _, value = header.partition(" ")
    if scheme.lower() != "basic":
        return None
    try:
        decoded = base64.b64decode(value.strip(), validate=True).decode()
    except (binascii.Error, UnicodeDecodeError):
        raise BadCredentials("malformed Basic credentials") from None
    username, sep, password = decoded.partition(":")
    if not sep:
        raise BadCredentials("malformed Basic credentials")
    return username, password


def identify(request: HttpRequest) -> Identity:
    """The identity behind the request; raises BadCredentials for a header that fails."""
    header = request.META.get("HTTP_AUTHORIZATION", "")
    if not header:
        return Identity(ANONYMOUS)
    scheme, _, value = header.partition(" ")
    if scheme.lower() == "bearer":
        verified = verify_token(value.strip())
        if verified is None:
            raise BadCredentials("invalid or expired token")
        subject, access = verified
        principal = Principal(PrincipalKind.USER, username=subject) if subject else ANONYMOUS
        return Identity(principal, token_access=access, presented=True)
    credentials = basic_credentials(header)
    if credentials is None:
        raise BadCredentials(f"unsupported authorization scheme {scheme!r}")
    principal = check_password(*credentials, request)
    if principal is None:
        raise BadCredentials("invalid username or password")
    return Identity(principal, presented=True)
