"""How the OpenAPI document describes the vulnerability database status (our extension)."""

from __future__ import annotations

from urllib.parse import urlsplit

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


# --- scanner registrations (harbor.md §3.3) -----------------------------------------------------

AUTH_TYPES = ["", "Basic", "Bearer", "X-ScannerAdapter-API-Key"]


@extend_schema_serializer(component_name="ScannerRegistration")
class ScannerRegistrationSerializer(serializers.Serializer):
    uuid = serializers.CharField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    url = serializers.CharField(
        help_text="the adapter's base URL, without /api/v1; builtin:// for the built-in one"
    )
    disabled = serializers.BooleanField()
    is_default = serializers.BooleanField()
    auth = serializers.ChoiceField(choices=AUTH_TYPES, allow_blank=True)
    access_credential = serializers.CharField(allow_blank=True, help_text="masked (*****) when set")
    skip_certVerify = serializers.BooleanField()
    use_internal_addr = serializers.BooleanField()
    create_time = serializers.DateTimeField()
    update_time = serializers.DateTimeField()
    adapter = serializers.CharField(required=False, allow_blank=True, help_text="single reads only")
    vendor = serializers.CharField(required=False, allow_blank=True)
    version = serializers.CharField(required=False, allow_blank=True)
    health = serializers.CharField(required=False, help_text="healthy or unhealthy: the adapter answered")
    capabilities = serializers.DictField(child=serializers.BooleanField(), required=False)


def _adapter_url(value: str) -> None:
    """Any http(s) URL with a host: adapters often have one-label names (`http://trivy:8080`),
    which Django's URLValidator refuses."""
    try:
        parts = urlsplit(value)
        parts.port  # noqa: B018 - raises on a bad port
    except ValueError:
        raise serializers.ValidationError("not a URL") from None
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise serializers.ValidationError("an http:// or https:// URL with a host")


class ScannerRequest(serializers.Serializer):
    """`POST /scanners`, `PUT /scanners/{uuid}` and `POST /scanners/ping` bodies."""

    name = serializers.RegexField(r"^[\w .-]{1,255}\Z", required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=1024)
    url = serializers.CharField(required=False, max_length=1000, validators=[_adapter_url])
    auth = serializers.ChoiceField(choices=AUTH_TYPES, required=False, allow_blank=True)
    access_credential = serializers.CharField(required=False, allow_blank=True, max_length=4096)
    skip_certVerify = serializers.BooleanField(required=False)
    use_internal_addr = serializers.BooleanField(required=False)
    disabled = serializers.BooleanField(required=False)


@extend_schema_serializer(component_name="ScannerRegistrationReq")
class ScannerRequestSerializer(ScannerRequest):
    pass


@extend_schema_serializer(component_name="IsDefault")
class IsDefaultSerializer(serializers.Serializer):
    is_default = serializers.BooleanField()


@extend_schema_serializer(component_name="ProjectScanner")
class ProjectScannerSerializer(serializers.Serializer):
    uuid = serializers.CharField()


class _ScannerSerializer(serializers.Serializer):
    name = serializers.CharField()
    vendor = serializers.CharField()
    version = serializers.CharField()


@extend_schema_serializer(component_name="Scanner")
class ScannerSerializer(_ScannerSerializer):
    pass


@extend_schema_serializer(component_name="ScannerCapability")
class ScannerCapabilitySerializer(serializers.Serializer):
    type = serializers.CharField(required=False)
    consumes_mime_types = serializers.ListField(child=serializers.CharField())
    produces_mime_types = serializers.ListField(child=serializers.CharField())
    additional_attributes = serializers.DictField(required=False)


@extend_schema_serializer(component_name="ScannerAdapterMetadata")
class ScannerMetadataSerializer(serializers.Serializer):
    scanner = ScannerSerializer()
    capabilities = ScannerCapabilitySerializer(many=True)
    properties = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)


# --- scans and scan-all ------------------------------------------------------------------------


