from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from harbor_site.admin_base import ReadOnlyAdmin

from .models import OIDCIdentity, User, UserGroup


@admin.register(User)
class HarborUserAdmin(UserAdmin):
    """Operators manage accounts here; Harbor's sysadmin flag is `is_superuser`."""

    list_display = ("username", "email", "realname", "is_superuser", "is_active", "date_joined")
    fieldsets = (*UserAdmin.fieldsets, ("Harbor", {"fields": ("realname", "comment", "harbor_groups")}))


@admin.register(UserGroup)
class UserGroupAdmin(admin.ModelAdmin):
    """Directory and identity-provider groups, usable as project members."""

    list_display = ("name", "group_type", "ldap_group_dn")
    list_filter = ("group_type",)
    search_fields = ("name", "ldap_group_dn")


@admin.register(OIDCIdentity)
class OIDCIdentityAdmin(ReadOnlyAdmin):
    """Who an OIDC user is at the provider. The CLI secret is a hash and is not shown; users
    set it through the API (`/users/{id}/cli_secret`)."""

    list_display = ("user", "subject", "issuer", "updated_at")
    list_select_related = ("user",)
    search_fields = ("user__username", "subject")
    exclude = ("cli_secret",)
