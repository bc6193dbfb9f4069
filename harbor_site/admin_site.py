"""The operators' admin site, guarded by the one permission check."""

from __future__ import annotations

from typing import Any

from django.contrib import admin
from django.contrib.admin.forms import AdminAuthenticationForm
from django.core.exceptions import ValidationError
from django.http import HttpRequest

from projects.permissions import may_operate
from projects.principals import principal_for_user


class OperatorLoginForm(AdminAuthenticationForm):
    """Admits whoever the permission module lets operate, not Django's `is_staff`."""

    def confirm_login_allowed(self, user: Any) -> None:
        if not user.is_active or not may_operate(principal_for_user(user)):
            raise ValidationError(
                self.error_messages["invalid_login"],
                code="invalid_login",
                params={"username": self.username_field.verbose_name},
            )


class HarborAdminSite(admin.AdminSite):
    site_header = "Harbor administration"
    site_title = "Harbor"
    login_form = OperatorLoginForm

    def has_permission(self, request: HttpRequest) -> bool:
        return request.user.is_active and may_operate(principal_for_user(request.user))
