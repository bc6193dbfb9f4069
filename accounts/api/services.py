"""Changing local accounts and user groups, with Harbor's validation rules and audit events.

Each function raises `AccountError` with the HTTP status Harbor answers and a
message naming the problem; the views turn it into the error envelope. Every
change to a user publishes `UserCreated`/`UserUpdated`/`UserDeleted` once the
transaction commits.
"""

from __future__ import annotations

import re

from django.db import IntegrityError, transaction

from configuration.store import get as config_value
from events.bus import publish
from events.domain import UserCreated, UserDeleted, UserUpdated
from projects.principals import Principal

from ..models import GroupType, User, UserGroup
from ..oidc import OIDCError
from ..oidc import set_cli_secret as store_cli_secret
from ..validators import password_problem
from .common import BUILTIN_ADMIN, is_self


class AccountError(ValueError):
    """A request the API refuses; `status` is Harbor's HTTP status for it."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


# Harbor's validateUserProfile (src/server/v2.0/handler/user.go).
_EMAIL = re.compile(
    r"^(([^<>()\[\]\\.,;:\s@\"]+(\.[^<>()\[\]\\.,;:\s@\"]+)*)|(\".+\"))@"
    r"((\[[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\.[0-9]{1,3}\])|(([a-zA-Z\-0-9]+\.)+[a-zA-Z]{2,}))$"
)
_ILLEGAL_NAME_CHARS = (",", "~", "#", "$", "%")
COMMENT_MAX = 30


def profile_problem(email: str, realname: str, comment: str) -> str | None:
    """What Harbor refuses in a profile: a missing or malformed email, a realname that is
    empty, too long or holds `,~#$%`, a comment over 30 characters."""
    if not email:
        return "email can't be empty"
    if not _EMAIL.match(email):
        return "email with illegal format"
    if not 1 <= len(realname) <= 255:
        return "realname with illegal length"
    if any(char in realname for char in _ILLEGAL_NAME_CHARS):
        return "realname contains illegal characters"
    if len(comment) > COMMENT_MAX:
        return "comment with illegal length"
    return None


def username_problem(username: str) -> str | None:
    """Harbor's rule for usernames, plus `:`, which Basic credentials cannot carry."""
    if not 1 <= len(username) <= 255:
        return "username with illegal length"
    if any(char in username for char in (*_ILLEGAL_NAME_CHARS, ":")) or username != username.strip():
        return "username contains illegal characters"
    return None


def _check_password(password: str) -> None:
    if problem := password_problem(password):
        raise AccountError(problem)


def local_accounts_problem() -> str | None:
    """Local users exist only in db_auth: under LDAP or OIDC the directory owns the accounts."""
    mode = config_value("auth_mode")
    return None if mode == "db_auth" else f"creating local user is not allowed under auth mode: {mode}"


@transaction.atomic
def create_user(
    operator: Principal, username: str, password: str, email: str, realname: str, comment: str
) -> User:
    """A local (db_auth) user; 409 when the username or the email is taken."""
    for problem in (username_problem(username), password_problem(password)):
        if problem:
            raise AccountError(problem)
    if problem := profile_problem(email, realname, comment):
        raise AccountError(problem)
    if User.objects.filter(username=username).exists() or User.objects.filter(email__iexact=email).exists():
        raise AccountError(f"user {username} or email {email} already exists", status=409)
    user = User(username=username, email=email, realname=realname, comment=comment)
    user.set_password(password)
    try:
        with transaction.atomic():
            user.save()
    except IntegrityError:
        raise AccountError(f"user {username} or email {email} already exists", status=409) from None
    publish(UserCreated(operator.username, name=user.username))
    return user


@transaction.atomic
def update_profile(operator: Principal, user: User, email: str, realname: str, comment: str) -> None:
    if problem := profile_problem(email, realname, comment):
        raise AccountError(problem)
    if User.objects.filter(email__iexact=email).exclude(pk=user.pk).exists():
        raise AccountError(f"email {email} already exists", status=409)
    user.email, user.realname, user.comment = email, realname, comment
    user.save(update_fields=["email", "realname", "comment"])
    publish(UserUpdated(operator.username, name=user.username))


