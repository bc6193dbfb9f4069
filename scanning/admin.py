"""The vulnerability database in the admin: read-only, since only imports write it."""

from django.contrib import admin

from harbor_site.admin_base import ReadOnlyAdmin

from .models import Advisory, AffectedPackage, VulnSource


@admin.register(VulnSource)
class VulnSourceAdmin(ReadOnlyAdmin):
    list_display = ("name", "ecosystem", "advisory_count", "last_import_at", "last_attempt_at", "last_error")
    search_fields = ("name", "location")


class AffectedPackageInline(admin.TabularInline):
    model = AffectedPackage
    fields = ("ecosystem", "package", "ranges", "versions", "severity")
    readonly_fields = fields
    extra = 0
    can_delete = False

    def has_add_permission(self, request, obj=None) -> bool:  # type: ignore[no-untyped-def]
        return False


@admin.register(Advisory)
class AdvisoryAdmin(ReadOnlyAdmin):
    list_display = ("osv_id", "severity", "summary", "modified", "source")
    list_select_related = ("source",)
    list_filter = ("severity", "source")
    search_fields = ("osv_id", "summary", "cve_ids")
    inlines = [AffectedPackageInline]
