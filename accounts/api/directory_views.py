"""`/ldap/ping`, `/ldap/users/search`, `/ldap/users/import`, `/ldap/groups/search` (Harbor's Ldap API).

Pinging tests settings (reading the configuration is what it needs); searching
and importing need the system `ldap-user` permission. A failed import answers
404 with the list of failures, as Harbor does.
"""

from __future__ import annotations

from typing import Any

import ldap
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from configuration.store import get_config
from harbor_site.api.errors import BadRequest, NotFound
from harbor_site.api.permissions import require
from harbor_site.api.schema import errors, ok
from harbor_site.api.validation import validated
from harbor_site.api.views import HarborAPIView
from projects.rbac import Action, Resource

from .. import ldap as ldap_client
from . import directory
from .common import api_error
from .schema import (
    LdapConfSerializer,
    LdapFailedImportUserSerializer,
    LdapGroupSerializer,
    LdapImportUsersSerializer,
    LdapPingResultSerializer,
    LdapUserSerializer,
)


class LdapConfRequest(serializers.Serializer):
    """Harbor's LdapConf: settings to try instead of the stored ones."""

    ldap_url = serializers.CharField(required=False, allow_blank=True)
    ldap_search_dn = serializers.CharField(required=False, allow_blank=True)
    ldap_search_password = serializers.CharField(required=False, allow_blank=True, trim_whitespace=False)
    ldap_base_dn = serializers.CharField(required=False, allow_blank=True)
    ldap_filter = serializers.CharField(required=False, allow_blank=True)
    ldap_uid = serializers.CharField(required=False, allow_blank=True)
    ldap_scope = serializers.ChoiceField(choices=[0, 1, 2], required=False)
    ldap_connection_timeout = serializers.IntegerField(required=False, min_value=1)
    ldap_verify_cert = serializers.BooleanField(required=False)


class ImportRequest(serializers.Serializer):
    ldap_uid_list = serializers.ListField(child=serializers.CharField(allow_blank=True))


def _ping_config(overrides: dict[str, Any]) -> dict[str, Any]:
    """The stored settings with the request's on top; an empty password keeps the stored one."""
    config = get_config()
    if "ldap_connection_timeout" in overrides:
        overrides["ldap_timeout"] = overrides.pop("ldap_connection_timeout")
    if not overrides.get("ldap_search_password"):
        overrides.pop("ldap_search_password", None)
    return {**config, **overrides}


class LdapPingView(HarborAPIView):
    @extend_schema(
        operation_id="pingLdap",
        tags=["Ldap"],
        summary="Try to bind to LDAP with the stored settings, or with those given",
        request=LdapConfSerializer,
        responses={**ok(LdapPingResultSerializer), **errors(400, 403)},
    )
    def post(self, request: Request) -> Response:
        require(request, Action.READ, Resource.CONFIGURATION)
        config = _ping_config(dict(validated(LdapConfRequest, request) if request.data else {}))
        if not config["ldap_url"]:
            return Response({"success": False, "message": "error: ldap_url is empty"})
        try:
            ldap_client.ping(config)
        except (ldap.LDAPError, ValueError) as exc:
            return Response({"success": False, "message": f"error: {directory.describe(exc)}"})
        return Response({"success": True})


class LdapUserSearchView(HarborAPIView):
    @extend_schema(
        operation_id="searchLdapUser",
        tags=["Ldap"],
        summary="Users in the directory (LDAP not configured: 412)",
        parameters=[OpenApiParameter("username", str, description="The uid to look for; empty: all.")],
        responses={**ok(LdapUserSerializer(many=True)), **errors(403, 412)},
    )
    def get(self, request: Request) -> Response:
        require(request, Action.LIST, Resource.LDAP_USER)
        try:
            users = directory.search_users(request.query_params.get("username", ""))
        except directory.DirectoryError as exc:
            raise api_error(exc) from None
        return Response([user.json() for user in users])


class LdapUserImportView(HarborAPIView):
    @extend_schema(
        operation_id="importLdapUser",
        tags=["Ldap"],
        summary="Onboard directory users by uid",
        request=LdapImportUsersSerializer,
        responses={
            **ok(),
            **errors(400, 403, 412),
            404: OpenApiResponse(
                LdapFailedImportUserSerializer(many=True), description="Some uids could not be imported."
            ),
        },
    )
    def post(self, request: Request) -> Response:
        require(request, Action.CREATE, Resource.LDAP_USER)
        uids = validated(ImportRequest, request)["ldap_uid_list"]
        try:
            failures = directory.import_users(request.user, uids)
        except directory.DirectoryError as exc:
            raise api_error(exc) from None
        return Response(failures, status=404) if failures else Response()


class LdapGroupSearchView(HarborAPIView):
    @extend_schema(
        operation_id="searchLdapGroup",
        tags=["Ldap"],
        summary="Groups in the directory, by name or by DN",
        parameters=[
            OpenApiParameter("groupname", str, description="The group's name."),
            OpenApiParameter("groupdn", str, description="The group's DN (when no name is given)."),
        ],
        responses={**ok(LdapGroupSerializer(many=True)), **errors(400, 403, 404, 412)},
    )
    def get(self, request: Request) -> Response:
        require(request, Action.LIST, Resource.LDAP_USER)
        name = request.query_params.get("groupname", "")
        dn = request.query_params.get("groupdn", "")
        try:
            groups = directory.search_groups(name=name, dn=dn)
        except directory.InvalidDN as exc:
            raise BadRequest(str(exc)) from None
        except directory.DirectoryError as exc:
            raise api_error(exc) from None
        if not groups:
            raise NotFound(f"group name:{name}, group DN:{dn}")
        return Response(groups)
