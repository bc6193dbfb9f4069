"""OIDC login (Harbor's `oidc_auth`): the authorization-code flow as a relying party.

The provider and client come from the `oidc_*` configuration keys and are read
at each login, as Harbor does. Authlib drives the OAuth 2 exchange, joserfc
verifies the ID token (signature from the provider's JWKS, issuer, audience,
expiry, nonce). Users are onboarded from the username claim, their groups are
taken from the groups claim (filtered by `oidc_group_filter`) at every login,
and membership of `oidc_admin_group` makes them system administrators.
"""

from __future__ import annotations

import json
import re
import secrets
import time
from dataclasses import dataclass
from typing import Any

import requests
from authlib.integrations.requests_client import OAuth2Session
from django.contrib.auth.hashers import check_password, make_password
from django.db import transaction
from joserfc import jwt
from joserfc.errors import JoseError
from joserfc.jwk import KeySet

from .models import GroupType, OIDCIdentity, User, UserGroup
from .validators import password_problem

TIMEOUT = 10
_discovery_cache: dict[str, tuple[float, dict[str, Any]]] = {}
DISCOVERY_SECONDS = 300


class OIDCError(Exception):
    """The login cannot complete; the message is safe to show the user."""


@dataclass(frozen=True)
class Claims:
    subject: str
    issuer: str
    username: str
    email: str
    groups: tuple[str, ...]


def discovery(config: dict[str, Any]) -> dict[str, Any]:
    """The provider's metadata (`.well-known/openid-configuration`), cached a few minutes."""
    endpoint = config["oidc_endpoint"].rstrip("/")
    if not endpoint:
        raise OIDCError("OIDC is not configured (oidc_endpoint is empty)")
    cached = _discovery_cache.get(endpoint)
    if cached and cached[0] > time.monotonic():
        return cached[1]
    try:
        response = requests.get(
            f"{endpoint}/.well-known/openid-configuration", timeout=TIMEOUT, verify=config["oidc_verify_cert"]
        )
        response.raise_for_status()
        metadata = response.json()
    except (requests.RequestException, ValueError) as exc:
        raise OIDCError(f"cannot read the OIDC provider's configuration: {exc}") from None
    _discovery_cache[endpoint] = (time.monotonic() + DISCOVERY_SECONDS, metadata)
    return metadata


def _session(config: dict[str, Any], redirect_uri: str) -> OAuth2Session:
    scopes = [s.strip() for s in config["oidc_scope"].split(",") if s.strip()]
    session = OAuth2Session(
        config["oidc_client_id"],
        config["oidc_client_secret"],
        scope=" ".join(scopes),
        redirect_uri=redirect_uri,
        default_timeout=TIMEOUT,
    )
    session.verify = config["oidc_verify_cert"]
    return session


def authorization_url(config: dict[str, Any], redirect_uri: str) -> tuple[str, str, str]:
    """(url to send the browser to, state, nonce): state and nonce go into the session."""
    metadata = discovery(config)
    state, nonce = secrets.token_urlsafe(24), secrets.token_urlsafe(24)
    extra = json.loads(config["oidc_extra_redirect_parms"] or "{}")
    url, _ = _session(config, redirect_uri).create_authorization_url(
        metadata["authorization_endpoint"], state=state, nonce=nonce, **extra
    )
    return url, state, nonce


def _verified_id_token(config: dict[str, Any], metadata: dict[str, Any], id_token: str, nonce: str) -> dict:
    try:
        keys = requests.get(metadata["jwks_uri"], timeout=TIMEOUT, verify=config["oidc_verify_cert"]).json()
        token = jwt.decode(id_token, KeySet.import_key_set(keys))
        jwt.JWTClaimsRegistry(
            leeway=60,
            iss={"essential": True, "value": metadata["issuer"]},
            aud={"essential": True, "value": config["oidc_client_id"]},
            exp={"essential": True},
            nonce={"essential": True, "value": nonce},
            sub={"essential": True},
        ).validate(token.claims)
    except (requests.RequestException, ValueError, KeyError, JoseError) as exc:
        raise OIDCError(f"the ID token is not valid: {exc}") from None
    return token.claims


