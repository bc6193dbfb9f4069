"""The system configuration keys (harbor.md §3.4), their types and defaults, as data.

A key may be fixed by the operator with an environment variable
`HARBOR_CONFIG_<KEY>` (upper case); such a key reads from the environment and
is not editable through the API, as in Harbor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any


@dataclass(frozen=True)
class Key:
    name: str
    type: type
    default: Any
    secret: bool = False  # never returned by the API
    choices: tuple[Any, ...] = ()


KEYS: dict[str, Key] = {
    key.name: key
    for key in (
        Key(
            "auth_mode",
            str,
            "db_auth",
            choices=("db_auth", "ldap_auth", "oidc_auth", "uaa_auth", "http_auth"),
        ),
        Key("self_registration", bool, False),
        Key("project_creation_restriction", str, "everyone", choices=("everyone", "adminonly")),
        Key("token_expiration", int, 30),
        Key("session_timeout", int, 60),
        Key("robot_token_duration", int, 30),
        Key("ldap_url", str, ""),
        Key("ldap_search_dn", str, ""),
        Key("ldap_search_password", str, "", secret=True),
        Key("ldap_base_dn", str, ""),
        Key("ldap_filter", str, ""),
        Key("ldap_uid", str, "cn"),
        Key("ldap_scope", int, 2, choices=(0, 1, 2)),
        Key("ldap_timeout", int, 5),
        Key("ldap_verify_cert", bool, True),
        Key("ldap_group_base_dn", str, ""),
        Key("ldap_group_search_filter", str, ""),
        Key("ldap_group_attribute_name", str, "cn"),
        Key("ldap_group_search_scope", int, 2, choices=(0, 1, 2)),
        Key("ldap_group_admin_dn", str, ""),
        Key("ldap_group_membership_attribute", str, "memberof"),
        Key("oidc_name", str, ""),
        Key("oidc_endpoint", str, ""),
        Key("oidc_client_id", str, ""),
        Key("oidc_client_secret", str, "", secret=True),
        Key("oidc_scope", str, "openid,offline_access"),
        Key("oidc_user_claim", str, ""),
        Key("oidc_groups_claim", str, ""),
        Key("oidc_group_filter", str, ""),
        Key("oidc_admin_group", str, ""),
        Key("oidc_verify_cert", bool, True),
        Key("oidc_auto_onboard", bool, False),
        Key("oidc_extra_redirect_parms", str, "{}"),
        Key("read_only", bool, False),
        Key("disabled_audit_log_event_types", str, ""),
        Key("skip_audit_log_database", bool, False),
        Key("audit_log_forward_endpoint", str, ""),
    )
}
