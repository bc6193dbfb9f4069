"""Scanning one artifact (`.../{reference}/scan`, `/scan/stop`, `/scan/{report_id}/log`) and
scanning them all (`/system/scanAll/...`, `/scans/all/metrics`)."""

from __future__ import annotations

from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api.errors import BadRequest, Conflict, NotFound, Unprocessable
from harbor_site.api.permissions import require
from harbor_site.api.schema import errors, ok
from harbor_site.api.validation import validated
from harbor_site.api.views import HarborAPIView
from projects.rbac import Action, Resource
from registry.api.schema import ARTIFACT_PATH
from registry.api.tags import ArtifactChildView
from registry.models import Artifact

from . import jobs, scan_all
from .api_schema import ScanRequest, ScanTypeSerializer, ScheduleRequest, ScheduleSerializer, StatsSerializer
from .scan_models import ScanReport

_RESOURCES = {"vulnerability": Resource.SCAN, "sbom": Resource.SBOM}


def _scan_type(request: Request) -> str:
    body = request.data if request.data else {}
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object")
    return validated(ScanRequest, request).get("scan_type", "vulnerability") if body else "vulnerability"


class _ScanView(ArtifactChildView):
    def scanned(self, request: Request, names: tuple[str, str, str], action: Action) -> tuple[Artifact, str]:
        scan_type = _scan_type(request)
        return self.artifact(request, names, action, _RESOURCES[scan_type]), scan_type


class ScanView(_ScanView):
    @extend_schema(
        operation_id="scanArtifact",
        tags=["scan"],
        summary="Scan the artifact (an index: its images) for vulnerabilities, or generate its SBOM",
        parameters=ARTIFACT_PATH,
        request=ScanTypeSerializer,
        responses={**ok(status=202, description="Accepted"), **errors(400, 403, 404, 409, 422)},
    )
    def post(self, request: Request, project_name: str, repository_name: str, reference: str) -> Response:
        artifact, scan_type = self.scanned(request, (project_name, repository_name, reference), Action.CREATE)
        try:
            jobs.scan(artifact, scan_type)
        except jobs.NotScannable as error:
            raise Unprocessable(str(error)) from None
        except jobs.ScanInProgress as error:
            raise Conflict(str(error)) from None
        return Response(status=202)


class ScanStopView(_ScanView):
    @extend_schema(
        operation_id="stopScanArtifact",
        tags=["scan"],
        summary="Stop the artifact's pending or running scan",
        parameters=ARTIFACT_PATH,
        request=ScanTypeSerializer,
        responses={**ok(status=202, description="Accepted"), **errors(400, 403, 404)},
    )
    def post(self, request: Request, project_name: str, repository_name: str, reference: str) -> Response:
        artifact, scan_type = self.scanned(request, (project_name, repository_name, reference), Action.STOP)
        try:
            jobs.stop_scan(artifact, scan_type)
        except jobs.NoScanRunning as error:
            raise BadRequest(str(error)) from None
        return Response(status=202)


class ScanLogView(ArtifactChildView):
    @extend_schema(
        operation_id="getReportLog",
        tags=["scan"],
        summary="The log of one scan of the artifact",
        parameters=[
            *ARTIFACT_PATH,
            OpenApiParameter(
                "report_id", str, location=OpenApiParameter.PATH, description="The report's id."
            ),
        ],
        responses={(200, "text/plain"): OpenApiTypes.STR, **errors(403, 404)},
    )
    def get(
        self, request: Request, project_name: str, repository_name: str, reference: str, report_id: str
    ) -> HttpResponse:
        names = (project_name, repository_name, reference)
        artifact = self.artifact(request, names, Action.READ, Resource.SCAN)
        digests = {artifact.digest} | {
            image.digest for image in jobs.images_of(artifact)
        }  # an index: its images'
        report = ScanReport.objects.filter(uuid=report_id, digest__in=digests).first()
        if report is None:
            raise NotFound(f"no report {report_id} of {artifact.digest}")
        return HttpResponse(report.log, content_type="text/plain; charset=utf-8")


@extend_schema_view(
    get=extend_schema(
        operation_id="getScanAllSchedule",
        summary="The scan-all schedule",
        responses={**ok(ScheduleSerializer), **errors(403)},
    ),
    put=extend_schema(
        operation_id="updateScanAllSchedule",
        summary="Change the scan-all schedule (type None removes it)",
        request=ScheduleSerializer,
        responses={**ok(), **errors(400, 403, 409)},
    ),
    post=extend_schema(
        operation_id="createScanAllSchedule",
        summary="Create the scan-all schedule, or with type Manual run scan-all now",
        request=ScheduleSerializer,
        responses={**ok(status=201, description="Created"), **errors(400, 403, 409)},
    ),
)
@extend_schema(tags=["scanAll"])
class ScanAllScheduleView(HarborAPIView):
    def get(self, request: Request) -> Response:
        require(request, Action.READ, Resource.SCAN_ALL)
        return Response(scan_all.schedule())

    def _set(self, request: Request) -> None:
        values = validated(ScheduleRequest, request, ignored=("id", "creation_time", "update_time", "status"))
        try:
            scan_all.set_schedule(
                values["schedule"]["type"], values["schedule"].get("cron", ""), request.user.username
            )
        except scan_all.ScheduleError as error:
            raise BadRequest(str(error)) from None
        except jobs.ScanInProgress as error:
            raise Conflict(str(error)) from None

    def put(self, request: Request) -> Response:
        require(request, Action.UPDATE, Resource.SCAN_ALL)
        self._set(request)
        return Response()

    def post(self, request: Request) -> Response:
        require(request, Action.CREATE, Resource.SCAN_ALL)
        self._set(request)
        return Response(status=201)


class ScanAllMetricsView(HarborAPIView):
    @extend_schema(
        operation_id="getLatestScanAllMetrics",
        tags=["scanAll"],
        summary="Progress of the latest scan-all run",
        responses={**ok(StatsSerializer), **errors(403)},
    )
    def get(self, request: Request) -> Response:
        require(request, Action.READ, Resource.SCAN_ALL)
        return Response(scan_all.metrics())


class ScanAllStopView(HarborAPIView):
    @extend_schema(
        operation_id="stopScanAll",
        tags=["scanAll"],
        summary="Stop the running scan-all",
        request=None,
        responses={**ok(status=202, description="Accepted"), **errors(400, 403)},
    )
    def post(self, request: Request) -> Response:
        require(request, Action.STOP, Resource.SCAN_ALL)
        try:
            scan_all.stop()
        except jobs.ScanInProgress as error:
            raise BadRequest(str(error)) from None
        return Response(status=202)
