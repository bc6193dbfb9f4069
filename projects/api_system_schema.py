"""How the OpenAPI document describes robots, labels and quotas: the shapes
`projects/api_robots.py`, `api_labels.py` and `api_quotas.py` return and accept, under
Harbor's swagger names (Robot, RobotCreate, RobotCreated, RobotSec, Label, Quota...)."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from .api_schema import ResourceListSerializer
from .models import PROJECT_NAME_PATTERN, Label
from .robot_grants import PROJECT_GRANTABLE, SYSTEM_GRANTABLE

_RESOURCES = sorted({resource for resource, _ in PROJECT_GRANTABLE | SYSTEM_GRANTABLE})
_ACTIONS = sorted({action for _, action in PROJECT_GRANTABLE | SYSTEM_GRANTABLE})


@extend_schema_serializer(component_name="Access")
class AccessSerializer(serializers.Serializer):
    resource = serializers.CharField(help_text=f"one of {', '.join(_RESOURCES)}")
    action = serializers.CharField(help_text=f"one of {', '.join(_ACTIONS)}")
    effect = serializers.CharField(required=False, help_text="allow (the default) or deny")


@extend_schema_serializer(component_name="RobotPermission")
class RobotPermissionSerializer(serializers.Serializer):
    kind = serializers.ChoiceField(["system", "project"])
    namespace = serializers.CharField(help_text='"/" for system permissions; a project name, or "*" for all')
    access = serializers.ListField(child=AccessSerializer(), min_length=1)


@extend_schema_serializer(component_name="Robot")
class RobotSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField(help_text="the login name, with the robot prefix")
    description = serializers.CharField(allow_blank=True)
    level = serializers.ChoiceField(["system", "project"])
    duration = serializers.IntegerField(help_text="days; -1: never expires")
    editable = serializers.BooleanField()
    disable = serializers.BooleanField()
    expires_at = serializers.IntegerField(help_text="unix seconds; -1: never")
    permissions = RobotPermissionSerializer(many=True)
    creator_type = serializers.CharField()
    creator_ref = serializers.IntegerField()
    creation_time = serializers.DateTimeField()
    update_time = serializers.DateTimeField()


@extend_schema_serializer(component_name="RobotUpdate")
class RobotUpdateSerializer(serializers.Serializer):
    """The name is fixed once created, and so is the level."""

    name = serializers.RegexField(PROJECT_NAME_PATTERN, max_length=128, required=False, help_text="ignored")
    description = serializers.CharField(required=False, allow_blank=True)
    secret = serializers.CharField(
        required=False, allow_blank=True, max_length=128, help_text="empty: one is generated"
    )
    level = serializers.ChoiceField(["system", "project"], required=False)
    disable = serializers.BooleanField(required=False)
    duration = serializers.IntegerField(
        required=False, min_value=-1, help_text="days (not 0); -1: never expires"
    )
    permissions = serializers.ListField(child=RobotPermissionSerializer(), required=False, min_length=1)


@extend_schema_serializer(component_name="RobotCreate")
class RobotCreateSerializer(RobotUpdateSerializer):
    """A project robot (level project) carries exactly one permission, on its own project."""

    name = serializers.RegexField(PROJECT_NAME_PATTERN, max_length=128)
    permissions = serializers.ListField(child=RobotPermissionSerializer(), min_length=1)


@extend_schema_serializer(component_name="RobotCreated")
class RobotCreatedSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    secret = serializers.CharField(help_text="shown this once")
    creation_time = serializers.DateTimeField()
    expires_at = serializers.IntegerField(help_text="unix seconds; -1: never")


@extend_schema_serializer(component_name="RobotSec")
class RobotSecretSerializer(serializers.Serializer):
    secret = serializers.CharField(help_text="the new secret, shown this once")


@extend_schema_serializer(component_name="RobotSecReq")
class RobotSecretRequestSerializer(serializers.Serializer):
    secret = serializers.CharField(
        required=False, allow_blank=True, help_text="absent or empty: generate one"
    )


# --- labels ---------------------------------------------------------------------------------------

_SCOPES = [Label.GLOBAL, Label.PROJECT]
LABEL_NAME_PATTERN = r"^[^\s][\w .:/-]{0,127}$"


@extend_schema_serializer(component_name="Label")
class LabelSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    name = serializers.CharField()
    description = serializers.CharField(allow_blank=True)
    color = serializers.CharField(allow_blank=True)
    scope = serializers.ChoiceField(_SCOPES, help_text="g: global, p: project")
    project_id = serializers.IntegerField(help_text="0 for global labels")
    creation_time = serializers.DateTimeField()
    update_time = serializers.DateTimeField()
    deleted = serializers.BooleanField()


@extend_schema_serializer(component_name="LabelUpdateReq")
class LabelUpdateSerializer(serializers.Serializer):
    """Scope and project are fixed once created."""

    name = serializers.RegexField(LABEL_NAME_PATTERN, required=False)
    description = serializers.CharField(required=False, allow_blank=True, max_length=1024)
    color = serializers.RegexField(r"^(#[0-9A-Fa-f]{3,8})?$", required=False, allow_blank=True)
    scope = serializers.ChoiceField(
        _SCOPES, required=False, help_text="g (the default) or p; fixed once created"
    )
    project_id = serializers.IntegerField(required=False, help_text="the project of a p label")


@extend_schema_serializer(component_name="LabelReq")
class LabelRequestSerializer(LabelUpdateSerializer):
    name = serializers.RegexField(LABEL_NAME_PATTERN)


# --- quotas ---------------------------------------------------------------------------------------


@extend_schema_serializer(component_name="QuotaRefObject")
class QuotaReferenceSerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="the project's id")
    name = serializers.CharField()
    owner_name = serializers.CharField(allow_blank=True)


@extend_schema_serializer(component_name="Quota")
class QuotaSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    ref = QuotaReferenceSerializer()
    hard = ResourceListSerializer()
    used = ResourceListSerializer()
    creation_time = serializers.DateTimeField()
    update_time = serializers.DateTimeField()


@extend_schema_serializer(component_name="QuotaUpdateReq")
class QuotaUpdateSerializer(serializers.Serializer):
    hard = ResourceListSerializer(help_text="storage: bytes (not 0), or -1 for unlimited")
