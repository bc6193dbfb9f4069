"""`/scanners` (system administrators) and `/projects/{p}/scanner` (the project's choice)."""

from __future__ import annotations

from typing import Any

from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api.errors import BadRequest, Conflict, Forbidden, NotFound
from harbor_site.api.permissions import require
from harbor_site.api.schema import LOCATION, PROJECT_PATH, errors, ok, paging
from harbor_site.api.validation import validated
from harbor_site.api.views import HarborAPIView, project_from_path
from projects.rbac import Action, Resource

from . import registrations
from .adapter import AdapterError
from .api_schema import (
    IsDefaultSerializer,
    ProjectScannerSerializer,
    ScannerMetadataSerializer,
    ScannerRegistrationSerializer,
    ScannerRequest,
    ScannerRequestSerializer,
)
from .scan_models import ScannerRegistration

# Harbor's clients send a whole registration back on update.
READ_ONLY = (
    "uuid",
    "is_default",
    "create_time",
    "update_time",
    "adapter",
    "vendor",
    "version",
    "health",
    "capabilities",
)
UUID = OpenApiParameter(
    "registration_id", str, location=OpenApiParameter.PATH, description="The registration's uuid."
)


def _values(request: Request) -> dict[str, Any]:
    values = dict(validated(ScannerRequest, request, ignored=READ_ONLY))
    if "skip_certVerify" in values:
        values["skip_cert_verify"] = values.pop("skip_certVerify")
    return values


def _registration(request: Request, registration_id: str, action: Action) -> ScannerRegistration:
    require(request, action, Resource.SCANNER)
    registration = ScannerRegistration.objects.filter(uuid=registration_id).first()
    if registration is None:
        raise NotFound(f"scanner registration {registration_id} not found")
    return registration


def _apply(change: Any, *args: Any) -> Any:
    """Run a registration change, turning its refusals into API errors."""
    try:
        return change(*args)
    except registrations.RegistrationConflict as error:
        raise Conflict(str(error)) from None
    except registrations.RegistrationError as error:
        raise BadRequest(str(error)) from None
    except PermissionError as error:
        raise Forbidden(str(error)) from None


@extend_schema_view(
    get=extend_schema(
        operation_id="listScanners",
        summary="List scanner registrations",
        parameters=paging(),
        responses={**ok(ScannerRegistrationSerializer(many=True)), **errors(403)},
    ),
    post=extend_schema(
        operation_id="createScanner",
        summary="Register a scanner adapter",
        parameters=[LOCATION],
        request=ScannerRequestSerializer,
        responses={**ok(status=201, description="Created"), **errors(400, 403, 409)},
    ),
)
@extend_schema(tags=["scanner"])
class ScannerListView(HarborAPIView):
    default_ordering = ["name"]
    sort_fields = {"name": "name", "create_time": "created_at", "update_time": "updated_at"}

    def get(self, request: Request) -> Response:
        require(request, Action.LIST, Resource.SCANNER)
        found = self.filtered(request, ScannerRegistration.objects.all())
        return self.paged(request, found, lambda page: [registrations.registration_json(r) for r in page])

    def post(self, request: Request) -> Response:
        require(request, Action.CREATE, Resource.SCANNER)
        values = _values(request)
        missing = [name for name in ("name", "url") if not values.get(name)]
        if missing:
            raise BadRequest(f"{' and '.join(missing)} required")
        registration = _apply(registrations.create, values)
        return Response(status=201, headers={"Location": f"/api/v2.0/scanners/{registration.uuid}"})


class ScannerPingView(HarborAPIView):
    @extend_schema(
        operation_id="pingScanner",
        tags=["scanner"],
        summary="Check that an adapter answers its metadata call, before registering it",
        request=ScannerRequestSerializer,
        responses={**ok(), **errors(400, 403)},
    )
    def post(self, request: Request) -> Response:
        require(request, Action.CREATE, Resource.SCANNER)
        values = _values(request)
        if not values.get("url"):
            raise BadRequest("url required")
        try:
            registrations.ping(values)
        except AdapterError as error:
            raise BadRequest(f"the adapter does not answer as it should: {error}") from None
        return Response()


