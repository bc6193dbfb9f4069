from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User, UserGroup


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
