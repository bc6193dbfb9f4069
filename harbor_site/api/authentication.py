"""Who calls the API: Basic credentials (users, robots, OIDC CLI secrets) or a portal session.

Both produce a `Principal` as `request.user`, so the permission module sees the
same thing whatever the interface. A session is only honoured with its CSRF
token (header `X-Harbor-CSRF-Token`), and only requests that carry a session
are checked for CSRF, as in Harbor.
"""

from __future__ import annotations

from typing import Any

from django.middleware.csrf import CsrfViewMiddleware
from rest_framework import authentication
from rest_framework.request import Request

from projects.principals import Principal, principal_for_user
from registry.auth.credentials import LockedOut, check_password
from registry.auth.identity import BadCredentials, basic_credentials

from .errors import APIError, Forbidden, Unauthorized


class TooManyRequests(APIError):
    status_code, code, default_detail = 429, "TOO_MANY_REQUEST", "too many failed logins; try again later"


class BasicAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Principal, None] | None:
        header = request.META.get("HTTP_AUTHORIZATION", "")
        try:
            credentials = basic_credentials(header)
        except BadCredentials as exc:
            raise Unauthorized(str(exc)) from None
        if credentials is None:
            return None
        try:
            principal = check_password(*credentials, request._request)
        except LockedOut as exc:
            raise TooManyRequests(f"too many failed logins for {exc}; try again later") from None
        if principal is None:
            raise Unauthorized("invalid username or password")
        return principal, None

    def authenticate_header(self, request: Request) -> str:
        return 'Basic realm="harbor"'


class _CSRFCheck(CsrfViewMiddleware):
    def _reject(self, request: Any, reason: str) -> str:
        return reason


class SessionAuthentication(authentication.BaseAuthentication):
    def authenticate(self, request: Request) -> tuple[Principal, None] | None:
        user = getattr(request._request, "user", None)
        if user is None or not user.is_active:
            return None
        self._enforce_csrf(request)
        return principal_for_user(user), None

    @staticmethod
    def _enforce_csrf(request: Request) -> None:
        check = _CSRFCheck(lambda _: None)
        check.process_request(request)
        reason = check.process_view(request, None, (), {})
        if reason:
            raise Forbidden(f"CSRF check failed: {reason}")
