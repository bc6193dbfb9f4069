from django.urls import path

from . import api

urlpatterns = [
    path("vulndb/status", api.VulnDBStatusView.as_view(), name="api-vulndb-status"),
]
