"""`/export/cve`: CVE export jobs (ask, follow, list, download), as Harbor's API has them."""

from __future__ import annotations

from typing import Any

from django.http import HttpResponse
from django.http.response import HttpResponseBase
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api.errors import BadRequest, NotFound
from harbor_site.api.permissions import require, require_authenticated
from harbor_site.api.schema import errors, ok, path_id
from harbor_site.api.validation import validated
from harbor_site.api.views import HarborAPIView
from projects.models import Project
from projects.rbac import Action, Resource

from .adapter import VULN_REPORT_TYPES
from .cve_export import ExportError, exports_of, start_export
from .scan_models import CVEExport

SCAN_DATA_TYPE = OpenApiParameter(
    "X-Scan-Data-Type",
    str,
    location=OpenApiParameter.HEADER,
    required=True,
    enum=list(VULN_REPORT_TYPES),
    description="The report type to export.",
)


class ExportRequest(serializers.Serializer):
    job_name = serializers.CharField(required=False, allow_blank=True, max_length=255)
    projects = serializers.ListField(
        child=serializers.IntegerField(min_value=1), min_length=1, max_length=100
    )
    labels = serializers.ListField(
        child=serializers.IntegerField(min_value=1), required=False, max_length=100
    )
    repositories = serializers.CharField(required=False, allow_blank=True, max_length=4096)
    tags = serializers.CharField(required=False, allow_blank=True, max_length=4096)
    cveIds = serializers.CharField(required=False, allow_blank=True, max_length=4096)  # Harbor's field name


class ExportJobSerializer(serializers.Serializer):
    id = serializers.IntegerField()


class ExecutionSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    user_id = serializers.IntegerField()
    user_name = serializers.CharField()
    status = serializers.CharField()
    status_text = serializers.CharField(allow_blank=True)
    trigger = serializers.CharField()
    start_time = serializers.DateTimeField()
    end_time = serializers.DateTimeField(allow_null=True)
    job_name = serializers.CharField(allow_blank=True)
    file_present = serializers.BooleanField()


class ExecutionListSerializer(serializers.Serializer):
    items = ExecutionSerializer(many=True)


def execution_json(export: CVEExport) -> dict[str, Any]:
    return {
        "id": export.pk,
        "user_id": export.user_id or 0,
        "user_name": export.username,
        "status": export.status,
        "status_text": export.status_text,
        "trigger": "MANUAL",
        "start_time": export.start_time,
        "end_time": export.end_time,
        "job_name": export.job_name,
        "file_present": export.status == CVEExport.SUCCESS,
    }


def _own(request: Request, execution_id: int) -> CVEExport:
    principal = require_authenticated(request)
    export = exports_of(principal).filter(pk=execution_id).first()
    if export is None:
        raise NotFound(f"export execution {execution_id} not found")
    return export


class ExportView(HarborAPIView):
    @extend_schema(
        operation_id="exportScanData",
        tags=["scan data export"],
        summary="Export the vulnerabilities of projects as CSV, in the background",
        parameters=[SCAN_DATA_TYPE],
        request=ExportRequest,
        responses={**ok(ExportJobSerializer), **errors(400, 403, 404)},
    )
    def post(self, request: Request) -> Response:
        require_authenticated(request)
        body = validated(ExportRequest, request)
        for project_id in body["projects"]:
            project = Project.objects.filter(pk=project_id).first()
            if project is None:
                raise NotFound(f"project {project_id} not found")
            require(request, Action.CREATE, Resource.EXPORT_CVE, project)
        try:
            export = start_export(
                request.user, request.headers.get("X-Scan-Data-Type", ""), body.get("job_name", ""), body
            )
        except ExportError as exc:
            raise BadRequest(str(exc)) from None
        return Response({"id": export.pk})


class ExecutionView(HarborAPIView):
    @extend_schema(
        operation_id="getScanDataExportExecution",
        tags=["scan data export"],
        summary="One of the caller's exports: its status, and whether its file is ready",
        parameters=[path_id("execution_id", "The export's id.")],
        responses={**ok(ExecutionSerializer), **errors(404)},
    )
    def get(self, request: Request, execution_id: int) -> Response:
        return Response(execution_json(_own(request, execution_id)))


class ExecutionListView(HarborAPIView):
    @extend_schema(
        operation_id="getScanDataExportExecutionList",
        tags=["scan data export"],
        summary="The caller's exports, newest first",
        responses={**ok(ExecutionListSerializer)},
    )
    def get(self, request: Request) -> Response:
        principal = require_authenticated(request)
        return Response({"items": [execution_json(e) for e in exports_of(principal)[:100]]})


class DownloadView(HarborAPIView):
    @extend_schema(
        operation_id="downloadScanData",
        tags=["scan data export"],
        summary="The CSV of a finished export",
        parameters=[path_id("execution_id", "The export's id.")],
        responses={(200, "text/csv"): OpenApiTypes.STR, **errors(404)},
    )
    def get(self, request: Request, execution_id: int) -> HttpResponseBase:
        export = _own(request, execution_id)
        if export.status != CVEExport.SUCCESS:
            raise NotFound(f"export {execution_id} has no file ({export.status})")
        response = HttpResponse(export.csv, content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="cve-export-{export.pk}.csv"'
        return response