@extend_schema_view(
    get=extend_schema(
        operation_id="getScanner",
        summary="Read a registration, with its adapter's name, version and health",
        responses={**ok(ScannerRegistrationSerializer), **errors(403, 404)},
    ),
    put=extend_schema(
        operation_id="updateScanner",
        summary="Change a registration (not the built-in one)",
        request=ScannerRequestSerializer,
        responses={**ok(), **errors(400, 403, 404, 409)},
    ),
    delete=extend_schema(
        operation_id="deleteScanner",
        summary="Remove a registration (not the default, not the built-in one)",
        responses={**ok(ScannerRegistrationSerializer), **errors(400, 403, 404)},
    ),
    patch=extend_schema(
        operation_id="setScannerAsDefault",
        summary="Make this scanner the system default",
        request=IsDefaultSerializer,
        responses={**ok(), **errors(400, 403, 404)},
    ),
)
@extend_schema(tags=["scanner"], parameters=[UUID])
class ScannerView(HarborAPIView):
    def get(self, request: Request, registration_id: str) -> Response:
        registration = _registration(request, registration_id, Action.READ)
        return Response(registrations.with_health(registration))

    def put(self, request: Request, registration_id: str) -> Response:
        registration = _registration(request, registration_id, Action.UPDATE)
        _apply(registrations.update, registration, _values(request))
        return Response()

    def delete(self, request: Request, registration_id: str) -> Response:
        registration = _registration(request, registration_id, Action.DELETE)
        body = registrations.registration_json(registration)
        _apply(registrations.delete, registration)
        return Response(body)  # Harbor answers with the deleted registration

    def patch(self, request: Request, registration_id: str) -> Response:
        registration = _registration(request, registration_id, Action.UPDATE)
        if validated(IsDefaultSerializer, request).get("is_default"):
            _apply(registrations.set_default, registration)
        return Response()


class ScannerMetadataView(HarborAPIView):
    @extend_schema(
        operation_id="getScannerMetadata",
        tags=["scanner"],
        summary="The scanner's own metadata: name, vendor, version, capabilities",
        parameters=[UUID],
        responses={**ok(ScannerMetadataSerializer), **errors(400, 403, 404)},
    )
    def get(self, request: Request, registration_id: str) -> Response:
        registration = _registration(request, registration_id, Action.READ)
        try:
            return Response(registrations.metadata_of(registration))
        except AdapterError as error:  # not a 5xx: nothing is wrong here, the adapter is
            raise BadRequest(f"scanner {registration.name} does not answer as it should: {error}") from None


@extend_schema_view(
    get=extend_schema(
        operation_id="getScannerOfProject",
        summary="The scanner the project's scans use",
        responses={**ok(ScannerRegistrationSerializer), **errors(403, 404)},
    ),
    put=extend_schema(
        operation_id="setScannerOfProject",
        summary="Choose the project's scanner (project administrators)",
        request=ProjectScannerSerializer,
        responses={**ok(), **errors(400, 403, 404)},
    ),
)
@extend_schema(tags=["scanner"], parameters=PROJECT_PATH)
class ProjectScannerView(HarborAPIView):
    def get(self, request: Request, project_name_or_id: str) -> Response:
        project = project_from_path(request, project_name_or_id)
        require(request, Action.READ, Resource.SCANNER, project)
        registration = registrations.scanner_of(project)
        if registration is None:
            raise NotFound(f"no scanner for project {project.name}: none is the default")
        return Response(registrations.registration_json(registration))

    def put(self, request: Request, project_name_or_id: str) -> Response:
        project = project_from_path(request, project_name_or_id)
        require(request, Action.CREATE, Resource.SCANNER, project)
        chosen = validated(ProjectScannerSerializer, request)["uuid"]
        registration = ScannerRegistration.objects.filter(uuid=chosen).first()
        if registration is None:
            raise BadRequest(f"scanner registration {chosen} not found")
        _apply(registrations.set_project_scanner, project, registration)
        return Response()


class ProjectScannerCandidatesView(HarborAPIView):
    default_ordering = ["name"]
    sort_fields = {"name": "name", "create_time": "created_at"}

    @extend_schema(
        operation_id="listScannerCandidatesOfProject",
        tags=["scanner"],
        summary="The scanners a project administrator may choose from",
        parameters=[*PROJECT_PATH, *paging()],
        responses={**ok(ScannerRegistrationSerializer(many=True)), **errors(403, 404)},
    )
    def get(self, request: Request, project_name_or_id: str) -> Response:
        project = project_from_path(request, project_name_or_id)
        require(request, Action.CREATE, Resource.SCANNER, project)
        found = self.filtered(request, ScannerRegistration.objects.filter(disabled=False))
        return self.paged(request, found, lambda page: [registrations.registration_json(r) for r in page])
