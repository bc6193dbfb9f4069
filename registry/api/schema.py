"""How the OpenAPI document describes repositories, artifacts, tags, accessories and search:
the shapes `presenters.py` and the views of this package return and accept, under Harbor's
swagger names (Repository, Artifact, Tag, Accessory, Reference, Platform, AdditionLink,
Search...). Descriptions only; the views validate."""

from __future__ import annotations

from drf_spectacular.utils import OpenApiParameter, extend_schema_field, extend_schema_serializer
from rest_framework import serializers

from harbor_site.api.schema import flag
from projects.api_schema import ProjectSerializer
from projects.api_system_schema import LabelSerializer
from signatures.api_schema import VerificationSerializer

from ..oci.names import TAG_PATTERN

_STRING_MAP = {"type": "object", "additionalProperties": {"type": "string"}}


@extend_schema_serializer(component_name="Repository")
class RepositorySerializer(serializers.Serializer):
    id = serializers.IntegerField()
    project_id = serializers.IntegerField()
    name = serializers.CharField(help_text="the full name, project/repository")
    description = serializers.CharField(allow_blank=True)
    artifact_count = serializers.IntegerField(
        help_text="artifacts listed in the repository (not accessories)"
    )
    pull_count = serializers.IntegerField()
    creation_time = serializers.DateTimeField()
    update_time = serializers.DateTimeField()


@extend_schema_serializer(component_name="RepositoryReq")
class RepositoryUpdateSerializer(serializers.Serializer):
    description = serializers.CharField(
        required=False, allow_blank=True, allow_null=True, help_text="replaces the description; null: none"
    )


@extend_schema_serializer(component_name="Tag")
class TagSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    repository_id = serializers.IntegerField()
    artifact_id = serializers.IntegerField()
    name = serializers.CharField()
    push_time = serializers.DateTimeField()
    pull_time = serializers.DateTimeField(help_text="0001-01-01T00:00:00.000Z: never pulled")
    immutable = serializers.BooleanField()


@extend_schema_serializer(component_name="TagReq")
class TagRequestSerializer(serializers.Serializer):
    name = serializers.RegexField(TAG_PATTERN, help_text="a tag name, as the distribution spec allows")


@extend_schema_serializer(component_name="Accessory")
class AccessorySerializer(serializers.Serializer):
    id = serializers.IntegerField(help_text="the accessory's artifact id")
    artifact_id = serializers.IntegerField()
    subject_artifact_id = serializers.IntegerField()
    subject_artifact_digest = serializers.CharField()
    subject_artifact_repo = serializers.CharField()
    size = serializers.IntegerField()
    digest = serializers.CharField()
    type = serializers.CharField(help_text="e.g. signature.cosign, harbor.sbom, subject.accessory")
    icon = serializers.CharField(allow_blank=True)
    creation_time = serializers.DateTimeField()
    verification = VerificationSerializer(
        allow_null=True,
        help_text="ours, not Harbor's: for a signature, whether it verifies against the project's "
        "trusted keys (/projects/{project_name_or_id}/trusted-keys); null for other accessories "
        "and when the project trusts no key",
    )


@extend_schema_field(
    {
        "type": "object",
        "properties": {
            "architecture": {"type": "string"},
            "os": {"type": "string"},
            "os.version": {"type": "string"},
            "os.features": {"type": "array", "items": {"type": "string"}},
            "variant": {"type": "string"},
        },
    }
)
class PlatformField(serializers.JSONField):
    """An index child's platform; its keys hold dots, which serializer fields cannot."""


@extend_schema_serializer(component_name="Reference")
class ReferenceSerializer(serializers.Serializer):
    parent_id = serializers.IntegerField()
    child_id = serializers.IntegerField()
    child_digest = serializers.CharField()
    platform = PlatformField(required=False)
    annotations = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False)
    urls = serializers.ListField(child=serializers.CharField(), required=False)


@extend_schema_serializer(component_name="AdditionLink")
class AdditionLinkSerializer(serializers.Serializer):
    href = serializers.CharField()
    absolute = serializers.BooleanField()


class ScanScannerSerializer(serializers.Serializer):
    name = serializers.CharField()
    vendor = serializers.CharField(allow_blank=True)
    version = serializers.CharField(allow_blank=True)


class VulnerabilitySummarySerializer(serializers.Serializer):
    total = serializers.IntegerField()
    fixable = serializers.IntegerField()
    summary = serializers.DictField(
        child=serializers.IntegerField(), help_text="count per severity, non-zero only"
    )


@extend_schema_serializer(component_name="NativeReportSummary")
class NativeReportSummarySerializer(serializers.Serializer):
    report_id = serializers.CharField()
    scan_status = serializers.CharField(help_text="Pending, Running, Success, Error or Stopped")
    severity = serializers.CharField(required=False, help_text="the highest severity found (Success only)")
    duration = serializers.IntegerField(help_text="seconds")
    summary = VulnerabilitySummarySerializer(required=False)
    start_time = serializers.DateTimeField(allow_null=True)
    end_time = serializers.DateTimeField(allow_null=True)
    complete_percent = serializers.IntegerField()
    scanner = ScanScannerSerializer()


