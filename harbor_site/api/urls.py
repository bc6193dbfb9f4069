"""`/api/v2.0/`: the system endpoints here, every app's resources from its own `api_urls`."""

from django.urls import include, path, re_path

from configuration.api import ConfigurationsView

from . import system
from .not_found import APINotFoundView
from .schema import OpenAPIDocumentView

urlpatterns = [
    path("ping", system.PingView.as_view(), name="api-ping"),
    path("health", system.HealthView.as_view(), name="api-health"),
    path("systeminfo", system.SystemInfoView.as_view(), name="api-systeminfo"),
    path("systeminfo/volumes", system.VolumesView.as_view(), name="api-volumes"),
    path("statistics", system.StatisticsView.as_view(), name="api-statistics"),
    path("configurations", ConfigurationsView.as_view(), name="api-configurations"),
    path("openapi.json", OpenAPIDocumentView.as_view(), name="api-schema"),
    path("", include("projects.api_urls")),
    path("", include("projects.api_system_urls")),
    path("", include("events.api_urls")),
    path("", include("registry.api_urls")),
    path("", include("accounts.api_urls")),
    path("", include("scanning.api_urls")),
    path("", include("signatures.api_urls")),
    # Keep last. `[\s\S]`, not `.`: a path holding a newline (`%0A`) is an unknown API path too, not
    # Django's HTML 404.
    re_path(r"^[\s\S]*\Z", APINotFoundView.as_view(), name="api-not-found"),
]
