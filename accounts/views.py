"""`/c/oidc/login` and `/c/oidc/callback`: the browser side of OIDC login (Harbor's paths)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth import login
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest, HttpResponseRedirect
from django.views.decorators.http import require_GET

from configuration.store import get_config

from .oidc import OIDCError, authorization_url, exchange_code, onboard

SESSION_KEY = "oidc_login"


def _redirect_uri(request: HttpRequest) -> str:
    base = settings.EXTERNAL_URL or f"{request.scheme}://{request.get_host()}"
    return f"{base}/c/oidc/callback"


def _refused(message: str) -> HttpResponse:
    return HttpResponseBadRequest(f"OIDC login failed: {message}", content_type="text/plain")


@require_GET
def oidc_login(request: HttpRequest) -> HttpResponse:
    config = get_config()
    if config["auth_mode"] != "oidc_auth":
        return _refused("the authentication mode is not oidc_auth")
    try:
        url, state, nonce = authorization_url(config, _redirect_uri(request))
    except OIDCError as exc:
        return _refused(str(exc))
    request.session[SESSION_KEY] = {
        "state": state,
        "nonce": nonce,
        "next": request.GET.get("redirect_url", "/"),
    }
    return HttpResponseRedirect(url)


@require_GET
def oidc_callback(request: HttpRequest) -> HttpResponse:
    pending = request.session.pop(SESSION_KEY, None)
    if not pending or request.GET.get("state") != pending["state"]:
        return _refused("unknown or expired login attempt (state mismatch)")
    if "error" in request.GET:
        return _refused(request.GET.get("error_description") or request.GET["error"])
    config = get_config()
    try:
        claims = exchange_code(
            config, _redirect_uri(request), request.build_absolute_uri(), pending["state"], pending["nonce"]
        )
        user = onboard(config, claims)
    except OIDCError as exc:
        return _refused(str(exc))
    login(request, user, backend="django.contrib.auth.backends.ModelBackend")
    target = (
        pending["next"] if pending["next"].startswith("/") and not pending["next"].startswith("//") else "/"
    )
    return HttpResponseRedirect(target)