@extend_schema_serializer(component_name="SBOMOverview")
class SBOMOverviewSerializer(serializers.Serializer):
    report_id = serializers.CharField()
    scan_status = serializers.CharField()
    sbom_digest = serializers.CharField(allow_blank=True)
    duration = serializers.IntegerField()
    start_time = serializers.DateTimeField(allow_null=True)
    end_time = serializers.DateTimeField(allow_null=True)
    scanner = ScanScannerSerializer()


@extend_schema_serializer(component_name="Artifact")
class ArtifactSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    type = serializers.CharField(help_text="IMAGE, CHART, CNAB, WASM, UNKNOWN...")
    media_type = serializers.CharField(help_text="the config's media type (or the manifest's)")
    manifest_media_type = serializers.CharField()
    artifact_type = serializers.CharField(allow_blank=True)
    project_id = serializers.IntegerField()
    repository_id = serializers.IntegerField()
    repository_name = serializers.CharField()
    digest = serializers.CharField()
    size = serializers.IntegerField()
    icon = serializers.CharField()
    push_time = serializers.DateTimeField()
    pull_time = serializers.DateTimeField(help_text="0001-01-01T00:00:00.000Z: never pulled")
    extra_attrs = serializers.DictField(help_text="for images: architecture, os, config, author, created")
    annotations = serializers.DictField(child=serializers.CharField(allow_blank=True))
    addition_links = serializers.DictField(child=AdditionLinkSerializer())
    labels = LabelSerializer(many=True)
    references = ReferenceSerializer(many=True)
    tags = TagSerializer(many=True, allow_null=True, help_text="null when with_tag=false")
    accessories = AccessorySerializer(many=True, required=False, help_text="absent when with_accessory=false")
    scan_overview = serializers.DictField(
        child=NativeReportSummarySerializer(),
        required=False,
        help_text="with_scan_overview=true and scanned: the summary per report MIME type",
    )
    sbom_overview = SBOMOverviewSerializer(
        required=False, help_text="with_sbom_overview=true and an SBOM asked for"
    )


@extend_schema_serializer(component_name="SearchRepository")
class SearchRepositorySerializer(serializers.Serializer):
    project_id = serializers.IntegerField()
    project_name = serializers.CharField()
    project_public = serializers.BooleanField()
    repository_name = serializers.CharField()
    pull_count = serializers.IntegerField()
    artifact_count = serializers.IntegerField()


@extend_schema_serializer(component_name="Search")
class SearchSerializer(serializers.Serializer):
    project = ProjectSerializer(many=True)
    repository = SearchRepositorySerializer(many=True)


# --- parameters -----------------------------------------------------------------------------------

PROJECT_NAME = OpenApiParameter(
    "project_name", str, location=OpenApiParameter.PATH, description="The project's name (never its id)."
)
REPOSITORY_NAME = OpenApiParameter(
    "repository_name",
    str,
    location=OpenApiParameter.PATH,
    description="The repository's name without the project; a `/` in it is encoded twice (`a%252Fb`).",
)
REFERENCE = OpenApiParameter(
    "reference", str, location=OpenApiParameter.PATH, description="A tag or a digest (`sha256:...`)."
)
REPOSITORY_PATH = [PROJECT_NAME, REPOSITORY_NAME]
ARTIFACT_PATH = [*REPOSITORY_PATH, REFERENCE]
ARTIFACT_FLAGS = [
    flag("with_tag", True, "Include the artifact's tags."),
    flag("with_label", False, "Include the labels attached to the artifact."),
    flag("with_accessory", True, "Include the artifact's accessories (signatures, SBOMs...)."),
    flag("with_scan_overview", False, "Include the summary of the artifact's vulnerability scans."),
    flag("with_sbom_overview", False, "Include the state of the artifact's SBOM generation."),
]
ADDITIONS = ["build_history", "vulnerabilities", "values.yaml", "readme.md", "dependencies"]

# An addition is an image's build history (the config's `history`, empty fields left out), a chart's
# dependencies, or, for vulnerabilities, the scan reports by MIME type; a chart's values.yaml and
# README are text.
_HISTORY_ENTRY = {
    "type": "object",
    "properties": {
        "created": {"type": "string"},
        "created_by": {"type": "string"},
        "author": {"type": "string"},
        "comment": {"type": "string"},
        "empty_layer": {"type": "boolean"},
    },
}
_DEPENDENCY = {
    "type": "object",
    "properties": {
        "name": {"type": "string"},
        "version": {"type": "string"},
        "repository": {"type": "string"},
    },
}
# anyOf: an empty list is a build history and a dependency list alike.
ADDITION = {
    "anyOf": [
        {"type": "array", "items": _HISTORY_ENTRY},
        {"type": "array", "items": _DEPENDENCY},
        {"type": "object"},
    ]
}
