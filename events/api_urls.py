from django.urls import path

from . import api

urlpatterns = [
    path("auditlog-exts", api.SystemAuditLogView.as_view(), name="api-auditlogs"),
    path("auditlog-exts/events", api.AuditLogEventTypesView.as_view(), name="api-auditlog-events"),
    path("audit-logs", api.LegacySystemAuditLogView.as_view(), name="api-legacy-auditlogs"),
    path("projects/<str:project_name_or_id>/auditlog-exts", api.ProjectAuditLogView.as_view()),
    path("projects/<str:project_name_or_id>/logs", api.LegacyProjectAuditLogView.as_view()),
]
