"""`GET /api/v2.0/vulndb/status`: what the built-in scanner knows (our extension of Harbor's API).

Readable by any authenticated principal: the counts and freshness tell users how far to trust
a scan report, and hold nothing about projects.
"""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api.permissions import require_authenticated
from harbor_site.api.schema import errors, ok
from harbor_site.api.views import HarborAPIView

from .api_schema import VulnDBStatusSerializer
from .vulndb.status import status


class VulnDBStatusView(HarborAPIView):
    @extend_schema(
        operation_id="getVulnerabilityDatabaseStatus",
        tags=["scan"],
        summary="Advisory counts and the last import of each source of the built-in scanner",
        responses={**ok(VulnDBStatusSerializer), **errors(401)},
    )
    def get(self, request: Request) -> Response:
        require_authenticated(request)
        return Response(VulnDBStatusSerializer(status()).data)
