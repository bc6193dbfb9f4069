"""Any other path under `/api/v2.0/`: Harbor's JSON 404, not Django's HTML page."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from .errors import NotFound
from .permissions import allow_anyone
from .views import HarborAPIView


@extend_schema(exclude=True)  # not an endpoint: what every unknown path answers
class APINotFoundView(HarborAPIView):
    def _unknown(self, request: Request, *args: object, **kwargs: object) -> Response:
        allow_anyone(request)
        raise NotFound(f"no API endpoint at {request.path}")

    get = head = post = put = patch = delete = _unknown
