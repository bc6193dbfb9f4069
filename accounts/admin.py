from django.contrib import admin
from django.contrib.auth.admin import UserAdmin

from .models import User


@admin.register(User)
class HarborUserAdmin(UserAdmin):
    """Operators manage accounts here; Harbor's sysadmin flag is `is_superuser`."""

    list_display = ("username", "email", "realname", "is_superuser", "is_active", "date_joined")
    fieldsets = (*UserAdmin.fieldsets, ("Harbor", {"fields": ("realname", "comment")}))
