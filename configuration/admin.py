"""The stored configuration values, for operators to look at. They are changed through the
REST API, the portal's settings page or `harborctl`, which validate and audit every change."""

from __future__ import annotations

from django.contrib import admin

from harbor_site.admin_base import ReadOnlyAdmin

from .keys import KEYS
from .models import ConfigEntry


@admin.register(ConfigEntry)
class ConfigEntryAdmin(ReadOnlyAdmin):
    list_display = ("key", "shown_value", "updated_at")
    search_fields = ("key",)
    exclude = ("value",)
    readonly_fields = ("key", "shown_value", "updated_at")

    @admin.display(description="value")
    def shown_value(self, entry: ConfigEntry) -> object:
        """Secrets (LDAP search password, OIDC client secret) are never shown."""
        key = KEYS.get(entry.key)
        return "********" if key is not None and key.secret else entry.value
