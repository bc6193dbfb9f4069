"""Background jobs of the scanner, run by the Celery worker on beat's schedule."""

from __future__ import annotations

from celery import shared_task

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
