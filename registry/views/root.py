"""`GET /v2/`: the API version check clients start with (end-1)."""

from __future__ import annotations

from django.http import HttpRequest, HttpResponse, JsonResponse

from ..oci.errors import Unauthorized
from .base import RegistryView


class RootView(RegistryView):
    def get(self, request: HttpRequest) -> HttpResponse:
        if not self.identity.presented:
            raise Unauthorized()
        return JsonResponse({})
