"""Live job updates in a real browser: the jobs page of a live server (gunicorn) opens its
websocket on the ASGI server that `make run` starts beside it (uvicorn, `harbor_site.asgi`),
and a change a worker writes to the database appears without a reload."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator

import httpx
import pytest

from tests.server import ADMIN_PASSWORD, ROOT, LiveRegistry

from .test_portal_browser import browser, log_in, shot  # noqa: F401 - the browser fixture

pytestmark = pytest.mark.e2e

CREATE_SOURCE = (
    "from scanning.models import VulnSource; "
    "VulnSource.objects.create(name='debian', location='/srv/osv/debian.zip')"
)
FINISH_IMPORT = (
    "from django.utils import timezone; from scanning.models import VulnSource; "
    "s = VulnSource.objects.get(name='debian'); s.last_import_at = s.last_attempt_at = timezone.now(); "
    "s.advisory_count = 1234; s.save()"
)


@pytest.fixture
def asgi_server(registry: LiveRegistry) -> Iterator[int]:
    """uvicorn serving `harbor_site.asgi` where the server's pages look for it (its
    HARBOR_LIVE_PORT, as `make run` starts it), on the registry's database."""
    port = int(registry.env["HARBOR_LIVE_PORT"])
    command = [sys.executable, "-m", "uvicorn", "harbor_site.asgi:application", "--host", "127.0.0.1"]
    process = subprocess.Popen(
        [*command, "--port", str(port), "--ws", "websockets-sansio", "--log-level", "warning"],
        cwd=ROOT,
        env={**registry.env, "HARBOR_LIVE_POLL_SECONDS": "1"},
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            assert process.poll() is None, f"uvicorn exited (is port {port} taken?)"
            try:
                answer = httpx.get(f"http://127.0.0.1:{port}/api/v2.0/ping", timeout=1)
                # This uvicorn, not some other server that holds the port.
                assert answer.headers.get("server") == "uvicorn", answer.headers
                break
            except httpx.HTTPError:
                assert time.monotonic() < deadline, "uvicorn did not start"
                time.sleep(0.2)
        yield port
    finally:
        process.send_signal(signal.SIGTERM)
        process.wait(timeout=10)


def test_a_job_change_appears_without_reloading(registry: LiveRegistry, asgi_server, browser):  # noqa: F811
    registry.manage("shell", "-c", CREATE_SOURCE)
    page = browser.new_page()
    log_in(page, registry.url, "admin", ADMIN_PASSWORD)
    page.goto(f"{registry.url}/jobs")
    row = page.locator("tr[data-job]", has_text="debian")
    assert "pending" in row.inner_text()
    page.wait_for_function(
        "() => document.querySelector('[data-live-state]').dataset.connected === 'true'", timeout=10_000
    )
    registry.manage("shell", "-c", FINISH_IMPORT)
    page.wait_for_function(
        "() => document.querySelector('tr[data-job]')?.textContent.includes('imported')", timeout=10_000
    )
    assert "1234 advisories" in row.inner_text()
    shot(page, "jobs-live")
