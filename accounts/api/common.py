"""What the accounts API shares: Harbor's system resources, the built-in admin, the JSON shapes."""

from __future__ import annotations

from typing import Any

from django.core.exceptions import ObjectDoesNotExist

from harbor_site.api.errors import APIError, BadRequest, Conflict, Forbidden, NotFound, PreconditionFailed
from projects.principals import Principal, PrincipalKind

from ..models import User, UserGroup

# `projects.services.ensure_admin` creates it; Harbor's user id 1. It is left out of user
# listings and searches, cannot be deleted, and is the only account whose profile and
# password may be changed while the auth mode is not db_auth (as in Harbor).
BUILTIN_ADMIN = "admin"


def is_self(principal: Principal, user_id: int) -> bool:
    """Harbor's matchUserID: only a user (not a robot) is ever "themselves"."""
    return principal.kind is PrincipalKind.USER and principal.user_id == user_id


def realname_of(user: User) -> str:
    """Local users set `realname`; directory users are onboarded with first/last names."""
    return user.realname or user.get_full_name()


def _oidc_meta(user: User) -> dict[str, Any] | None:
    """Harbor's OIDCUserInfo, without the CLI secret: it is stored hashed and shown only once."""
    try:
        identity = user.oidc_identity
    except ObjectDoesNotExist:
        return None
    return {
        "id": identity.pk,
        "user_id": user.pk,
        "subiss": f"{identity.subject}{identity.issuer}",
        "creation_time": identity.created_at,
        "update_time": identity.updated_at,
    }


def user_json(user: User, caller: Principal | None = None, with_oidc: bool = False) -> dict[str, Any]:
    """Harbor's UserResp. `admin_role_in_auth` is only told to the user themselves, as in Harbor;
    the user model keeps no update time, so `update_time` is the creation time."""
    data: dict[str, Any] = {
        "user_id": user.pk,
        "username": user.username,
        "email": user.email,
        "realname": realname_of(user),
        "comment": user.comment,
        "sysadmin_flag": user.is_superuser,
        "admin_role_in_auth": bool(caller and is_self(caller, user.pk) and user.is_directory_admin),
        "creation_time": user.date_joined,
        "update_time": user.date_joined,
    }
    meta = _oidc_meta(user) if with_oidc else None
    if meta is not None:
        data["oidc_user_meta"] = meta
    return data


def group_json(group: UserGroup) -> dict[str, Any]:
    """Harbor's UserGroup."""
    return {
        "id": group.pk,
        "group_name": group.name,
        "group_type": group.group_type,
        "ldap_group_dn": group.ldap_group_dn,
    }


_ERRORS: dict[int, type[APIError]] = {
    400: BadRequest,
    403: Forbidden,
    404: NotFound,
    409: Conflict,
    412: PreconditionFailed,
}


def api_error(exc: Exception) -> APIError:
    """The Harbor error for a service error that carries its HTTP `status`."""
    return _ERRORS.get(getattr(exc, "status", 500), APIError)(str(exc))
