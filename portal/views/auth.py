"""Logging in and out of the portal: Django's auth views over the registry's one login rule.

`registry.auth.credentials.check_password` is what `/v2/`, the token service and the API
use: local accounts, LDAP when auth_mode is ldap_auth, and django-axes' lock-out. The
portal's form asks it and nothing else. Robots never log into the portal (Harbor's rule).
"""

from __future__ import annotations

from typing import Any

from django import forms
from django.contrib.auth import get_user_model
from django.contrib.auth.forms import AuthenticationForm
from django.contrib.auth.views import LoginView, LogoutView
from django.utils.translation import gettext_lazy as _

from configuration.store import get as config_value
from projects.robots import is_robot_login
from registry.auth.credentials import LockedOut, check_password

# The session remembers the user id; ModelBackend reloads it (LDAP users are local rows too).
SESSION_BACKEND = "django.contrib.auth.backends.ModelBackend"


class PortalLoginForm(AuthenticationForm):
    error_messages = {
        "invalid_login": _("Invalid username or password."),
        "inactive": _("This account is disabled."),
        "robot": _("Robot accounts cannot log into the portal."),
        "locked_out": _("Too many failed logins; try again later."),
    }

    def clean(self) -> dict[str, Any]:
        username = self.cleaned_data.get("username") or ""
        password = self.cleaned_data.get("password") or ""
        if not username or not password:
            return self.cleaned_data
        if is_robot_login(username):
            raise forms.ValidationError(self.error_messages["robot"], code="robot")
        try:
            principal = check_password(username, password, self.request)
        except LockedOut:
            raise forms.ValidationError(self.error_messages["locked_out"], code="locked_out") from None
        if principal is None or principal.user_id is None:
            raise self.get_invalid_login_error()
        user = get_user_model().objects.get(pk=principal.user_id)
        user.backend = SESSION_BACKEND
        self.confirm_login_allowed(user)
        self.user_cache = user
        return self.cleaned_data


class PortalLoginView(LoginView):
    template_name = "portal/login.html"
    form_class = PortalLoginForm
    redirect_authenticated_user = True

    def get_context_data(self, **kwargs: Any) -> dict[str, Any]:
        context = super().get_context_data(**kwargs)
        context["oidc"] = config_value("auth_mode") == "oidc_auth"
        return context


class PortalLogoutView(LogoutView):
    """POST only (Django's rule): a link cannot log anybody out."""

    next_page = "portal:login"
