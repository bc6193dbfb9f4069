"""LDAP / Active Directory login through django-auth-ldap, configured by Harbor's `ldap_*` keys.

Harbor reads the settings at each login from its system configuration, so an
administrator can change them at run time; `HarborLDAPBackend` builds
django-auth-ldap's settings from `configuration.store` on every call instead of
from Django settings. Users are onboarded on their first login. Their LDAP
groups are read from the membership attribute (`memberof` by default) at login
only (Harbor has no background sync) and matched by DN against the LDAP groups
known here; membership of `ldap_group_admin_dn` makes them system administrators.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import ldap
from django_auth_ldap.backend import LDAPBackend, LDAPSettings
from django_auth_ldap.config import LDAPSearch

from configuration.store import get_config

from .models import GroupType, User, UserGroup

SCOPES = {0: ldap.SCOPE_BASE, 1: ldap.SCOPE_ONELEVEL, 2: ldap.SCOPE_SUBTREE}


def _parenthesised(expression: str) -> str:
    expression = expression.strip()
    if expression and not expression.startswith("("):
        expression = f"({expression})"
    return expression


def user_filter(config: dict[str, Any], value: str = "%(user)s") -> str:
    """Harbor's user filter: `(&<ldap_filter>(<ldap_uid>=<value>))`."""
    match = f"({config['ldap_uid']}={value})"
    extra = _parenthesised(config["ldap_filter"])
    return f"(&{extra}{match})" if extra else match


def _connection_options(config: dict[str, Any]) -> dict[int, Any]:
    return {
        ldap.OPT_NETWORK_TIMEOUT: config["ldap_timeout"],
        ldap.OPT_TIMEOUT: config["ldap_timeout"],
        ldap.OPT_REFERRALS: 0,
        ldap.OPT_X_TLS_REQUIRE_CERT: ldap.OPT_X_TLS_DEMAND
        if config["ldap_verify_cert"]
        else ldap.OPT_X_TLS_NEVER,
        ldap.OPT_X_TLS_NEWCTX: 0,
    }


def ldap_settings(config: dict[str, Any]) -> LDAPSettings:
    settings = LDAPSettings()
    settings.SERVER_URI = config["ldap_url"]
    settings.BIND_DN = config["ldap_search_dn"]
    settings.BIND_PASSWORD = config["ldap_search_password"]
    settings.CONNECTION_OPTIONS = _connection_options(config)
    settings.USER_SEARCH = LDAPSearch(
        config["ldap_base_dn"],
        SCOPES[config["ldap_scope"]],
        user_filter(config),
        attrlist=["*", config["ldap_group_membership_attribute"]],
    )
    settings.USER_ATTR_MAP = {"first_name": "givenName", "last_name": "sn", "email": "mail"}
    settings.ALWAYS_UPDATE_USER = True
    return settings


def _normalised_dn(dn: str) -> str:
    return ",".join(part.strip() for part in dn.lower().split(","))


def sync_ldap_memberships(user: User, group_dns: list[str], admin_group_dn: str) -> None:
    """Set the user's LDAP groups and directory-admin flag from the DNs read at login."""
    wanted = {_normalised_dn(dn) for dn in group_dns}
    known = UserGroup.objects.filter(group_type=GroupType.LDAP)
    ldap_groups = [group for group in known if _normalised_dn(group.ldap_group_dn) in wanted]
    user.harbor_groups.remove(*user.harbor_groups.filter(group_type=GroupType.LDAP))
    user.harbor_groups.add(*ldap_groups)
    is_admin = bool(admin_group_dn) and _normalised_dn(admin_group_dn) in wanted
    if user.is_directory_admin != is_admin:
        user.is_directory_admin = is_admin
        user.save(update_fields=["is_directory_admin"])


class HarborLDAPBackend(LDAPBackend):
    """Logs users in against the directory when `auth_mode` is `ldap_auth`."""

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ):
        config = get_config()
        if config["auth_mode"] != "ldap_auth" or not config["ldap_url"]:
            return None
        self.settings = ldap_settings(config)
        self._harbor_config = config
        return super().authenticate(request, username=username, password=password, **kwargs)

    def authenticate_ldap_user(self, ldap_user: Any, password: str) -> User | None:
        user = super().authenticate_ldap_user(ldap_user, password)
        if user is not None:
            config = self._harbor_config
            group_dns = ldap_user.attrs.get(config["ldap_group_membership_attribute"], [])
            sync_ldap_memberships(user, list(group_dns), config["ldap_group_admin_dn"])
        return user


# --- directory look-ups for the API (ping, user search, group search) ------------------


@dataclass(frozen=True)
class DirectoryEntry:
    dn: str
    attributes: dict[str, list[str]]

    def first(self, name: str) -> str:
        for key, values in self.attributes.items():
            if key.lower() == name.lower() and values:
                return values[0]
        return ""


def _bind(config: dict[str, Any]) -> Any:
    connection = ldap.initialize(config["ldap_url"])
    for option, value in _connection_options(config).items():
        connection.set_option(option, value)
    connection.simple_bind_s(config["ldap_search_dn"], config["ldap_search_password"])
    return connection


def _search(config: dict[str, Any], base: str, scope: int, expression: str) -> list[DirectoryEntry]:
    connection = _bind(config)
    try:
        results = connection.search_s(base, SCOPES[scope], expression)
    finally:
        connection.unbind_s()
    return [
        DirectoryEntry(dn, {key: [v.decode() for v in values] for key, values in attributes.items()})
        for dn, attributes in results
        if dn
    ]


def ping(config: dict[str, Any] | None = None) -> None:
    """Bind with the search DN; raises ldap.LDAPError with the reason when that fails."""
    _bind(config or get_config()).unbind_s()


def search_users(name: str, config: dict[str, Any] | None = None) -> list[DirectoryEntry]:
    config = config or get_config()
    value = ldap.filter.escape_filter_chars(name) if name else "*"
    return _search(config, config["ldap_base_dn"], config["ldap_scope"], user_filter(config, value))


def search_groups(name: str = "", config: dict[str, Any] | None = None) -> list[DirectoryEntry]:
    config = config or get_config()
    attribute = config["ldap_group_attribute_name"]
    value = ldap.filter.escape_filter_chars(name) if name else "*"
    match = f"({attribute}={value})"
    extra = _parenthesised(config["ldap_group_search_filter"])
    expression = f"(&{extra}{match})" if extra else match
    return _search(config, config["ldap_group_base_dn"], config["ldap_group_search_scope"], expression)
