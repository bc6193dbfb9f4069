"""Background jobs, live: the page renders the current state and opens `/ws/jobs/`, whose
consumer sends every change (see `portal/live.py`)."""

from __future__ import annotations

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from ..live import jobs_snapshot


def live_url(request: HttpRequest) -> str:
    """`HARBOR_LIVE_URL` when a proxy publishes the websocket server, else the page's own host
    on `HARBOR_LIVE_PORT` (cookies are per host, not per port, so the session goes along)."""
    if settings.LIVE_URL:
        return settings.LIVE_URL.rstrip("/") + "/ws/jobs/"
    scheme = "wss" if request.is_secure() else "ws"
    host = (
        request.get_host().rsplit(":", 1)[0] if not request.get_host().endswith("]") else request.get_host()
    )
    return f"{scheme}://{host}:{settings.LIVE_PORT}/ws/jobs/"


@login_required
def job_list(request: HttpRequest) -> HttpResponse:
    context = {"jobs": jobs_snapshot(request.user), "live_url": live_url(request)}
    return render(request, "portal/jobs.html", context)
