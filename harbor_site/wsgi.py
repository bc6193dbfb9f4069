"""WSGI entry point: every HTTP route is served from a WSGI server (see docs/architecture.md).

Registry traffic (`/v2/`, `/service/token`) is all machine-to-machine: no
sessions, CSRF, flash messages or frame options apply to it, yet those
middlewares cost about 40 % of a manifest GET. So those paths go to a second
Django handler built with `REGISTRY_MIDDLEWARE`; the URLs, views and settings
are the same.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from typing import Any

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbor_site.settings")

portal_application = get_wsgi_application()

from django.conf import settings  # noqa: E402 - after the app registry is ready
from django.core.handlers.wsgi import WSGIHandler  # noqa: E402


class RegistryHandler(WSGIHandler):
    """The Django handler with the registry's short middleware chain."""

    def load_middleware(self, is_async: bool = False) -> None:
        full = settings.MIDDLEWARE
        settings.MIDDLEWARE = settings.REGISTRY_MIDDLEWARE
        try:
            super().load_middleware(is_async)
        finally:
            settings.MIDDLEWARE = full


registry_application = RegistryHandler()
REGISTRY_PREFIXES = ("/v2/", "/service/token")


def application(environ: dict[str, Any], start_response: Callable[..., Any]) -> Iterable[bytes]:
    handler = (
        registry_application
        if environ.get("PATH_INFO", "").startswith(REGISTRY_PREFIXES)
        else portal_application
    )
    return handler(environ, start_response)
