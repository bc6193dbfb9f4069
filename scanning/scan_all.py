"""Scan-all: one run scans every scannable artifact, by hand or on a cron schedule.

The schedule is a django-celery-beat PeriodicTask (beat already reads its tables), written from
Harbor's Schedule body; Harbor's cron has six fields, seconds first, which beat's crontab has
not (the seconds field must be 0). A run's reports point at it, which gives the metrics.
"""

from __future__ import annotations

import json
from typing import Any

from celery.schedules import crontab
from django.db import transaction
from django.db.models import Count
from django.utils import timezone
from django_celery_beat.models import CrontabSchedule, PeriodicTask

from registry.models import Artifact
from registry.oci import mediatypes as mt

from .jobs import ONGOING, NotScannable, ScanInProgress, request_scan
from .scan_models import ScanAllRun, ScanReport

TASK_NAME = "scan-all"
PRESETS = {"Hourly": "0 0 * * * *", "Daily": "0 0 0 * * *", "Weekly": "0 0 0 * * 0"}
TYPES = ("None", "Hourly", "Daily", "Weekly", "Custom", "Manual", "Schedule")


class ScheduleError(ValueError):
    pass


def start(trigger: str = "Manual", requester: str = "") -> ScanAllRun:
    """A new run, fanned out by the worker of the scan-all queue."""
    from .tasks import scan_all

    if ScanReport.objects.filter(
        scan_all_run__stopped=False, scan_all_run__isnull=False, status__in=ONGOING
    ).exists():
        raise ScanInProgress("a scan-all run is still in progress")
    run = ScanAllRun.objects.create(trigger=trigger, requester=requester)
    transaction.on_commit(lambda: scan_all.delay(run.pk, trigger))
    return run


def fan_out(run_id: int | None, trigger: str) -> int:
    """Ask a scan of each scannable artifact for this run; how many were asked."""
    run = (
        ScanAllRun.objects.filter(pk=run_id).first() if run_id else ScanAllRun.objects.create(trigger=trigger)
    )
    if run is None or run.stopped:
        return 0
    asked = 0
    images = Artifact.objects.filter(media_type__in=mt.IMAGE_MANIFESTS, subject_digest="")
    for artifact in images.select_related("repository__project").order_by("id").iterator(chunk_size=500):
        if ScanAllRun.objects.filter(pk=run.pk, stopped=True).exists():
            break
        try:
            request_scan(artifact, "vulnerability", run=run)
            asked += 1
        except (NotScannable, ScanInProgress):
            continue
    return asked


def stop() -> None:
    run = ScanAllRun.objects.first()
    if run is None or run.stopped:
        raise ScanInProgress("no scan-all run is in progress")
    ScanAllRun.objects.filter(pk=run.pk).update(stopped=True)
    ScanReport.objects.filter(scan_all_run=run, status__in=ONGOING).update(
        status=ScanReport.STOPPED, end_time=timezone.now()
    )


def metrics() -> dict[str, Any]:
    """Harbor's Stats of the latest run: total, completed, per-status counts, ongoing, trigger."""
    run = ScanAllRun.objects.first()
    if run is None:
        return {"total": 0, "completed": 0, "metrics": {}, "ongoing": False, "trigger": "", "requester": ""}
    counts = dict(
        ScanReport.objects.filter(scan_all_run=run).values_list("status").annotate(n=Count("id")).order_by()
    )
    total = sum(counts.values())
    completed = sum(n for status, n in counts.items() if status in ScanReport.FINISHED)
    return {
        "total": total,
        "completed": completed,
        "metrics": counts,
        "ongoing": not run.stopped and completed < total,
        "trigger": run.trigger,
        "requester": run.requester,
    }


def schedule() -> dict[str, Any]:
    task = PeriodicTask.objects.filter(name=TASK_NAME).select_related("crontab").first()
    if task is None or task.crontab is None:
        return {"schedule": {"type": "None", "cron": ""}}
    cron = json.loads(task.description or "{}")
    return {
        "id": task.pk,
        "schedule": {"type": cron.get("type", "Custom"), "cron": cron.get("cron", "")},
        "creation_time": task.date_changed,
        "update_time": task.date_changed,
    }


def set_schedule(kind: str, cron: str, requester: str = "") -> None:
    """None removes the schedule; Manual runs now; the rest (re)write the periodic task."""
    if kind not in TYPES:
        raise ScheduleError(f"unknown schedule type {kind!r}; one of {', '.join(TYPES)}")
    if kind == "Manual":
        start("Manual", requester)
        return
    if kind == "None":
        PeriodicTask.objects.filter(name=TASK_NAME).delete()
        return
    cron = PRESETS.get(kind, cron)
    fields = cron.split()
    if len(fields) != 6 or fields[0] != "0":
        raise ScheduleError(f"cron {cron!r}: six fields, seconds first and 0 (e.g. '0 0 0 * * *')")
    minute, hour, day, month, weekday = fields[1:]
    try:
        crontab(minute=minute, hour=hour, day_of_month=day, month_of_year=month, day_of_week=weekday)
    except (ValueError, IndexError) as error:
        raise ScheduleError(f"cron {cron!r}: {error}") from None
    row, _ = CrontabSchedule.objects.get_or_create(
        minute=minute, hour=hour, day_of_month=day, month_of_year=month, day_of_week=weekday
    )
    PeriodicTask.objects.update_or_create(
        name=TASK_NAME,
        defaults={
            "task": "scanning.scan_all",
            "crontab": row,
            "interval": None,
            "enabled": True,
            "kwargs": json.dumps({"trigger": "Schedule"}),
            "queue": "scan_all",
            "description": json.dumps({"type": kind, "cron": cron}),
        },
    )
