from django.urls import path

from . import views

urlpatterns = [
    path("c/oidc/login", views.oidc_login, name="oidc-login"),
    path("c/oidc/callback", views.oidc_callback, name="oidc-callback"),
]
