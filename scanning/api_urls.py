from django.urls import path

from . import api, api_export, api_scanners, api_scans, api_security

P = "projects/<str:project_name_or_id>"
A = "projects/<str:project_name>/repositories/<str:repository_name>/artifacts/<str:reference>"

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
    path(f"{A}/scan", api_scans.ScanView.as_view(), name="api-artifact-scan"),
    path(f"{A}/scan/stop", api_scans.ScanStopView.as_view(), name="api-artifact-scan-stop"),
    path(f"{A}/scan/<str:report_id>/log", api_scans.ScanLogView.as_view(), name="api-artifact-scan-log"),
    path("system/scanAll/schedule", api_scans.ScanAllScheduleView.as_view(), name="api-scan-all-schedule"),
    path("system/scanAll/stop", api_scans.ScanAllStopView.as_view(), name="api-scan-all-stop"),
    path("security/summary", api_security.SecuritySummaryView.as_view(), name="api-security-summary"),
    path("security/vul", api_security.SecurityVulnerabilitiesView.as_view(), name="api-security-vul"),
    path("export/cve", api_export.ExportView.as_view(), name="api-export-cve"),
    path("export/cve/executions", api_export.ExecutionListView.as_view(), name="api-export-cve-executions"),
    path(
        "export/cve/execution/<int:execution_id>",
        api_export.ExecutionView.as_view(),
        name="api-export-cve-execution",
    ),
    path(
        "export/cve/download/<int:execution_id>",
        api_export.DownloadView.as_view(),
        name="api-export-cve-download",
    ),
    path("scans/all/metrics", api_scans.ScanAllMetricsView.as_view(), name="api-scan-all-metrics"),
]
