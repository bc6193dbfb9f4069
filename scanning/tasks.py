"""Background jobs of the scanner, run by the Celery worker.

Scans take only the report id (the job record): see `jobs.execute`. Scan-all and its items go
to their own queue (`settings.CELERY_TASK_ROUTES`), so a manual scan never waits behind them.
"""

from __future__ import annotations

from celery import shared_task

from . import jobs
from . import scan_all as scan_all_jobs
from .vulndb.importer import ImportResult, refresh_configured


@shared_task(name="scanning.refresh_vulndb")
def refresh_vulndb() -> dict[str, str]:
    """Refresh every configured OSV feed (daily by default, `HARBOR_VULNDB_REFRESH_HOURS`).

    Idempotent: unchanged feeds cost a 304 and unchanged records are skipped, so a retried or
    doubled run does no harm. Each source's outcome is recorded on it; the return value is a
    summary for the worker's log.
    """
    summary = {}
    for outcome in refresh_configured():
        if isinstance(outcome, ImportResult):
            summary[outcome.source] = "not modified" if outcome.not_modified else f"{outcome.written} written"
        else:
            summary[type(outcome).__name__] = str(outcome)
    return summary


@shared_task(name="scanning.run_scan")
def run_scan(report_id: int) -> str:
    return jobs.execute(report_id)


@shared_task(name="scanning.run_scan_all_item")
def run_scan_all_item(report_id: int) -> str:
    return jobs.execute(report_id)


@shared_task(name="scanning.scan_all")
def scan_all(run_id: int | None = None, trigger: str = "Schedule") -> int:
    """Enqueue a scan of every scannable artifact (beat calls it with no run: a scheduled run)."""
    return scan_all_jobs.fan_out(run_id, trigger)


@shared_task(name="scanning.run_cve_export")
def run_cve_export(export_id: int) -> str:
    """One CVE export (`POST /export/cve`); a message delivered twice runs it once."""
    from .cve_export import run_export

    return run_export(export_id)
