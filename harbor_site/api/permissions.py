"""The DRF side of the one permission check: views declare what they need, `can()` decides."""

from __future__ import annotations

from rest_framework.request import Request

from projects.models import Project
from projects.permissions import can
from projects.principals import Principal
from projects.rbac import Action, Resource

from .errors import Forbidden, Unauthorized


def require(request: Request, action: Action, resource: Resource, project: Project | None = None) -> None:
    """Raise 401 (anonymous) or 403 (authenticated) unless the caller may do it."""
    request.permission_checked = True
    principal: Principal = request.user
    if can(principal, action, resource, project):
        return
    if not principal.is_authenticated:
        raise Unauthorized("authentication required")
    raise Forbidden(f"you may not {action.value} {resource.value or 'the project'}")


def require_authenticated(request: Request) -> Principal:
    """For endpoints about the caller themselves (current user): any authenticated principal."""
    request.permission_checked = True
    principal: Principal = request.user
    if not principal.is_authenticated:
        raise Unauthorized("authentication required")
    return principal


def allow_anyone(request: Request) -> None:
    """For endpoints open to everyone (ping, systeminfo): says so explicitly."""
    request.permission_checked = True


def anonymous_principal() -> Principal:
    """DRF's UNAUTHENTICATED_USER: `request.user` is always a Principal."""
    from projects.principals import ANONYMOUS

    return ANONYMOUS
