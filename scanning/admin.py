"""The scanner in the admin, read-only: imports write the vulnerability database, and scanner
registrations, project scanners and scans are changed through the API (checked, audited)."""

from django.contrib import admin

from harbor_site.admin_base import ReadOnlyAdmin

from .models import (
    Advisory,
    AffectedPackage,
    CVEExport,
    ProjectScanner,
    ScanAllRun,
    ScannerRegistration,
    ScanReport,
    VulnSource,
)


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


@admin.register(ScannerRegistration)
class ScannerRegistrationAdmin(ReadOnlyAdmin):
    """Registrations are managed through `/api/v2.0/scanners` (which checks and masks them);
    here operators see them, without the credential."""

    list_display = ("name", "url", "auth", "is_default", "disabled", "builtin", "updated_at")
    exclude = ("access_credential",)
    search_fields = ("name", "url")


@admin.register(ScanReport)
class ScanReportAdmin(ReadOnlyAdmin):
    list_display = (
        "digest",
        "repository",
        "registration",
        "mime_type",
        "status",
        "severity",
        "total",
        "end_time",
    )
    list_select_related = ("registration",)
    list_filter = ("status", "registration", "severity")
    search_fields = ("digest", "repository")
    exclude = ("report",)


@admin.register(ProjectScanner)
class ProjectScannerAdmin(ReadOnlyAdmin):
    list_display = ("project", "registration")
    list_select_related = ("project", "registration")
    search_fields = ("project__name",)


@admin.register(ScanAllRun)
class ScanAllRunAdmin(ReadOnlyAdmin):
    list_display = ("id", "trigger", "requester", "started_at", "stopped")
    list_filter = ("trigger", "stopped")


@admin.register(CVEExport)
class CVEExportAdmin(ReadOnlyAdmin):
    """Exports are asked for through `/export/cve`; the CSV itself stays out of the page."""

    list_display = ("id", "username", "job_name", "status", "start_time", "end_time")
    list_filter = ("status",)
    search_fields = ("username", "job_name")
    exclude = ("csv",)
