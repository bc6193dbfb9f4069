"""`/users`, `/users/search` and `/users/{id}[/sysadmin|/password|/cli_secret]` (Harbor's user API).

Who may do what follows Harbor's handler (src/server/v2.0/handler/user.go):
listing, the sysadmin flag and deletion need the system `user` permission;
users read and change their own profile and password; in any auth mode but
db_auth only the built-in admin's profile and password can change.
"""

from __future__ import annotations

from typing import Any

from django.db.models import QuerySet
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from configuration.store import get as config_value
from harbor_site.api.errors import BadRequest, Forbidden, NotFound, PreconditionFailed
from harbor_site.api.permissions import allow_anyone, require, require_authenticated
from harbor_site.api.query import Field
from harbor_site.api.schema import LOCATION, errors, ok, paging, path_id
from harbor_site.api.validation import validated
from harbor_site.api.views import HarborAPIView
from projects.permissions import can
from projects.rbac import Action, Resource

from ..models import User
from . import services
from .common import BUILTIN_ADMIN, api_error, is_self, user_json
from .schema import (
    CliSecretRequestSerializer,
    PasswordRequestSerializer,
    SysadminFlagSerializer,
    UserCreationSerializer,
    UserProfileSerializer,
    UserSearchItemSerializer,
    UserSerializer,
)
from .services import AccountError


def _text(**kwargs: Any) -> serializers.CharField:
    return serializers.CharField(required=False, allow_blank=True, trim_whitespace=False, **kwargs)


class UserCreationRequest(serializers.Serializer):
    username = serializers.CharField(max_length=255, trim_whitespace=False)
    password = serializers.CharField(trim_whitespace=False)
    email = _text(max_length=255)
    realname = _text()
    comment = _text()


class UserProfileRequest(serializers.Serializer):
    email = _text(max_length=255)
    realname = _text()
    comment = _text()


class SysadminRequest(serializers.Serializer):
    sysadmin_flag = serializers.BooleanField()


class PasswordRequest(serializers.Serializer):
    old_password = _text()
    new_password = serializers.CharField(trim_whitespace=False)


class CliSecretRequest(serializers.Serializer):
    secret = serializers.CharField(trim_whitespace=False)


USER_ID = path_id("user_id", "The user's id.")


def user_or_404(user_id: int) -> User:
    user = User.objects.select_related("oidc_identity").filter(pk=user_id).first()
    if user is None:
        raise NotFound(f"user {user_id} not found")
    return user


def listed_users() -> QuerySet[User]:
    """Harbor leaves its built-in admin out of listings and searches."""
    return User.objects.exclude(username=BUILTIN_ADMIN)


def _require_creatable(request: Request) -> None:
    """Local users exist only in db_auth; then an administrator may create them, and so may
    anyone when self-registration is on."""
    if problem := services.local_accounts_problem():
        allow_anyone(request)  # refused below, whoever asks
        raise Forbidden(problem)
    if config_value("self_registration"):
        allow_anyone(request)  # anyone may sign up
        return
    require(request, Action.CREATE, Resource.USER)


def _require_modifiable(request: Request, user_id: int) -> None:
    """Harbor's `modifiable`: in db_auth the user or an administrator; otherwise only the
    built-in admin's account, by an administrator."""
    principal = require_authenticated(request)
    may_update = can(principal, Action.UPDATE, Resource.USER)
    if config_value("auth_mode") == "db_auth":
        allowed = may_update or is_self(principal, user_id)
    else:
        allowed = may_update and User.objects.filter(pk=user_id, username=BUILTIN_ADMIN).exists()
    if not allowed:
        raise Forbidden(f"User with ID {user_id} can't be updated")


@extend_schema_view(
    get=extend_schema(
        operation_id="listUsers",
        summary="List users (system administrators; the built-in admin is left out)",
        parameters=[
            *paging(),
            OpenApiParameter("username", str, description="Users whose name contains this."),
            OpenApiParameter("email", str, description="Users whose email contains this."),
        ],
        responses={**ok(UserSerializer(many=True)), **errors(400, 403)},
    ),
    post=extend_schema(
        operation_id="createUser",
        summary="Create a local user (db_auth; administrators, or anyone with self-registration)",
        parameters=[LOCATION],
        request=UserCreationSerializer,
        responses={**ok(status=201, description="Created"), **errors(400, 403, 409)},
    ),
)
@extend_schema(tags=["user"])
class UserListView(HarborAPIView):
    q_fields = {
        "username": Field("username"),
        "email": Field("email"),
        "realname": Field("realname"),
        "user_id": Field("id"),
        "sysadmin_flag": Field("is_superuser"),
        "creation_time": Field("date_joined"),
    }
    sort_fields = {
        "username": "username",
        "email": "email",
        "realname": "realname",
        "user_id": "id",
        "creation_time": "date_joined",
    }
    default_ordering = ["username"]

    def get(self, request: Request) -> Response:
        require(request, Action.LIST, Resource.USER)
        users = listed_users()
        for name in ("username", "email"):
            if value := request.query_params.get(name):
                users = users.filter(**{f"{name}__icontains": value})
        users = self.filtered(request, users)
        return self.paged(request, users, lambda page: [user_json(user) for user in page])

    def post(self, request: Request) -> Response:
        _require_creatable(request)
        data = validated(UserCreationRequest, request)
        try:
            user = services.create_user(
                request.user,
                data["username"],
                data["password"],
                data.get("email", ""),
                data.get("realname", ""),
                data.get("comment", ""),
            )
        except AccountError as exc:
            raise api_error(exc) from None
        return Response(status=201, headers={"Location": f"/api/v2.0/users/{user.pk}"})


