"""`/system/CVEAllowlist`: the system-wide CVE allowlist."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api.errors import BadRequest
from harbor_site.api.permissions import require, require_authenticated
from harbor_site.api.schema import errors, ok
from harbor_site.api.views import HarborAPIView

from .allowlists import AllowlistError, allowlist_json, set_allowlist
from .api_schema import CVEAllowlistRequestSerializer, CVEAllowlistSerializer
from .models import CVEAllowlist
from .rbac import Action, Resource


@extend_schema_view(
    get=extend_schema(
        operation_id="getSystemCVEAllowlist",
        summary="The system CVE allowlist",
        responses={**ok(CVEAllowlistSerializer)},
    ),
    put=extend_schema(
        operation_id="putSystemCVEAllowlist",
        summary="Replace the system CVE allowlist (system administrators)",
        request=CVEAllowlistRequestSerializer,
        responses={**ok(), **errors(400, 403)},
    ),
)
@extend_schema(tags=["SystemCVEAllowlist"])
class SystemAllowlistView(HarborAPIView):
    def get(self, request: Request) -> Response:
        require_authenticated(request)
        return Response(allowlist_json(CVEAllowlist.objects.filter(project__isnull=True).first()))

    def put(self, request: Request) -> Response:
        require(request, Action.UPDATE, Resource.CONFIGURATION)
        try:
            set_allowlist(None, request.data)
        except AllowlistError as exc:
            raise BadRequest(str(exc)) from None
        return Response()
