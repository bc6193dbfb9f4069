"""The Celery application: workers run scans, replication, GC and housekeeping."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbor_site.settings")

app = Celery("harbor")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()


def answering_workers(timeout: float = 1.0) -> list[str]:
    """The names of workers that answer a ping within `timeout` seconds (the first one ends the
    wait, so a healthy system answers quickly and only a dead one costs the whole timeout)."""
    replies = app.control.ping(timeout=timeout, limit=1)
    return [name for reply in replies for name in reply]
