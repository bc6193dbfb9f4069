"""How the OpenAPI document describes the audit log: the shapes `events/api.py` returns,
under Harbor's swagger names (AuditLogExt, AuditLog, AuditLogEventType)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers


@extend_schema_serializer(component_name="AuditLog")
class AuditLogSerializer(serializers.Serializer):
    """The legacy entry of `/audit-logs` and `/projects/{p}/logs`."""

    id = serializers.IntegerField()
    username = serializers.CharField()
    resource = serializers.CharField(allow_blank=True)
    resource_type = serializers.CharField()
    operation = serializers.CharField()
    op_time = serializers.DateTimeField()


@extend_schema_serializer(component_name="AuditLogExt")
class AuditLogExtSerializer(AuditLogSerializer):
    operation_description = serializers.CharField(allow_blank=True)
    operation_result = serializers.BooleanField()


@extend_schema_serializer(component_name="AuditLogEventType")
class AuditLogEventTypeSerializer(serializers.Serializer):
    event_type = serializers.CharField(help_text="e.g. create_artifact, delete_project, login_user")
