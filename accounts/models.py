"""The user model.

A custom user model from the first migration, because swapping it later is a
painful data migration. Harbor's "sysadmin_flag" is Django's `is_superuser`.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class GroupType(models.IntegerChoices):
    """Harbor's group_type values."""

    LDAP = 1, "LDAP"
    HTTP = 2, "HTTP"
    OIDC = 3, "OIDC"


class UserGroup(models.Model):
    """A group of users from a directory (LDAP DN) or an identity provider (OIDC claim).

    Groups can be project members; a user's roles are the union of their own and
    their groups'. Memberships are refreshed when the user logs in (as Harbor does,
    there is no background sync).
    """

    name = models.CharField(max_length=255)
    group_type = models.PositiveSmallIntegerField(choices=GroupType.choices)
    ldap_group_dn = models.CharField(max_length=512, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["group_type", "name"], name="unique_group_name_per_type"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.get_group_type_display()})"


class User(AbstractUser):
    """A human account; `is_superuser` is Harbor's system administrator."""

    realname = models.CharField(max_length=255, blank=True)
    comment = models.CharField(max_length=255, blank=True)
    harbor_groups = models.ManyToManyField(UserGroup, blank=True, related_name="users")
    # Set at each LDAP/OIDC login from the admin group (Harbor's admin_role_in_auth).
    is_directory_admin = models.BooleanField(default=False)

    @property
    def is_sysadmin(self) -> bool:
        return self.is_superuser or self.is_directory_admin

    def has_perm(self, perm: str, obj: object = None) -> bool:
        # Directory administrators operate the admin like superusers do.
        return (self.is_active and self.is_directory_admin) or super().has_perm(perm, obj)

    def has_module_perms(self, app_label: str) -> bool:
        return (self.is_active and self.is_directory_admin) or super().has_module_perms(app_label)


class OIDCIdentity(models.Model):
    """Links a user to their identity at the OIDC provider, and holds their CLI secret.

    The CLI secret is what docker/podman send as the password for an OIDC user
    (who has no local password). It is stored hashed and shown once when set.
    """

    user = models.OneToOneField(User, on_delete=models.CASCADE, related_name="oidc_identity")
    subject = models.CharField(max_length=255)
    issuer = models.CharField(max_length=512)
    cli_secret = models.CharField(max_length=255, blank=True, help_text="a Django password hash")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [models.UniqueConstraint(fields=["issuer", "subject"], name="unique_oidc_subject")]

    def __str__(self) -> str:
        return f"{self.user} at {self.issuer}"
