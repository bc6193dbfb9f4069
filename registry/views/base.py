"""The base of every `/v2/` view: authentication, the permission check, the error
envelope, the 401 challenge and the API version header live here and only here.
"""

from __future__ import annotations

import json
import logging
from typing import Any

from django.conf import settings
from django.http import HttpRequest, HttpResponse
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from projects.models import Project
from projects.permissions import can
from projects.rbac import Action, Resource

from ..auth.credentials import LockedOut
from ..auth.identity import BadCredentials, Identity, identify
from ..oci.errors import Denied, NameUnknown, RegistryError, TooManyRequests, Unauthorized, Unsupported
from ..oci.names import validate_repository_name

logger = logging.getLogger(__name__)

API_VERSION_HEADER = ("Docker-Distribution-Api-Version", "registry/2.0")

# The token action a request method needs on its repository.
METHOD_ACTIONS = {
    "GET": Action.PULL,
    "HEAD": Action.PULL,
    "POST": Action.PUSH,
    "PUT": Action.PUSH,
    "PATCH": Action.PUSH,
    "DELETE": Action.DELETE,
}


def token_realm(request: HttpRequest) -> str:
    base = settings.EXTERNAL_URL or f"{request.scheme}://{request.get_host()}"
    return f"{base}/service/token"


def challenge(request: HttpRequest, scopes: list[str], insufficient: bool = False) -> str:
    """The `WWW-Authenticate` value that sends a client to the token service."""
    parts = [f'realm="{token_realm(request)}"', f'service="{settings.TOKEN_SERVICE}"']
    if scopes:
        parts.append(f'scope="{" ".join(scopes)}"')
    if insufficient:
        parts.append('error="insufficient_scope"')
    return "Bearer " + ",".join(parts)


def error_response(request: HttpRequest, error: RegistryError) -> HttpResponse:
    """The OCI error envelope; the only place that builds it."""
    body = json.dumps({"errors": [error.as_dict()]}).encode()
    response = HttpResponse(body, status=error.status, content_type="application/json")
    for header, value in error.headers.items():
        response[header] = value
    return response


def locked_out(login: str) -> TooManyRequests:
    minutes = int(settings.AXES_COOLOFF_TIME.total_seconds() // 60)
    return TooManyRequests(f"too many failed logins for {login}; try again in {minutes} minutes")


def repository_scope(name: str, action: Action) -> str:
    actions = {Action.PULL: "pull", Action.PUSH: "pull,push", Action.DELETE: "delete"}[action]
    return f"repository:{name}:{actions}"


@method_decorator(csrf_exempt, name="dispatch")
class RegistryView(View):
    """Subclasses implement get/head/put/... and call `authorize()` before touching data."""

    http_method_names = ["get", "head", "post", "put", "patch", "delete"]
    identity: Identity

    def dispatch(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        try:
            try:
                self.identity = identify(request)
            except BadCredentials as exc:
                raise Unauthorized(str(exc)) from None
            except LockedOut as exc:
                raise locked_out(str(exc)) from None
            response = super().dispatch(request, *args, **kwargs)
        except RegistryError as error:
            if isinstance(error, Unauthorized) and "WWW-Authenticate" not in error.headers:
                error.headers["WWW-Authenticate"] = challenge(request, [])
            response = error_response(request, error)
        response[API_VERSION_HEADER[0]] = API_VERSION_HEADER[1]
        if request.method == "HEAD" and not response.streaming:
            length = response.get("Content-Length", str(len(response.content)))
            response.content = b""
            response["Content-Length"] = length
        return response

    def http_method_not_allowed(self, request: HttpRequest, *args: Any, **kwargs: Any) -> HttpResponse:
        raise Unsupported(f"method {request.method} is not allowed here")

    # --- authorization -----------------------------------------------------------
    def authorize(self, name: str, action: Action, scopes: list[str] | None = None) -> Project | None:
        """Check that the caller may do `action` on repository `name`; return its project.

        A request with no Authorization header always gets the 401 challenge,
        even for public content, so that clients fetch a token (Harbor #11271).
        Bearer tokens decide by their granted access: a token that never named
        this repository gets a new 401 challenge; one that named it without this
        action gets 403 (401 when anonymous), still with a challenge for the
        scope the request needs, as Harbor does, so clients that follow
        challenges on 403 (oras) fetch a wider token. Basic callers are decided
        by the permission module.
        """
        project_name, _ = validate_repository_name(name)
        scopes = scopes or [repository_scope(name, action)]
        identity = self.identity
        if not identity.presented:
            raise Unauthorized(headers={"WWW-Authenticate": challenge(self.request, scopes)})
        if identity.token_access is not None:
            if identity.token_allows("repository", name, action.value):
                return None
            if not identity.token_mentions("repository", name):
                raise Unauthorized(
                    "the token does not grant this access",
                    headers={"WWW-Authenticate": challenge(self.request, scopes, insufficient=True)},
                )
            raise self._denied(project_name, action, scopes)
        project = Project.objects.filter(name=project_name).first()
        if project is None or not can(identity.principal, action, Resource.REPOSITORY, project):
            raise self._denied(project_name, action, scopes)
        return project

    def _denied(self, project_name: str, action: Action, scopes: list[str]) -> RegistryError:
        """The refusal, with the clearest message we can give and a challenge for `scopes`."""
        if not Project.objects.filter(name=project_name).exists():
            if action is Action.PULL:
                error: RegistryError = NameUnknown(f"project {project_name} not found")
            else:
                error = Denied(f"project {project_name} not found: create the project before pushing to it")
        elif not self.identity.principal.is_authenticated:
            error = Unauthorized()
        else:
            error = Denied(
                f"requested access to the resource is denied: {action.value} in project {project_name}"
            )
        error.headers["WWW-Authenticate"] = challenge(self.request, scopes, insufficient=True)
        return error
