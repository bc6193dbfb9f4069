"""Root URLs: the registry API, the token service, the admin and the portal (at `/`)."""

from django.contrib import admin
from django.urls import include, path

from harbor_site.api.system import VersionView

urlpatterns = [
    path("", include("registry.urls")),
    path("", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("api/v2.0/", include("harbor_site.api.urls")),
    path("api/version", VersionView.as_view(), name="api-version"),
    path("", include("portal.urls")),
]
