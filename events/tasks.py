"""Audit log housekeeping, run by the Celery worker."""

from __future__ import annotations

from datetime import timedelta

from celery import shared_task
from django.utils import timezone

from .models import AuditLog


@shared_task(name="events.purge_audit_logs")
def purge_audit_logs(
    retention_hours: int, include_event_types: list[str] | None = None, dry_run: bool = False
) -> int:
    """Delete audit entries older than `retention_hours` (of the given event types; all if None).

    Returns how many entries were (or, in a dry run, would be) deleted.
    """
    old = AuditLog.objects.filter(op_time__lt=timezone.now() - timedelta(hours=retention_hours))
    if include_event_types:
        old = old.filter(event_type__in=include_event_types)
    if dry_run:
        return old.count()
    deleted, _ = old.delete()
    return deleted
