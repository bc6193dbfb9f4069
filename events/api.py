"""Audit logs over the API: `/auditlog-exts` (system), `/projects/{p}/auditlog-exts`, and the
legacy `/audit-logs` and `/projects/{p}/logs`."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api.permissions import allow_anyone, require
from harbor_site.api.query import Field
from harbor_site.api.schema import PROJECT_PATH, errors, ok, paging
from harbor_site.api.views import HarborAPIView, project_from_path
from projects.rbac import Action, Resource

from .api_schema import AuditLogEventTypeSerializer, AuditLogExtSerializer, AuditLogSerializer
from .audit import KINDS
from .models import AuditLog


def entry_json(entry: AuditLog) -> dict[str, Any]:
    return {
        "id": entry.pk,
        "username": entry.username,
        "resource": entry.resource,
        "resource_type": entry.resource_type,
        "operation": entry.operation,
        "operation_description": entry.operation_description,
        "operation_result": entry.operation_result,
        "op_time": entry.op_time,
    }


def legacy_json(entry: AuditLog) -> dict[str, Any]:
    keys = ("id", "username", "resource", "resource_type", "operation", "op_time")
    return {key: value for key, value in entry_json(entry).items() if key in keys}


class _AuditLogList(HarborAPIView):
    q_fields = {
        "username": Field("username"),
        "resource": Field("resource"),
        "resource_type": Field("resource_type"),
        "operation": Field("operation"),
        "event_type": Field("event_type"),
        "op_time": Field("op_time"),
    }
    sort_fields = {"op_time": "op_time", "id": "id", "username": "username"}
    default_ordering = ["-op_time", "-id"]
    serialize = staticmethod(entry_json)

    def _respond(self, request: Request, entries: Any) -> Response:
        return self.paged(
            request, self.filtered(request, entries), lambda page: [self.serialize(e) for e in page]
        )


class SystemAuditLogView(_AuditLogList):
    @extend_schema(
        operation_id="listAuditLogExts",
        tags=["auditlog"],
        summary="The audit log of the whole system (system administrators)",
        parameters=paging(),
        responses={**ok(AuditLogExtSerializer(many=True)), **errors(400, 403)},
    )
    def get(self, request: Request) -> Response:
        require(request, Action.LIST, Resource.AUDIT_LOG)
        return self._respond(request, AuditLog.objects.all())


class ProjectAuditLogView(_AuditLogList):
    @extend_schema(
        operation_id="getLogExts",
        tags=["project"],
        summary="The project's audit log",
        parameters=[*PROJECT_PATH, *paging()],
        responses={**ok(AuditLogExtSerializer(many=True)), **errors(400, 403, 404)},
    )
    def get(self, request: Request, project_name_or_id: str) -> Response:
        project = project_from_path(request, project_name_or_id)
        require(request, Action.LIST, Resource.LOG, project)
        return self._respond(request, AuditLog.objects.filter(project_id=project.pk))


@extend_schema_view(
    get=extend_schema(
        operation_id="listAuditLogs",
        deprecated=True,
        summary="The audit log of the whole system, in the legacy shape",
        responses={**ok(AuditLogSerializer(many=True)), **errors(400, 403)},
    )
)
class LegacySystemAuditLogView(SystemAuditLogView):
    serialize = staticmethod(legacy_json)


@extend_schema_view(
    get=extend_schema(
        operation_id="getLogs",
        deprecated=True,
        summary="The project's audit log, in the legacy shape",
        responses={**ok(AuditLogSerializer(many=True)), **errors(400, 403, 404)},
    )
)
class LegacyProjectAuditLogView(ProjectAuditLogView):
    serialize = staticmethod(legacy_json)


class AuditLogEventTypesView(HarborAPIView):
    @extend_schema(
        operation_id="listAuditLogEventTypes",
        tags=["auditlog"],
        summary="The event types the audit log records",
        responses=ok(AuditLogEventTypeSerializer(many=True)),
    )
    def get(self, request: Request) -> Response:
        allow_anyone(request)
        return Response([{"event_type": kind.event_type} for kind in KINDS.values()])
