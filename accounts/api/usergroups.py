"""`/usergroups`, `/usergroups/search` and `/usergroups/{id}` (Harbor's usergroup API).

Groups are a system resource (`user-group`): administrators manage them; any
authenticated caller may search them by name, to add one as a project member.
An LDAP group must exist in the directory when LDAP is configured.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from configuration.store import get as config_value
from harbor_site.api.errors import BadRequest, NotFound
from harbor_site.api.permissions import require, require_authenticated
from harbor_site.api.schema import LOCATION, errors, ok, paging, path_id
from harbor_site.api.validation import validated
from harbor_site.api.views import HarborAPIView
from projects.rbac import Action, Resource

from ..models import GroupType, UserGroup
from . import directory, services
from .common import api_error, group_json
from .schema import (
    UserGroupRequestSerializer,
    UserGroupSearchItemSerializer,
    UserGroupSerializer,
    UserGroupUpdateSerializer,
)

# In these auth modes Harbor lists only the groups of that mode.
_MODE_GROUP_TYPE = {"ldap_auth": GroupType.LDAP, "http_auth": GroupType.HTTP}


# harborapi sends the whole UserGroup, id included.
_READ_ONLY = ("id",)


class UserGroupRequest(serializers.Serializer):
    group_name = serializers.CharField(max_length=255)
    group_type = serializers.IntegerField(required=False)
    ldap_group_dn = serializers.CharField(required=False, allow_blank=True, max_length=512)


def group_or_404(group_id: int) -> UserGroup:
    group = UserGroup.objects.filter(pk=group_id).first()
    if group is None:
        raise NotFound(f"the user group with id {group_id} is not found")
    return group


def _check_in_directory(dn: str) -> None:
    """Harbor refuses an LDAP group whose DN the directory does not know."""
    if not config_value("ldap_url"):
        return
    try:
        found = directory.group_exists(dn)
    except directory.InvalidDN as exc:
        raise BadRequest(str(exc)) from None
    except directory.DirectoryError as exc:
        raise api_error(exc) from None
    if not found:
        raise BadRequest(f"LDAP Group DN is not found: DN:{dn}")


@extend_schema_view(
    get=extend_schema(
        operation_id="listUserGroups",
        summary="List user groups (in ldap_auth and http_auth only that mode's)",
        parameters=[
            *paging(query=False, sort=False),
            OpenApiParameter("group_name", str, description="Groups whose name contains this."),
            OpenApiParameter("ldap_group_dn", str, description="The LDAP group with this DN (ldap_auth)."),
        ],
        responses={**ok(UserGroupSerializer(many=True)), **errors(400, 403)},
    ),
    post=extend_schema(
        operation_id="createUserGroup",
        summary="Create a user group (an LDAP group must exist in the directory)",
        parameters=[LOCATION],
        request=UserGroupRequestSerializer,
        responses={**ok(status=201, description="Created"), **errors(400, 403, 409, 412)},
    ),
)
@extend_schema(tags=["usergroup"])
class UserGroupListView(HarborAPIView):
    def get(self, request: Request) -> Response:
        require(request, Action.LIST, Resource.USER_GROUP)
        groups = UserGroup.objects.order_by("name", "id")
        params = request.query_params
        if params.get("group_name"):
            groups = groups.filter(name__icontains=params["group_name"])
        group_type = _MODE_GROUP_TYPE.get(config_value("auth_mode"))
        if group_type is not None:
            groups = groups.filter(group_type=group_type)
        if group_type == GroupType.LDAP and params.get("ldap_group_dn"):
            groups = groups.filter(ldap_group_dn__iexact=params["ldap_group_dn"])
        return self.paged(request, groups, lambda page: [group_json(group) for group in page])

    def post(self, request: Request) -> Response:
        require(request, Action.CREATE, Resource.USER_GROUP)
        data: dict[str, Any] = validated(UserGroupRequest, request, ignored=_READ_ONLY)
        group_type, dn = data.get("group_type", 0), data.get("ldap_group_dn", "")
        if group_type == GroupType.LDAP and dn:
            _check_in_directory(dn)
        try:
            group = services.create_group(data["group_name"], group_type, dn)
        except services.AccountError as exc:
            raise api_error(exc) from None
        return Response(status=201, headers={"Location": f"/api/v2.0/usergroups/{group.pk}"})


class UserGroupSearchView(HarborAPIView):
    @extend_schema(
        operation_id="searchUserGroups",
        tags=["usergroup"],
        summary="Groups whose name contains groupname (any authenticated caller)",
        parameters=[
            OpenApiParameter("groupname", str, required=True, description="Part of the group name."),
            *paging(query=False, sort=False),
        ],
        responses={**ok(UserGroupSearchItemSerializer(many=True)), **errors(400)},
    )
    def get(self, request: Request) -> Response:
        require_authenticated(request)
        name = request.query_params.get("groupname", "")
        if not name:
            raise BadRequest("need to provide groupname to search user group")
        groups = UserGroup.objects.filter(name__icontains=name).order_by("name", "id")
        return self.paged(
            request,
            groups,
            lambda page: [
                {"id": group.pk, "group_name": group.name, "group_type": group.group_type} for group in page
            ],
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="getUserGroup",
        summary="Read a user group",
        responses={**ok(UserGroupSerializer), **errors(403, 404)},
    ),
    put=extend_schema(
        operation_id="updateUserGroup",
        summary="Rename a user group",
        request=UserGroupUpdateSerializer,
        responses={**ok(), **errors(400, 403, 404, 409)},
    ),
    delete=extend_schema(
        operation_id="deleteUserGroup",
        summary="Delete a user group and its project memberships",
        responses={**ok(), **errors(403, 404)},
    ),
)
@extend_schema(tags=["usergroup"], parameters=[path_id("group_id", "The group's id.")])
class UserGroupView(HarborAPIView):
    def get(self, request: Request, group_id: int) -> Response:
        require(request, Action.READ, Resource.USER_GROUP)
        return Response(group_json(group_or_404(group_id)))

    def put(self, request: Request, group_id: int) -> Response:
        require(request, Action.UPDATE, Resource.USER_GROUP)
        name = validated(UserGroupRequest, request, ignored=_READ_ONLY)["group_name"]
        try:
            services.rename_group(group_or_404(group_id), name)
        except services.AccountError as exc:
            raise api_error(exc) from None
        return Response()

    def delete(self, request: Request, group_id: int) -> Response:
        require(request, Action.DELETE, Resource.USER_GROUP)
        group_or_404(group_id).delete()  # its project memberships go with it, as in Harbor
        return Response()
