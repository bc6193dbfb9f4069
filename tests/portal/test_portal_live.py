"""Live job updates: the `/ws/jobs/` websocket of `harbor_site.asgi`, driven through the ASGI
application itself with a real session, and the page that opens it."""

from __future__ import annotations

from typing import Any

import pytest
from asgiref.sync import async_to_sync
from channels.db import database_sync_to_async
from channels.testing import WebsocketCommunicator
from django.test import Client
from django.utils import timezone

from harbor_site.asgi import application
from projects.models import Project, ProjectMember
from projects.rbac import Role
from scanning.models import ScannerRegistration, ScanReport, VulnSource
from tests.conftest import ADMIN_PASSWORD

# serialized_rollback: the flush after each test would also remove what data migrations made (the
# built-in scanner registration), which later tests in the same process rely on.
pytestmark = pytest.mark.django_db(transaction=True, serialized_rollback=True)


def _session_cookie(username: str = "admin", password: str = ADMIN_PASSWORD) -> str:
    client = Client()
    assert client.post("/login", {"username": username, "password": password}).status_code == 302
    return client.cookies["sessionid"].value


def _communicator(cookie: str | None, origin: str = "http://registry.example:8080") -> WebsocketCommunicator:
    """A socket opened as the portal's page opens it: same host, the live port."""
    headers = [(b"origin", origin.encode()), (b"host", b"registry.example:8081")]
    if cookie:
        headers.append((b"cookie", f"sessionid={cookie}".encode()))
    return WebsocketCommunicator(application, "/ws/jobs/", headers=headers)


def _run(coroutine_function: Any) -> Any:
    return async_to_sync(coroutine_function)()


def test_a_logged_in_user_sees_jobs_change_without_reloading(admin_user, settings):
    settings.LIVE_POLL_SECONDS = 0.2
    VulnSource.objects.create(name="debian", location="/srv/osv/debian.zip")
    cookie = _session_cookie()

    async def scenario() -> None:
        socket = _communicator(cookie)
        connected, _ = await socket.connect()
        assert connected
        first = await socket.receive_json_from(timeout=5)
        assert [(job["name"], job["status"]) for job in first["jobs"]] == [("debian", "pending")]

        # A worker finishes the import (another process would write the same rows).
        def finish() -> None:
            VulnSource.objects.filter(name="debian").update(
                last_import_at=timezone.now(), last_attempt_at=timezone.now(), advisory_count=42
            )

        await database_sync_to_async(finish)()
        update = await socket.receive_json_from(timeout=5)
        assert update["jobs"][0]["status"] == "imported" and update["jobs"][0]["detail"] == "42 advisories"
        assert await socket.receive_nothing(timeout=0.5)  # nothing changed: nothing sent
        await socket.disconnect()

    _run(scenario)


def test_a_save_notifies_at_once_through_the_channel_layer(admin_user, settings):
    settings.LIVE_POLL_SECONDS = 60  # no poll during the test: only the notice can deliver it
    source = VulnSource.objects.create(name="pypi", location="/srv/osv/pypi.zip")
    cookie = _session_cookie()

    async def scenario() -> None:
        socket = _communicator(cookie)
        assert (await socket.connect())[0]
        await socket.receive_json_from(timeout=5)

        def fail() -> None:
            source.last_error = "download failed: 503"
            source.save()  # post_save -> on commit -> group_send

        await database_sync_to_async(fail)()
        update = await socket.receive_json_from(timeout=5)
        assert update["jobs"][0]["status"] == "failed" and "503" in update["jobs"][0]["detail"]
        await socket.disconnect()

    _run(scenario)


def test_anonymous_and_foreign_origins_are_refused(admin_user):
    cookie = _session_cookie()

    async def scenario() -> None:
        anonymous = _communicator(None)
        connected, code = await anonymous.connect()
        assert not connected and code == 4401
        for origin in ("http://evil.example", "http://registry.example.evil.example:8080", ""):
            foreign = _communicator(cookie, origin=origin)
            connected, _ = await foreign.connect()
            assert not connected, origin

    _run(scenario)


def test_the_jobs_page_renders_the_state_and_names_the_websocket(admin_user, settings, client):
    settings.LIVE_PORT = 9191
    VulnSource.objects.create(name="npm", location="/srv/osv/npm.zip", last_error="offline")
    assert client.get("/jobs").status_code == 302  # log in first
    client.post("/login", {"username": "admin", "password": ADMIN_PASSWORD})
    body = client.get("/jobs", HTTP_HOST="registry.example:8080").content.decode()
    assert 'data-live="ws://registry.example:9191/ws/jobs/"' in body
    assert "npm" in body and "failed" in body and "offline" in body
    settings.LIVE_URL = "wss://live.example/"
    assert 'data-live="wss://live.example/ws/jobs/"' in client.get("/jobs").content.decode()


def test_scans_are_followed_only_in_visible_projects(admin_user, django_user_model, client):
    secret = Project.objects.create(name="secret")
    builtin = ScannerRegistration.objects.get(builtin=True)
    ScanReport.objects.create(
        digest="sha256:" + "a" * 64,
        registration=builtin,
        mime_type="application/vnd.security.vulnerability.report; version=1.1",
        repository="secret/app",
        status=ScanReport.SUCCESS,
        total=3,
        critical=1,
    )
    django_user_model.objects.create_user("member", password="Password1")
    django_user_model.objects.create_user("outsider", password="Password1")
    ProjectMember.objects.create(
        project=secret, user=django_user_model.objects.get(username="member"), role=Role.GUEST
    )

    def page(username: str) -> str:
        visitor = Client()
        visitor.post("/login", {"username": username, "password": "Password1"})
        return visitor.get("/jobs").content.decode()

    assert "secret/app@sha256:aaaaaaaaaaaa" in page("member") and "3 vulnerabilities (1 critical" in page(
        "member"
    )
    assert "secret/app" not in page("outsider")
