from django.contrib import admin

from harbor_site.admin_base import ReadOnlyAdmin

from .models import AuditLog


@admin.register(AuditLog)
class AuditLogAdmin(ReadOnlyAdmin):
    """Read-only: an audit log that can be edited is not an audit log."""

    list_display = ("op_time", "username", "event_type", "resource", "operation_result")
    list_filter = ("event_type", "operation_result")
    search_fields = ("username", "resource")
    date_hierarchy = "op_time"
