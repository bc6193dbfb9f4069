"""`/api/v2.0/`: the system endpoints here, every app's resources from its own `api_urls`."""

from django.urls import include, path, re_path
from drf_spectacular.views import SpectacularAPIView

from configuration.api import ConfigurationsView

from . import schema, system  # noqa: F401 - schema registers the OpenAPI auth extensions
from .not_found import APINotFoundView

urlpatterns = [
    path("ping", system.PingView.as_view(), name="api-ping"),
    path("health", system.HealthView.as_view(), name="api-health"),
    path("systeminfo", system.SystemInfoView.as_view(), name="api-systeminfo"),
    path("systeminfo/volumes", system.VolumesView.as_view(), name="api-volumes"),
    path("statistics", system.StatisticsView.as_view(), name="api-statistics"),
    path("configurations", ConfigurationsView.as_view(), name="api-configurations"),
    path("openapi.json", SpectacularAPIView.as_view(), name="api-schema"),
    path("", include("projects.api_urls")),
    path("", include("projects.api_system_urls")),
    path("", include("events.api_urls")),
    path("", include("registry.api_urls")),
    path("", include("accounts.api_urls")),
    re_path(r"^.*$", APINotFoundView.as_view(), name="api-not-found"),  # keep last
]