class UserSearchView(HarborAPIView):
    @extend_schema(
        operation_id="searchUsers",
        tags=["user"],
        summary="Users whose name contains username (any authenticated caller)",
        parameters=[
            OpenApiParameter("username", str, required=True, description="Part of the username."),
            *paging(query=False, sort=False),
        ],
        responses={**ok(UserSearchItemSerializer(many=True)), **errors(400)},
    )
    def get(self, request: Request) -> Response:
        require_authenticated(request)
        username = request.query_params.get("username", "")
        if not username:
            raise BadRequest("need to provide username to search users")
        users = listed_users().filter(username__icontains=username).order_by("username", "id")
        return self.paged(
            request, users, lambda page: [{"user_id": user.pk, "username": user.username} for user in page]
        )


@extend_schema_view(
    get=extend_schema(
        operation_id="getUser",
        summary="Read a user (yourself, or any as an administrator)",
        responses={**ok(UserSerializer), **errors(403, 404)},
    ),
    put=extend_schema(
        operation_id="updateUserProfile",
        summary="Change a user's email, real name and comment",
        request=UserProfileSerializer,
        responses={**ok(), **errors(400, 403, 404, 409)},
    ),
    delete=extend_schema(
        operation_id="deleteUser",
        summary="Delete a user (not yourself, not the built-in admin)",
        responses={**ok(), **errors(403, 404)},
    ),
)
@extend_schema(tags=["user"], parameters=[USER_ID])
class UserView(HarborAPIView):
    def get(self, request: Request, user_id: int) -> Response:
        principal = require_authenticated(request)
        if not is_self(principal, user_id) and not can(principal, Action.READ, Resource.USER):
            raise Forbidden(f"Not authorized to read user: {user_id}")
        return Response(user_json(user_or_404(user_id), principal, with_oidc=True))

    def put(self, request: Request, user_id: int) -> Response:
        _require_modifiable(request, user_id)
        data = validated(UserProfileRequest, request)
        user = user_or_404(user_id)
        try:
            services.update_profile(
                request.user, user, data.get("email", ""), data.get("realname", ""), data.get("comment", "")
            )
        except AccountError as exc:
            raise api_error(exc) from None
        return Response()

    def delete(self, request: Request, user_id: int) -> Response:
        require(request, Action.DELETE, Resource.USER)
        try:
            services.delete_user(request.user, user_or_404(user_id))
        except AccountError as exc:
            raise api_error(exc) from None
        return Response()


class SysadminView(HarborAPIView):
    @extend_schema(
        operation_id="setUserSysAdmin",
        tags=["user"],
        parameters=[USER_ID],
        summary="Make a user a system administrator, or not",
        request=SysadminFlagSerializer,
        responses={**ok(), **errors(400, 403, 404)},
    )
    def put(self, request: Request, user_id: int) -> Response:
        require(request, Action.UPDATE, Resource.USER)
        flag = validated(SysadminRequest, request)["sysadmin_flag"]
        services.set_sysadmin(request.user, user_or_404(user_id), flag)
        return Response()


class PasswordView(HarborAPIView):
    @extend_schema(
        operation_id="updateUserPassword",
        tags=["user"],
        parameters=[USER_ID],
        summary="Change a user's password (your own needs the old one)",
        request=PasswordRequestSerializer,
        responses={**ok(), **errors(400, 403, 404)},
    )
    def put(self, request: Request, user_id: int) -> Response:
        _require_modifiable(request, user_id)
        data = validated(PasswordRequest, request)
        user = user_or_404(user_id)
        old = data.get("old_password", "") if is_self(request.user, user_id) else None
        try:
            services.change_password(request.user, user, data["new_password"], old)
        except AccountError as exc:
            raise api_error(exc) from None
        return Response()


class CliSecretView(HarborAPIView):
    @extend_schema(
        operation_id="setCliSecret",
        tags=["user"],
        parameters=[USER_ID],
        summary="Set an OIDC user's CLI secret (oidc_auth only)",
        request=CliSecretRequestSerializer,
        responses={**ok(), **errors(400, 403, 404, 412)},
    )
    def put(self, request: Request, user_id: int) -> Response:
        mode = config_value("auth_mode")
        principal = require_authenticated(request)
        if mode != "oidc_auth":
            raise PreconditionFailed(f"unable to update CLI secret under authmode: {mode}")
        if not is_self(principal, user_id) and not can(principal, Action.UPDATE, Resource.USER):
            raise Forbidden(f"Not authorized to update the CLI secret for user: {user_id}")
        secret = validated(CliSecretRequest, request)["secret"]
        try:
            services.set_cli_secret(principal, user_or_404(user_id), secret)
        except AccountError as exc:
            raise api_error(exc) from None
        return Response()
