"""How the OpenAPI document describes the vulnerability database status (our extension)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers


@extend_schema_serializer(component_name="VulnerabilityDatabaseSource")
class VulnSourceSerializer(serializers.Serializer):
    name = serializers.CharField()
    location = serializers.CharField(help_text="URL or local path of the OSV feed")
    ecosystem = serializers.CharField(allow_blank=True)
    advisory_count = serializers.IntegerField(help_text="valid records read by the last import")
    last_import_at = serializers.DateTimeField(allow_null=True, help_text="last successful import")
    last_attempt_at = serializers.DateTimeField(allow_null=True)
    last_error = serializers.CharField(allow_blank=True, help_text="empty when the last attempt succeeded")
    skipped_count = serializers.IntegerField(help_text="malformed records skipped by the last import")
    warnings = serializers.ListField(
        child=serializers.CharField(), help_text="why the first of them were skipped (at most 100)"
    )


@extend_schema_serializer(component_name="VulnerabilityDatabaseStatus")
class VulnDBStatusSerializer(serializers.Serializer):
    advisory_count = serializers.IntegerField()
    affected_package_count = serializers.IntegerField()
    updated_at = serializers.DateTimeField(
        allow_null=True, help_text="newest successful import of any source"
    )
    newest_advisory_modified_at = serializers.DateTimeField(allow_null=True)
    sources = VulnSourceSerializer(many=True)
