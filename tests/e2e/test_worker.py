"""A real Celery worker, on the broker the settings select, runs the registry's housekeeping.

Embedded mode uses the file-system broker; CI's second run sets HARBOR_REDIS_URL,
so the same test then goes through Redis.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import httpx
import pytest

from tests.server import ADMIN_PASSWORD, ROOT

pytestmark = pytest.mark.e2e

AGE_UPLOADS = (
    "from datetime import timedelta; from django.utils import timezone; "
    "from registry.models import Upload; "
    "Upload.objects.update(updated_at=timezone.now() - timedelta(days=30))"
)
ENQUEUE = "from registry.tasks import purge_stale_uploads; purge_stale_uploads.delay()"


def test_worker_purges_stale_uploads(registry):
    auth = ("admin", ADMIN_PASSWORD)
    started = httpx.post(f"{registry.url}/v2/library/stale/blobs/uploads/", auth=auth)
    assert started.status_code == 202
    location = registry.url + started.headers["Location"]
    patched = httpx.patch(
        location,
        content=b"abandoned",
        headers={"Content-Range": "0-8", "Content-Type": "application/octet-stream"},
        auth=auth,
    )
    assert patched.status_code == 202
    registry.manage("shell", "-c", AGE_UPLOADS)
    assert _workers_health(registry) == "unhealthy"

    worker = subprocess.Popen(
        [sys.executable, "-m", "celery", "-A", "harbor_site", "worker", "--concurrency=1", "--loglevel=INFO"],
        cwd=ROOT,
        env=registry.env,
        stdout=subprocess.DEVNULL,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        registry.manage("shell", "-c", ENQUEUE)
        deadline = time.monotonic() + 60
        while httpx.get(location, auth=auth).status_code != 404:
            assert worker.poll() is None, "the worker died"
            assert time.monotonic() < deadline, "the worker did not purge the stale upload"
            time.sleep(0.5)
        assert _workers_health(registry) == "healthy"
    finally:
        os.killpg(worker.pid, signal.SIGTERM)
        worker.wait(timeout=30)
    staged = list((registry.data_dir / "registry" / "uploads").glob("*"))
    assert staged == []


def _workers_health(registry) -> str:
    """The `workers` component of `/api/v2.0/health` (anyone may ask)."""
    report = httpx.get(f"{registry.url}/api/v2.0/health", timeout=10).json()
    return next(c["status"] for c in report["components"] if c["name"] == "workers")
