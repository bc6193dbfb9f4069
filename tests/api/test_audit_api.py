"""Audit logs over the API: system-wide for admins, per project for project admins."""

from __future__ import annotations

from datetime import timedelta

from django.test import Client
from django.utils import timezone

from events.models import AuditLog
from projects.models import Project, ProjectMember
from projects.rbac import Role

from ..conftest import basic

API = "/api/v2.0"


def make_entries(project: Project) -> None:
    now = timezone.now()
    for minutes, user, event, resource, project_id in (
        (3, "alice", "create_artifact", "team/app:v1", project.pk),
        (2, "bob", "pull_artifact", "team/app:v1", project.pk),
        (1, "alice", "create_project", "other", None),
    ):
        AuditLog.objects.create(
            op_time=now - timedelta(minutes=minutes),
            username=user,
            event_type=event,
            resource_type=event.split("_", 1)[1],
            resource=resource,
            operation=event.split("_")[0],
            project_id=project_id,
        )


def test_system_audit_log_newest_first_with_query(admin_client):
    make_entries(Project.objects.create(name="team"))
    everything = admin_client.get(f"{API}/auditlog-exts")
    assert everything["X-Total-Count"] == "3"
    assert [e["resource"] for e in everything.json()] == ["other", "team/app:v1", "team/app:v1"]
    alice = admin_client.get(f"{API}/auditlog-exts?q=username=alice,operation=create&sort=op_time")
    assert [e["resource"] for e in alice.json()] == ["team/app:v1", "other"]
    assert set(alice.json()[0]) == {
        "id",
        "username",
        "resource",
        "resource_type",
        "operation",
        "operation_description",
        "operation_result",
        "op_time",
    }
    fuzzy = admin_client.get(f"{API}/auditlog-exts?q=resource=~app")
    assert fuzzy["X-Total-Count"] == "2"
    legacy = admin_client.get(f"{API}/audit-logs").json()[0]
    assert "operation_description" not in legacy


def test_project_audit_log_for_project_admins_only(admin_client, django_user_model):
    team = Project.objects.create(name="team")
    make_entries(team)
    lead = django_user_model.objects.create_user("lead", password="Password1")
    guest = django_user_model.objects.create_user("guest", password="Password1")
    ProjectMember.objects.create(project=team, user=lead, role=Role.PROJECT_ADMIN)
    ProjectMember.objects.create(project=team, user=guest, role=Role.GUEST)
    lead_client = Client(HTTP_AUTHORIZATION=basic("lead", "Password1"))
    assert lead_client.get(f"{API}/projects/team/auditlog-exts")["X-Total-Count"] == "2"
    assert lead_client.get(f"{API}/auditlog-exts").status_code == 403
    assert (
        Client(HTTP_AUTHORIZATION=basic("guest", "Password1"))
        .get(f"{API}/projects/team/auditlog-exts")
        .status_code
        == 403
    )


def test_event_types(db):
    types = {entry["event_type"] for entry in Client().get(f"{API}/auditlog-exts/events").json()}
    assert {"create_artifact", "pull_artifact", "delete_artifact", "create_robot", "login_user"} <= types
