"""The directory side of the accounts API: LDAP look-ups and onboarding of users and groups.

`accounts.ldap` talks to the server; this module turns its entries into Harbor's
shapes (LdapUser, UserGroup) and onboards them as Harbor does: an imported or
newly added member is created with no usable password (it logs in against the
directory), a group found by DN is created as an LDAP group.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import ldap
import ldap.dn
from django.db import transaction

from configuration.store import get_config
from events.bus import publish
from events.domain import UserCreated
from projects.principals import Principal

from .. import ldap as ldap_client
from ..models import GroupType, User, UserGroup
from .services import create_group

logger = logging.getLogger(__name__)


class DirectoryError(Exception):
    """LDAP cannot answer: not configured (`status` 412) or failing (500, logged)."""

    def __init__(self, message: str, status: int = 500) -> None:
        super().__init__(message)
        self.status = status


class InvalidDN(ValueError):
    """The text is not a distinguished name."""


def describe(exc: Exception) -> str:
    """python-ldap errors carry a dict; say what went wrong in one line (never the password)."""
    detail = exc.args[0] if exc.args else exc
    if isinstance(detail, dict):
        parts = [str(detail[key]) for key in ("desc", "info") if detail.get(key)]
        return "; ".join(parts) or type(exc).__name__
    return str(detail)


def ldap_config() -> dict[str, Any]:
    """The configuration, when LDAP is set up enough to be asked at all."""
    config = get_config()
    if not config["ldap_url"]:
        raise DirectoryError("LDAP is not configured (ldap_url is empty)", status=412)
    return config


def _failing(action: str, exc: Exception) -> DirectoryError:
    logger.warning("LDAP %s failed: %s", action, describe(exc))
    return DirectoryError(f"LDAP {action} failed: {describe(exc)}")


@dataclass(frozen=True)
class LdapUser:
    username: str
    realname: str
    email: str
    first_name: str = ""
    last_name: str = ""

    def json(self) -> dict[str, str]:
        """Harbor's LdapUser."""
        return {"username": self.username, "realname": self.realname, "email": self.email}


def _user_of(entry: ldap_client.DirectoryEntry, config: dict[str, Any]) -> LdapUser:
    """Harbor reads the username from `ldap_uid`, the real name from cn (or uid), the mail
    from mail (or email)."""
    return LdapUser(
        username=entry.first(config["ldap_uid"]),
        realname=entry.first("cn") or entry.first("uid"),
        email=entry.first("mail") or entry.first("email"),
        first_name=entry.first("givenName"),
        last_name=entry.first("sn"),
    )


def search_users(name: str, config: dict[str, Any] | None = None) -> list[LdapUser]:
    """Directory users whose uid is `name` (all of them when empty)."""
    config = config or ldap_config()
    try:
        entries = ldap_client.search_users(name, config)
    except ldap.LDAPError as exc:
        raise _failing("user search", exc) from None
    return [user for user in (_user_of(entry, config) for entry in entries) if user.username]


def search_groups(name: str = "", dn: str = "", config: dict[str, Any] | None = None) -> list[dict[str, str]]:
    """Harbor's LDAP group search: by name in the group base, else by DN; [{group_name, ldap_group_dn}]."""
    config = config or ldap_config()
    attribute = config["ldap_group_attribute_name"]
    try:
        if name:
            entries = ldap_client.search_groups(name, config)
        elif dn:
            entries = _group_entries_at(dn, config)
        else:
            entries = []
    except ldap.LDAPError as exc:
        raise _failing("group search", exc) from None
    return [{"group_name": entry.first(attribute), "ldap_group_dn": entry.dn} for entry in entries]


def _group_entries_at(dn: str, config: dict[str, Any]) -> list[ldap_client.DirectoryEntry]:
    """The group entry at `dn` if it is a group by the group filter; none when nothing is there."""
    if not ldap.dn.is_dn(dn) or "=" not in dn:
        raise InvalidDN(f"invalid DN syntax. DN: {dn}")
    at_dn = {**config, "ldap_group_base_dn": dn, "ldap_group_search_scope": 0}
    try:
        return ldap_client.search_groups("", at_dn)
    except ldap.NO_SUCH_OBJECT:
        return []


def group_exists(dn: str) -> bool:
    """Is `dn` a group in the directory? (Raises InvalidDN, DirectoryError.)"""
    return bool(search_groups(dn=dn))


@transaction.atomic
def onboard_user(operator: Principal, found: LdapUser) -> tuple[User, bool]:
    """The Harbor account of a directory user, created on first sight (no usable password:
    they log in against the directory). Returns (user, created)."""
    user = User.objects.filter(username=found.username).first()
    if user is not None:
        return user, False
    user = User(
        username=found.username,
        email=found.email,
        realname=found.realname,
        first_name=found.first_name[:150],
        last_name=found.last_name[:150],
    )
    user.set_unusable_password()
    user.save()
    publish(UserCreated(operator.username, name=user.username))
    return user, True


def onboard_user_named(operator: Principal, username: str) -> User | None:
    """Harbor's SearchAndOnBoardUser: in ldap_auth mode a directory user not yet known here
    is onboarded; None when there is no such user (or the mode has no directory)."""
    config = get_config()
    if config["auth_mode"] != "ldap_auth" or not config["ldap_url"]:
        return None
    found = search_users(username, config)  # the directory matches uids without regard to case
    return onboard_user(operator, found[0])[0] if found else None


def import_users(operator: Principal, uids: list[str]) -> list[dict[str, str]]:
    """Harbor's LDAP import: onboard each uid; the failures as [{uid, error}] with Harbor's codes."""
    config = ldap_config()
    failures = []
    for uid in uids:
        if not uid:
            failures.append({"uid": uid, "error": "empty_uid"})
            continue
        try:
            found = search_users(uid, config)
        except DirectoryError:
            failures.append({"uid": uid, "error": "failed_search_user"})
            continue
        if not found:
            failures.append({"uid": uid, "error": "unknown_user"})
            continue
        onboard_user(operator, found[0])
    return failures


@transaction.atomic
def onboard_group(dn: str, name: str = "") -> UserGroup | None:
    """Harbor's SearchAndOnBoardGroup for LDAP: the group at `dn` (created when found in the
    directory, named `name` or by its name attribute); None when the directory has no such group."""
    known = UserGroup.objects.filter(group_type=GroupType.LDAP, ldap_group_dn__iexact=dn).first()
    if known is not None:
        return known
    found = search_groups(dn=dn)
    if not found:
        return None
    return create_group(name or found[0]["group_name"] or dn, GroupType.LDAP, found[0]["ldap_group_dn"])