@transaction.atomic
def change_password(operator: Principal, user: User, new_password: str, old_password: str | None) -> None:
    """Set a new password. `old_password` is given (and must match) when users change their own;
    Harbor answers a wrong one with 403 and a reused one with 400."""
    if old_password is not None and not user.check_password(old_password):
        raise AccountError("Current password is incorrect", status=403)
    _check_password(new_password)
    if user.check_password(new_password):
        raise AccountError("New password is identical to old password")
    user.set_password(new_password)
    user.save(update_fields=["password"])
    publish(UserUpdated(operator.username, name=user.username))


@transaction.atomic
def set_sysadmin(operator: Principal, user: User, flag: bool) -> None:
    user.is_superuser = flag
    user.save(update_fields=["is_superuser"])
    publish(UserUpdated(operator.username, name=user.username))


def deletable(operator: Principal, user: User) -> bool:
    """Harbor never deletes its built-in admin, nor lets anyone delete their own account."""
    return user.username != BUILTIN_ADMIN and not is_self(operator, user.pk)


@transaction.atomic
def delete_user(operator: Principal, user: User) -> None:
    """Remove the account; its memberships and OIDC identity go with it, the projects it
    owned stay (ownerless)."""
    if not deletable(operator, user):
        raise AccountError(f"User with ID {user.pk} cannot be deleted", status=403)
    username = user.username
    user.delete()
    publish(UserDeleted(operator.username, name=username))


@transaction.atomic
def set_cli_secret(operator: Principal, user: User, secret: str) -> None:
    """Harbor's PUT /users/{id}/cli_secret: the secret follows the password rule; it is stored
    hashed and never shown again."""
    _check_password(secret)
    try:
        store_cli_secret(user, secret)
    except OIDCError as exc:
        raise AccountError(f"user {user.pk} is not onboarded via OIDC: {exc}") from None
    publish(UserUpdated(operator.username, name=user.username))


# --- user groups ---------------------------------------------------------------------


def _duplicate(name: str, group_type: int, dn: str) -> AccountError:
    return AccountError(
        f"duplicate user group, group name:{name}, group type: {group_type}, ldap group DN: {dn}", status=409
    )


def group_name_problem(name: str) -> str | None:
    if not 1 <= len(name) <= 255:
        return "the group name must have 1 to 255 characters"
    return None


@transaction.atomic
def create_group(name: str, group_type: int, dn: str) -> UserGroup:
    """A group; LDAP groups need their DN (the caller checks it against the directory)."""
    if problem := group_name_problem(name):
        raise AccountError(problem)
    if group_type not in GroupType.values:
        raise AccountError(f"invalid group_type {group_type}: use 1 (LDAP), 2 (HTTP) or 3 (OIDC)")
    if group_type == GroupType.LDAP and not dn:
        raise AccountError("an LDAP group needs its ldap_group_dn")
    same = UserGroup.objects.filter(group_type=group_type, name=name)
    if group_type == GroupType.LDAP:
        same = same | UserGroup.objects.filter(group_type=group_type, ldap_group_dn__iexact=dn)
    if same.exists():
        raise _duplicate(name, group_type, dn)
    try:
        with transaction.atomic():
            return UserGroup.objects.create(
                name=name, group_type=group_type, ldap_group_dn=dn if group_type == GroupType.LDAP else ""
            )
    except IntegrityError:
        raise _duplicate(name, group_type, dn) from None


@transaction.atomic
def rename_group(group: UserGroup, name: str) -> None:
    if problem := group_name_problem(name):
        raise AccountError(problem)
    if UserGroup.objects.filter(group_type=group.group_type, name=name).exclude(pk=group.pk).exists():
        raise _duplicate(name, group.group_type, group.ldap_group_dn)
    group.name = name
    group.save(update_fields=["name"])
