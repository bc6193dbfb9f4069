"""What the portal's live pages show of background work, and the notice that it changed.

A job's state lives in the database (a vulnerability-database import records its outcome on
its source; scan jobs on their reports), written by Celery workers in other processes. A live
page's websocket consumer reads `jobs_snapshot()` when it opens, whenever a notice arrives on
the channel layer (Redis in production: instant), and every `LIVE_POLL_SECONDS` otherwise
(the in-memory layer of the embedded mode does not cross processes). It sends only changes.
"""

from __future__ import annotations

import logging
from typing import Any

from asgiref.sync import async_to_sync
from django.contrib.auth.models import AbstractBaseUser, AnonymousUser
from django.db import transaction

from projects.permissions import visible_projects
from projects.principals import principal_for_user
from scanning.models import ScanReport, VulnSource

logger = logging.getLogger(__name__)

JOBS_GROUP = "jobs"
RECENT_SCANS = 50  # the newest scans a page follows


def _vulndb_rows() -> list[dict[str, Any]]:
    rows = []
    for source in VulnSource.objects.order_by("name"):
        if source.last_error:
            status = "failed"
        elif source.last_import_at:
            status = "imported"
        else:
            status = "pending"
        rows.append(
            {
                "id": f"vulndb-{source.pk}",
                "kind": "vulndb",
                "name": source.name,
                "status": status,
                "detail": source.last_error or f"{source.advisory_count} advisories",
                "updated": (source.last_attempt_at.isoformat() if source.last_attempt_at else ""),
            }
        )
    return rows


def _scan_detail(report: ScanReport) -> str:
    if report.status == ScanReport.SUCCESS:
        return f"{report.total} vulnerabilities ({report.critical} critical, {report.high} high)"
    if report.status == ScanReport.ERROR:
        return (report.log.strip().splitlines() or ["failed"])[-1][:200]
    return ""


def _scan_rows(user: AbstractBaseUser) -> list[dict[str, Any]]:
    """The newest scans of repositories in projects the user can see (the repository's first
    path component is its project)."""
    names = set(visible_projects(principal_for_user(user)).values_list("name", flat=True))
    rows = []
    for report in ScanReport.objects.order_by("-updated_at", "-id")[: RECENT_SCANS * 4]:
        if report.repository.split("/", 1)[0] not in names:
            continue
        rows.append(
            {
                "id": f"scan-{report.uuid}",
                "kind": "scan",
                "name": f"{report.repository}@{report.digest[:19]}",
                "status": report.status.lower(),
                "detail": _scan_detail(report),
                "updated": report.updated_at.isoformat(),
            }
        )
        if len(rows) == RECENT_SCANS:
            break
    return rows


def jobs_snapshot(user: AbstractBaseUser | AnonymousUser) -> list[dict[str, Any]]:
    """The background jobs `user` may follow: the newest scans of the projects they can see,
    and the vulnerability database's imports (readable by every authenticated user, as
    `/api/v2.0/vulndb/status` is)."""
    if not user.is_authenticated:
        return []
    return _scan_rows(user) + _vulndb_rows()


def job_saved(**_: Any) -> None:
    """A job record changed: notify once its transaction commits (earlier, a page would read
    the old state)."""
    transaction.on_commit(notify_jobs_changed)


def notify_jobs_changed() -> None:
    """Tell open live pages to look again now. Best effort: a page that misses the notice
    still sees the change at its next poll, so a channel-layer failure is only logged."""
    # Imported here: web workers save job records rarely, and need Channels for nothing else.
    from channels.layers import get_channel_layer

    layer = get_channel_layer()
    if layer is None:
        return
    try:
        async_to_sync(layer.group_send)(JOBS_GROUP, {"type": "jobs.changed"})
    except Exception:  # never let a notice break the job that sends it
        logger.warning("could not notify live pages", exc_info=True)
