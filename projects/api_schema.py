"""How the OpenAPI document describes projects, their metadata, CVE allowlists and members:
the shapes `projects/api.py` and `projects/api_members.py` return and accept, under
Harbor's swagger names (Project, ProjectReq, ProjectMetadata, CVEAllowlist,
ProjectMemberEntity...). Descriptions only; the views validate."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema_serializer
from rest_framework import serializers

from harbor_site.api.schema import closed

from .metadata import SEVERITIES
from .models import PROJECT_NAME_PATTERN
from .rbac import Role

BOOLEAN_TEXT = r"^(true|false)$"


def _boolean_text(help_text: str) -> serializers.RegexField:
    return serializers.RegexField(BOOLEAN_TEXT, required=False, help_text=f'"true" or "false": {help_text}')


@extend_schema_serializer(component_name="ProjectMetadata")
class ProjectMetadataSerializer(serializers.Serializer):
    """Every value is a string, as in Harbor; booleans are "true" or "false". Other keys are a 400."""

    public = _boolean_text("anyone may pull")
    enable_content_trust = _boolean_text("only signed images may be pulled")
    enable_content_trust_cosign = _boolean_text("only cosign-signed images may be pulled")
    enable_signature_verification = _boolean_text(
        "only images with a signature that verifies against the project's trusted keys may be pulled"
        " (an extension of this server, see /projects/{project_name_or_id}/trusted-keys)"
    )
    prevent_vul = _boolean_text("refuse pulls of vulnerable images")
    severity = serializers.ChoiceField(SEVERITIES, required=False, help_text="the severity prevent_vul uses")
    auto_scan = _boolean_text("scan images on push")
    auto_sbom_generation = _boolean_text("generate an SBOM on push")
    reuse_sys_cve_allowlist = _boolean_text("use the system CVE allowlist rather than the project's")
    retention_id = serializers.CharField(
        required=False, allow_blank=True, help_text="the retention policy (empty when creating)"
    )
    # Proxy-cache settings: accepted, and dropped for projects that are not proxy caches.
    proxy_speed_kb = serializers.RegexField(r"^-?[0-9]+$", required=False, help_text="proxy caches only")
    max_upstream_conn = serializers.RegexField(r"^-?[0-9]+$", required=False, help_text="proxy caches only")
    proxy_cache_local_on_not_found = _boolean_text("proxy caches only")
    proxy_referrer_api = _boolean_text("proxy caches only")
    proxy_cache_filter_pattern = serializers.CharField(required=False, help_text="proxy caches only")
    proxy_cache_filter_kind = serializers.ChoiceField(
        ["doublestar", "regex"], required=False, help_text="proxy caches only"
    )


closed("ProjectMetadata")


@extend_schema_serializer(component_name="CVEAllowlistItem")
class CVEAllowlistItemSerializer(serializers.Serializer):
    cve_id = serializers.RegexField(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$", help_text="e.g. CVE-2024-1234")


@extend_schema_serializer(component_name="CVEAllowlist")
class CVEAllowlistSerializer(serializers.Serializer):
    """A project without an allowlist of its own answers without id and times."""

    id = serializers.IntegerField(required=False)
    project_id = serializers.IntegerField(help_text="0 for the system allowlist")
    items = CVEAllowlistItemSerializer(many=True)
    expires_at = serializers.IntegerField(allow_null=True, help_text="unix seconds; null: never")
    creation_time = serializers.DateTimeField(required=False)
    update_time = serializers.DateTimeField(required=False)


@extend_schema_serializer(component_name="CVEAllowlistReq")
class CVEAllowlistRequestSerializer(serializers.Serializer):
    items = CVEAllowlistItemSerializer(many=True, required=False)
    expires_at = serializers.IntegerField(
        required=False, allow_null=True, help_text="unix seconds; null: never"
    )


@extend_schema_serializer(component_name="Project")
class ProjectSerializer(serializers.Serializer):
    project_id = serializers.IntegerField()
    owner_id = serializers.IntegerField(help_text="0 when the owner is gone")
    owner_name = serializers.CharField(allow_blank=True)
    name = serializers.CharField()
    registry_id = serializers.IntegerField(allow_null=True, help_text="proxy-cache projects only (none yet)")
    creation_time = serializers.DateTimeField()
    update_time = serializers.DateTimeField()
    deleted = serializers.BooleanField()
    togglable = serializers.BooleanField(help_text="the caller may change whether the project is public")
    current_user_role_id = serializers.IntegerField(
        help_text="deprecated: the first of current_user_role_ids"
    )
    current_user_role_ids = serializers.ListField(child=serializers.IntegerField())
    repo_count = serializers.IntegerField()
    metadata = ProjectMetadataSerializer()
    cve_allowlist = CVEAllowlistSerializer()


@extend_schema_serializer(component_name="ProjectUpdateReq")
class ProjectUpdateSerializer(serializers.Serializer):
    project_name = serializers.RegexField(
        PROJECT_NAME_PATTERN, max_length=255, required=False, help_text="ignored"
    )
    public = serializers.BooleanField(
        required=False, allow_null=True, help_text="deprecated: metadata.public"
    )
    metadata = ProjectMetadataSerializer(required=False)
    cve_allowlist = CVEAllowlistRequestSerializer(required=False)
    storage_limit = serializers.IntegerField(required=False, help_text="bytes; -1: unlimited")
    registry_id = serializers.IntegerField(
        required=False, allow_null=True, help_text="proxy-cache projects are not supported yet: a 400"
    )


@extend_schema_serializer(component_name="ProjectReq")
class ProjectRequestSerializer(ProjectUpdateSerializer):
    project_name = serializers.RegexField(PROJECT_NAME_PATTERN, max_length=255)


@extend_schema_serializer(component_name="ProjectDeletable")
class ProjectDeletableSerializer(serializers.Serializer):
    deletable = serializers.BooleanField()
    message = serializers.CharField(allow_blank=True, help_text="why not, when not")


@extend_schema_serializer(component_name="ResourceList")
class ResourceListSerializer(serializers.Serializer):
    storage = serializers.IntegerField(help_text="bytes; -1: unlimited")


@extend_schema_serializer(component_name="ProjectSummaryQuota")
class _SummaryQuotaSerializer(serializers.Serializer):
    hard = ResourceListSerializer()


@extend_schema_serializer(component_name="ProjectSummary")
class ProjectSummarySerializer(serializers.Serializer):
    repo_count = serializers.IntegerField()
    project_admin_count = serializers.IntegerField()
    maintainer_count = serializers.IntegerField()
    developer_count = serializers.IntegerField()
    guest_count = serializers.IntegerField()
    limited_guest_count = serializers.IntegerField()
    quota = _SummaryQuotaSerializer()


# `{meta_name: value}`: one metadata key and its string value.
METADATA_ENTRY = {
    "type": "object",
    "additionalProperties": {"type": "string"},
    "example": {"auto_scan": "true"},
}


# --- members ------------------------------------------------------------------------------------

ROLE_IDS = [role.value for role in Role]
ROLE_HELP = ", ".join(f"{role.value} {role.label}" for role in Role)


@extend_schema_serializer(component_name="UserEntity")
class MemberUserSerializer(serializers.Serializer):
    user_id = serializers.IntegerField(required=False, help_text="the user's id; or give username")
    username = serializers.CharField(required=False, allow_blank=True)


@extend_schema_serializer(component_name="UserGroupEntity")
class MemberGroupSerializer(serializers.Serializer):
    id = serializers.IntegerField(
        required=False, help_text="the group's id; or give ldap_group_dn or group_name"
    )
    group_name = serializers.CharField(required=False, allow_blank=True)
    group_type = serializers.IntegerField(required=False, help_text="1 LDAP, 2 HTTP, 3 OIDC")
    ldap_group_dn = serializers.CharField(required=False, allow_blank=True)


@extend_schema_serializer(component_name="ProjectMember")
class ProjectMemberRequestSerializer(serializers.Serializer):
    role_id = serializers.ChoiceField(ROLE_IDS, help_text=ROLE_HELP)
    member_user = MemberUserSerializer(required=False, allow_null=True)
    member_group = MemberGroupSerializer(required=False, allow_null=True)


@extend_schema_serializer(component_name="RoleRequest")
class RoleRequestSerializer(serializers.Serializer):
    role_id = serializers.ChoiceField(ROLE_IDS, help_text=ROLE_HELP)


@extend_schema_serializer(component_name="ProjectMemberEntity")
class ProjectMemberEntitySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project_id = serializers.IntegerField()
    entity_name = serializers.CharField()
    role_name = serializers.CharField()
    role_id = serializers.IntegerField()
    entity_id = serializers.IntegerField(help_text="the user's or the group's id")
    entity_type = serializers.ChoiceField(["u", "g"], help_text="u: a user, g: a group")
