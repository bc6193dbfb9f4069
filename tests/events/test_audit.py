"""The audit log: what gets recorded, the switches, forwarding to syslog, purging."""

from __future__ import annotations

import socket
import threading
from datetime import timedelta

from django.test import Client
from django.utils import timezone

from configuration.store import update_config
from events import bus
from events.models import AuditLog
from events.tasks import purge_audit_logs
from projects.principals import principal_for_user
from projects.robots import create_robot
from registry.models import Artifact, Tag

from ..conftest import ADMIN_PASSWORD
from ..registry.helpers import image_manifest, push_blob, push_image


def entries() -> list[tuple[str, str, str]]:
    return list(AuditLog.objects.order_by("id").values_list("event_type", "username", "resource"))


def test_push_pull_and_delete_are_recorded(admin_client, on_commit, library):
    digest, _ = on_commit(push_image, admin_client, "library/app", "v1")
    assert entries() == [("create_artifact", "admin", "library/app:v1")]
    assert AuditLog.objects.get().project_id == library.pk

    admin_client.get("/v2/library/app/manifests/v1")
    admin_client.get(f"/v2/library/app/manifests/{digest}")
    admin_client.head("/v2/library/app/manifests/v1")  # a HEAD is not a pull
    assert len(entries()) == 1  # pulls wait for the batch
    bus.flush()
    assert entries()[1:] == [
        ("pull_artifact", "admin", "library/app:v1"),
        ("pull_artifact", "admin", f"library/app@{digest}"),
    ]
    assert set(AuditLog.objects.filter(event_type="pull_artifact").values_list("project_id", flat=True)) == {
        library.pk
    }

    on_commit(admin_client.delete, f"/v2/library/app/manifests/{digest}")
    assert entries()[-1] == ("delete_artifact", "admin", f"library/app@{digest}")


def test_pulls_update_pull_times(admin_client, on_commit):
    on_commit(push_image, admin_client, "library/app", "v1")
    assert Artifact.objects.get().pull_time is None
    admin_client.get("/v2/library/app/manifests/v1")
    bus.flush()
    artifact = Artifact.objects.get()
    assert artifact.pull_time is not None
    assert Tag.objects.get().pull_time == artifact.pull_time


def test_failed_push_records_nothing(admin_client, on_commit):
    push_blob(admin_client, "library/app", b"{}")
    response = on_commit(
        admin_client.put,
        "/v2/library/app/manifests/v1",
        image_manifest(b"{}", [b"missing"]),
        content_type="application/vnd.oci.image.manifest.v1+json",
    )
    assert response.status_code == 404
    assert entries() == []


def test_disabled_event_types_and_pull_switch(admin_client, on_commit, settings):
    update_config({"disabled_audit_log_event_types": "create_artifact"})
    on_commit(push_image, admin_client, "library/app", "v1")
    assert entries() == []
    settings.PULL_AUDIT_LOG_DISABLE = True
    admin_client.get("/v2/library/app/manifests/v1")
    bus.flush()
    assert entries() == []
    assert Artifact.objects.get().pull_time is not None  # bookkeeping still happens


def test_robot_creation_is_recorded(admin_user, on_commit, library):
    permissions = [
        {"kind": "project", "namespace": "library", "access": [{"resource": "repository", "action": "pull"}]}
    ]
    on_commit(create_robot, "ci", permissions, project=library, creator=principal_for_user(admin_user))
    assert entries() == [("create_robot", "admin", "library+ci")]


class SyslogListener:
    """A TCP endpoint that collects what is sent to it, as a syslog collector would."""

    def __init__(self) -> None:
        self.server = socket.create_server(("127.0.0.1", 0))
        self.port = self.server.getsockname()[1]
        self.received = b""
        self.thread = threading.Thread(target=self._accept, daemon=True)
        self.thread.start()

    def _accept(self) -> None:
        connection, _ = self.server.accept()
        with connection:
            while chunk := connection.recv(65536):
                self.received += chunk


def test_forwarding_to_syslog_and_skipping_the_database(admin_client, on_commit):
    listener = SyslogListener()
    update_config(
        {"audit_log_forward_endpoint": f"127.0.0.1:{listener.port}", "skip_audit_log_database": True}
    )
    on_commit(push_image, admin_client, "library/fwd", "v1")
    assert entries() == []
    deadline = timezone.now() + timedelta(seconds=5)
    while b"library/fwd:v1" not in listener.received and timezone.now() < deadline:
        threading.Event().wait(0.05)
    line = listener.received.decode()
    assert "harbor-audit:" in line
    assert "user=admin type=create_artifact resource=library/fwd:v1 result=success" in line


def test_purge_keeps_recent_entries(db):
    now = timezone.now()
    for hours, event_type in ((1, "pull_artifact"), (50, "pull_artifact"), (50, "create_artifact")):
        AuditLog.objects.create(
            op_time=now - timedelta(hours=hours),
            username="u",
            event_type=event_type,
            resource_type="artifact",
            resource="p/r:t",
            operation="x",
        )
    assert purge_audit_logs(24, ["pull_artifact"], dry_run=True) == 1
    assert AuditLog.objects.count() == 3
    assert purge_audit_logs(24, ["pull_artifact"]) == 1
    assert purge_audit_logs(24) == 1
    assert list(AuditLog.objects.values_list("event_type", flat=True)) == ["pull_artifact"]


def test_session_logins_are_recorded(admin_user, on_commit):
    client = Client()
    on_commit(client.post, "/admin/login/", {"username": "admin", "password": ADMIN_PASSWORD})
    on_commit(client.post, "/admin/logout/")
    assert entries() == [("login_user", "admin", "admin"), ("logout_user", "admin", "admin")]
