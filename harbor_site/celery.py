"""The Celery application: workers run scans, replication, GC and housekeeping."""

from __future__ import annotations

import os

from celery import Celery

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbor_site.settings")

app = Celery("harbor")
app.config_from_object("django.conf:settings", namespace="CELERY")
app.autodiscover_tasks()
