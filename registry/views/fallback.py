"""Any other path under `/v2/`: a 404 in the OCI envelope rather than an HTML page."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse

from ..oci.errors import NameUnknown
from .base import RegistryView


class NotFoundView(RegistryView):
    def dispatch_unknown(self, request: HttpRequest) -> HttpResponse:
        raise NameUnknown(f"no registry endpoint at {request.path}")

    get = head = post = put = patch = delete = dispatch_unknown
