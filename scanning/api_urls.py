from django.urls import path

from . import api, api_scanners

P = "projects/<str:project_name_or_id>"

urlpatterns = [
    path("vulndb/status", api.VulnDBStatusView.as_view(), name="api-vulndb-status"),
    path("scanners", api_scanners.ScannerListView.as_view(), name="api-scanners"),
    path("scanners/ping", api_scanners.ScannerPingView.as_view(), name="api-scanners-ping"),
    path("scanners/<str:registration_id>", api_scanners.ScannerView.as_view(), name="api-scanner"),
    path(
        "scanners/<str:registration_id>/metadata",
        api_scanners.ScannerMetadataView.as_view(),
        name="api-scanner-metadata",
    ),
    path(f"{P}/scanner", api_scanners.ProjectScannerView.as_view(), name="api-project-scanner"),
    path(
        f"{P}/scanner/candidates",
        api_scanners.ProjectScannerCandidatesView.as_view(),
        name="api-project-scanner-candidates",
    ),
]
