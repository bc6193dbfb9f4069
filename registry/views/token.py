"""`GET /service/token`: the Docker token service (Harbor's flow, `harbor.md` §1.6)."""

from __future__ import annotations

from django.conf import settings
from django.http import HttpRequest, HttpResponse, JsonResponse
from django.views import View

from projects.principals import ANONYMOUS

from ..auth.credentials import LockedOut, check_password
from ..auth.grants import grant
from ..auth.identity import BadCredentials, basic_credentials
from ..auth.scopes import parse_scopes
from ..auth.tokens import issue_token
from ..oci.errors import BadRequest, Unauthorized
from .base import error_response, locked_out


class TokenView(View):
    """Issues a token for the requested scopes, cut down to what the caller may do.

    Wrong credentials fall back to anonymous, as in Harbor: with scopes the caller
    gets only public pulls; without scopes (what `docker login` asks) it is 401.
    """

    http_method_names = ["get"]

    def get(self, request: HttpRequest) -> HttpResponse:
        service = request.GET.get("service")
        if service and service != settings.TOKEN_SERVICE:
            return error_response(request, BadRequest(f"unknown service {service!r}"))
        principal = ANONYMOUS
        try:
            credentials = basic_credentials(request.META.get("HTTP_AUTHORIZATION", ""))
        except BadCredentials:
            credentials = None
        if credentials is not None:
            try:
                principal = check_password(*credentials, request) or ANONYMOUS
            except LockedOut as exc:
                return error_response(request, locked_out(str(exc)))
        scopes = parse_scopes(request.GET.getlist("scope"))
        if not principal.is_authenticated and not scopes:
            return error_response(request, Unauthorized("invalid credentials"))
        return JsonResponse(issue_token(principal.username, grant(principal, scopes)))
