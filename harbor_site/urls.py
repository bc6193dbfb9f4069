"""Root URLs: the registry API, the token service, the admin and the portal."""

from django.contrib import admin
from django.urls import include, path
from django.views.generic import TemplateView

urlpatterns = [
    path("", include("registry.urls")),
    path("", include("accounts.urls")),
    path("admin/", admin.site.urls),
    path("", TemplateView.as_view(template_name="index.html"), name="home"),
]