def exchange_code(
    config: dict[str, Any], redirect_uri: str, callback_url: str, state: str, nonce: str
) -> Claims:
    """Trade the authorization code for tokens and read the verified claims."""
    metadata = discovery(config)
    session = _session(config, redirect_uri)
    try:
        token = session.fetch_token(
            metadata["token_endpoint"], authorization_response=callback_url, state=state
        )
    except Exception as exc:  # authlib raises several unrelated types for a refused exchange
        raise OIDCError(f"the OIDC provider refused the code: {exc}") from None
    if "id_token" not in token:
        raise OIDCError("the OIDC provider returned no ID token (is the 'openid' scope in oidc_scope?)")
    claims = _verified_id_token(config, metadata, token["id_token"], nonce)
    user_claim = config["oidc_user_claim"] or "preferred_username"
    username = str(claims.get(user_claim) or "")
    if not username:
        raise OIDCError(f"the ID token has no {user_claim!r} claim to take the username from")
    groups = claims.get(config["oidc_groups_claim"], []) if config["oidc_groups_claim"] else []
    if isinstance(groups, str):
        groups = [groups]
    return Claims(
        str(claims["sub"]), str(claims["iss"]), username, str(claims.get("email") or ""), tuple(groups)
    )


def _wanted_groups(config: dict[str, Any], groups: tuple[str, ...]) -> list[str]:
    pattern = config["oidc_group_filter"]
    return [group for group in groups if not pattern or re.search(pattern, group)]


@transaction.atomic
def onboard(config: dict[str, Any], claims: Claims) -> User:
    """The user behind these claims: found by (issuer, subject), else created when allowed."""
    identity = (
        OIDCIdentity.objects.select_related("user")
        .filter(issuer=claims.issuer, subject=claims.subject)
        .first()
    )
    if identity is not None:
        user = identity.user
    else:
        if not config["oidc_auto_onboard"]:
            raise OIDCError("automatic onboarding is off (oidc_auto_onboard); ask an administrator")
        if User.objects.filter(username=claims.username).exists():
            raise OIDCError(f"the username {claims.username} is already taken by another account")
        user = User(username=claims.username, email=claims.email)
        user.set_unusable_password()
        user.save()
        OIDCIdentity.objects.create(user=user, subject=claims.subject, issuer=claims.issuer)
    groups = _wanted_groups(config, claims.groups)
    oidc_groups = [
        UserGroup.objects.get_or_create(name=name, group_type=GroupType.OIDC)[0] for name in groups
    ]
    user.harbor_groups.remove(*user.harbor_groups.filter(group_type=GroupType.OIDC))
    user.harbor_groups.add(*oidc_groups)
    is_admin = bool(config["oidc_admin_group"]) and config["oidc_admin_group"] in groups
    if user.is_directory_admin != is_admin or (claims.email and user.email != claims.email):
        user.is_directory_admin = is_admin
        user.email = claims.email or user.email
        user.save(update_fields=["is_directory_admin", "email"])
    return user


def set_cli_secret(user: User, secret: str | None = None) -> str:
    """Set (or generate) the user's CLI secret and return it, once; stored hashed."""
    from projects.robots import generate_secret

    if secret is not None and (problem := password_problem(secret)):
        raise OIDCError(problem)
    identity = OIDCIdentity.objects.filter(user=user).first()
    if identity is None:
        raise OIDCError("only OIDC users have a CLI secret")
    secret = secret or generate_secret()
    identity.cli_secret = make_password(secret)
    identity.save(update_fields=["cli_secret", "updated_at"])
    return secret


class CLISecretBackend:
    """Lets OIDC users authenticate with their CLI secret on the registry paths only.

    Harbor accepts the CLI secret on `/service/token`, `/v2/` and a few API paths,
    never for an interactive login.
    """

    PATHS = ("/v2/", "/service/token")

    def authenticate(
        self, request: Any, username: str | None = None, password: str | None = None, **kwargs: Any
    ):
        if request is None or not request.path.startswith(self.PATHS) or not username or not password:
            return None
        identity = OIDCIdentity.objects.select_related("user").filter(user__username=username).first()
        if identity is None or not identity.cli_secret or not identity.user.is_active:
            return None
        return identity.user if check_password(password, identity.cli_secret) else None

    def get_user(self, user_id: int) -> User | None:
        return User.objects.filter(pk=user_id).first()