class ScanRequest(serializers.Serializer):
    scan_type = serializers.ChoiceField(choices=["vulnerability", "sbom"], required=False)


@extend_schema_serializer(component_name="ScanType")
class ScanTypeSerializer(ScanRequest):
    pass


@extend_schema_serializer(component_name="Stats")
class StatsSerializer(serializers.Serializer):
    total = serializers.IntegerField()
    completed = serializers.IntegerField()
    metrics = serializers.DictField(child=serializers.IntegerField(), help_text="reports per status")
    ongoing = serializers.BooleanField()
    trigger = serializers.CharField(allow_blank=True, help_text="Manual or Schedule")
    requester = serializers.CharField(allow_blank=True)


class _ScheduleObj(serializers.Serializer):
    type = serializers.ChoiceField(
        choices=["None", "Hourly", "Daily", "Weekly", "Custom", "Manual", "Schedule"]
    )
    cron = serializers.CharField(required=False, allow_blank=True, help_text="six fields, seconds first")


@extend_schema_serializer(component_name="ScheduleObj")
class ScheduleObjSerializer(_ScheduleObj):
    pass


class ScheduleRequest(serializers.Serializer):
    schedule = ScheduleObjSerializer()
    parameters = serializers.DictField(required=False)


@extend_schema_serializer(component_name="Schedule")
class ScheduleSerializer(serializers.Serializer):
    id = serializers.IntegerField(required=False)
    schedule = ScheduleObjSerializer()
    creation_time = serializers.DateTimeField(required=False)
    update_time = serializers.DateTimeField(required=False)


# --- security hub -----------------------------------------------------------------------------


class _DangerousCVE(serializers.Serializer):
    cve_id = serializers.CharField()
    severity = serializers.CharField()
    cvss_score_v3 = serializers.FloatField()
    desc = serializers.CharField(allow_blank=True)
    package = serializers.CharField()
    version = serializers.CharField(allow_blank=True)


@extend_schema_serializer(component_name="DangerousCVE")
class DangerousCVESerializer(_DangerousCVE):
    pass


class _DangerousArtifact(serializers.Serializer):
    project_id = serializers.IntegerField()
    repository_name = serializers.CharField()
    digest = serializers.CharField()
    critical_cnt = serializers.IntegerField()
    high_cnt = serializers.IntegerField()
    medium_cnt = serializers.IntegerField()


@extend_schema_serializer(component_name="DangerousArtifact")
class DangerousArtifactSerializer(_DangerousArtifact):
    pass


@extend_schema_serializer(component_name="SecuritySummary")
class SecuritySummarySerializer(serializers.Serializer):
    critical_cnt = serializers.IntegerField()
    high_cnt = serializers.IntegerField()
    medium_cnt = serializers.IntegerField()
    low_cnt = serializers.IntegerField()
    none_cnt = serializers.IntegerField(help_text="scanned artifacts without vulnerabilities")
    unknown_cnt = serializers.IntegerField()
    total_vuls = serializers.IntegerField()
    scanned_cnt = serializers.IntegerField()
    total_artifact = serializers.IntegerField()
    fixable_cnt = serializers.IntegerField()
    dangerous_cves = DangerousCVESerializer(many=True, required=False)
    dangerous_artifacts = DangerousArtifactSerializer(many=True, required=False)


@extend_schema_serializer(component_name="VulnerabilityItem")
class VulnerabilityItemSerializer(serializers.Serializer):
    project_id = serializers.IntegerField()
    repository_name = serializers.CharField()
    digest = serializers.CharField()
    tags = serializers.ListField(child=serializers.CharField(), required=False)
    cve_id = serializers.CharField()
    severity = serializers.CharField()
    cvss_v3_score = serializers.FloatField()
    package = serializers.CharField()
    version = serializers.CharField(allow_blank=True)
    fixed_version = serializers.CharField(allow_blank=True)
    desc = serializers.CharField(allow_blank=True)
    links = serializers.ListField(child=serializers.CharField())
