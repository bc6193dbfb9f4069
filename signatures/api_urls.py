from django.urls import path

from . import api

P = "projects/<str:project_name_or_id>"

urlpatterns = [
    path(f"{P}/trusted-keys", api.TrustedKeyListView.as_view(), name="api-trusted-keys"),
    path(f"{P}/trusted-keys/<int:key_id>", api.TrustedKeyView.as_view(), name="api-trusted-key"),
]
