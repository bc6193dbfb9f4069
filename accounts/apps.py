from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Users of the registry (local now; LDAP and OIDC join later)."""

    name = "accounts"
