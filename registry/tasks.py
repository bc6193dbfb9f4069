"""Housekeeping jobs of the registry, run by the Celery worker on beat's schedule."""

from __future__ import annotations

import logging
from datetime import timedelta

from celery import shared_task
from django.conf import settings
from django.utils import timezone

from .models import Upload
from .services.uploads import cancel_upload

logger = logging.getLogger(__name__)


@shared_task(name="registry.purge_stale_uploads")
def purge_stale_uploads() -> int:
    """Cancel uploads untouched for `UPLOAD_PURGE_HOURS` (Harbor's `upload_purging`, 168 h)."""
    cutoff = timezone.now() - timedelta(hours=settings.UPLOAD_PURGE_HOURS)
    purged = 0
    for upload in Upload.objects.filter(updated_at__lt=cutoff).select_related("repository").iterator():
        cancel_upload(upload)
        purged += 1
    if purged:
        logger.info("purged %d stale uploads", purged)
    return purged
