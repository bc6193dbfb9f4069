"""How the OpenAPI document describes the system endpoints of `system.py`: ping, version,
system info, volumes, health and statistics (Harbor's GeneralInfo, SystemInfo,
OverallHealthStatus, Statistic)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers


@extend_schema_serializer(component_name="GeneralInfo")
class GeneralInfoSerializer(serializers.Serializer):
    """Anonymous callers get no external_url, registry_url or registry_storage_provider_name."""

    auth_mode = serializers.CharField()
    primary_auth_mode = serializers.BooleanField()
    project_creation_restriction = serializers.CharField()
    self_registration = serializers.BooleanField()
    has_ca_root = serializers.BooleanField()
    harbor_version = serializers.CharField()
    read_only = serializers.BooleanField()
    banner_message = serializers.CharField(allow_blank=True)
    current_time = serializers.DateTimeField()
    oidc_provider_name = serializers.CharField(allow_blank=True)
    with_chartmuseum = serializers.BooleanField()
    notification_enable = serializers.BooleanField()
    external_url = serializers.CharField(required=False, help_text="authenticated callers only")
    registry_url = serializers.CharField(required=False, help_text="authenticated callers only")
    registry_storage_provider_name = serializers.CharField(
        required=False, help_text="authenticated callers only"
    )


@extend_schema_serializer(component_name="Storage")
class StorageSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text="bytes")
    free = serializers.IntegerField(help_text="bytes")


@extend_schema_serializer(component_name="SystemInfo")
class VolumesSerializer(serializers.Serializer):
    storage = StorageSerializer(many=True)


_HEALTH = ["healthy", "unhealthy"]


@extend_schema_serializer(component_name="ComponentHealthStatus")
class ComponentHealthSerializer(serializers.Serializer):
    name = serializers.CharField(help_text="core, database, registry, redis")
    status = serializers.ChoiceField(_HEALTH)
    error = serializers.CharField(required=False, help_text="why it is unhealthy")


@extend_schema_serializer(component_name="OverallHealthStatus")
class HealthSerializer(serializers.Serializer):
    status = serializers.ChoiceField(_HEALTH)
    components = ComponentHealthSerializer(many=True)


@extend_schema_serializer(component_name="Statistic")
class StatisticSerializer(serializers.Serializer):
    public_project_count = serializers.IntegerField()
    private_project_count = serializers.IntegerField()
    total_project_count = serializers.IntegerField()
    public_repo_count = serializers.IntegerField()
    private_repo_count = serializers.IntegerField()
    total_repo_count = serializers.IntegerField()
    total_storage_consumption = serializers.IntegerField(help_text="bytes")


@extend_schema_serializer(component_name="APIVersion")
class VersionSerializer(serializers.Serializer):
    version = serializers.CharField(help_text="the API version, v2.0")
