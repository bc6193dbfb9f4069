"""`/users/current` and `/users/current/permissions`: the caller about themselves.

The permissions list is what `projects.permissions.can` allows the caller in a
namespace, asked once per policy of that namespace, so it can never disagree
with what the API and the registry enforce.
"""

from __future__ import annotations

import re

from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api.errors import PreconditionFailed
from harbor_site.api.permissions import require_authenticated
from harbor_site.api.schema import errors, ok
from harbor_site.api.views import HarborAPIView
from projects.models import Project
from projects.permissions import can, roles_in
from projects.principals import Principal
from projects.rbac import PUBLIC_GRANTS, ROLE_GRANTS, Action, Resource
from projects.robot_grants import SYSTEM_GRANTABLE

from ..models import User
from .common import user_json
from .schema import PermissionSerializer, UserSerializer

Policy = tuple[str, str]  # (resource path, action)

_ACTION_ORDER = list(Action)


def _project_policies() -> list[tuple[Resource, Action]]:
    """Every (resource, action) any role or the public column grants: the project namespace."""
    pairs = {
        (resource, action)
        for grants in (*ROLE_GRANTS.values(), PUBLIC_GRANTS)
        for resource, actions in grants.items()
        for action in actions
    }
    resources = list(Resource)
    return sorted(pairs, key=lambda pair: (resources.index(pair[0]), _ACTION_ORDER.index(pair[1])))


def _system_policies() -> list[tuple[Resource, Action]]:
    """The system namespace: what robots may be granted there, plus the configuration."""
    pairs = {(Resource(resource), Action(action)) for resource, action in SYSTEM_GRANTABLE}
    pairs |= {(Resource.CONFIGURATION, Action.READ), (Resource.CONFIGURATION, Action.UPDATE)}
    return sorted(pairs, key=lambda pair: (pair[0].value, _ACTION_ORDER.index(pair[1])))


PROJECT_POLICIES = _project_policies()
SYSTEM_POLICIES = _system_policies()
_PROJECT_SCOPE = re.compile(r"^/project/(\d+)(?:/|$)")


def granted(principal: Principal, scope: str) -> list[Policy]:
    """The policies of the scope's namespace the principal holds, as Harbor's resource paths."""
    if match := _PROJECT_SCOPE.match(scope):
        project = Project.objects.filter(pk=int(match[1])).first()
        if project is None:
            return []
        base = f"/project/{project.pk}"
        roles = roles_in(principal, project)  # once, not once per policy
        return [
            (f"{base}/{resource.value}" if resource.value else base, action.value)
            for resource, action in PROJECT_POLICIES
            if can(principal, action, resource, project, roles=roles)
        ]
    if scope == "/system" or scope.startswith("/system/"):
        return [
            (f"/system/{resource.value}", action.value)
            for resource, action in SYSTEM_POLICIES
            if can(principal, action, resource)
        ]
    return []


def relative_to(path: str, scope: str) -> str | None:
    """Harbor's Resource.RelativeTo: the path under the scope ("." for the scope itself)."""
    if not path.startswith(scope):
        return None
    return path[len(scope) :].removeprefix("/") or "."


class CurrentUserView(HarborAPIView):
    @extend_schema(
        operation_id="getCurrentUserInfo",
        tags=["user"],
        summary="The caller's own user (robots have none: 412)",
        responses={**ok(UserSerializer), **errors(412)},
    )
    def get(self, request: Request) -> Response:
        principal = require_authenticated(request)
        if principal.user_id is None:
            raise PreconditionFailed(
                f"get current user not available for security context: {principal.kind.value}"
            )
        user = User.objects.select_related("oidc_identity").get(pk=principal.user_id)
        return Response(user_json(user, principal, with_oidc=True))


class CurrentPermissionsView(HarborAPIView):
    @extend_schema(
        operation_id="getCurrentUserPermissions",
        tags=["user"],
        summary="What the caller may do in a namespace",
        parameters=[
            OpenApiParameter("scope", str, description="`/system` or `/project/<id>`; anything else: none."),
            OpenApiParameter("relative", bool, default=False, description="Resources relative to the scope."),
        ],
        responses=ok(PermissionSerializer(many=True)),
    )
    def get(self, request: Request) -> Response:
        principal = require_authenticated(request)
        scope = request.query_params.get("scope", "")
        relative = request.query_params.get("relative", "").lower() == "true"
        permissions = []
        for path, action in granted(principal, scope):
            resource = relative_to(path, scope) if relative else path
            if resource is not None:
                permissions.append({"resource": resource, "action": action})
        return Response(permissions)
