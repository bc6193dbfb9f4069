from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin, messages
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from harbor_site.admin_base import ReadOnlyAdmin

from .models import CVEAllowlist, Label, Project, ProjectMember, Robot
from .principals import principal_for_user
from .robots import RobotError, create_robot, login_name, set_secret, validate_permissions


class ProjectMemberInline(admin.TabularInline):
    """Members are shown here and changed through the portal or the API, which check the role
    and record the change in the audit log."""

    model = ProjectMember
    extra = 0
    fields = ("user", "group", "role")
    readonly_fields = fields
    can_delete = False

    def has_add_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False


@admin.register(Project)
class ProjectAdmin(admin.ModelAdmin):
    list_display = ("name", "public", "owner", "created_at")
    list_select_related = ("owner",)
    list_filter = ("public",)
    search_fields = ("name",)
    inlines = [ProjectMemberInline]


class RobotForm(forms.ModelForm):
    """On creation `name` is the short name; project robots become `<project>+<name>`."""

    class Meta:
        model = Robot
        fields = ("name", "project", "description", "duration", "disabled", "permissions")

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        try:
            cleaned["permissions"] = validate_permissions(cleaned.get("project"), cleaned.get("permissions"))
        except RobotError as exc:
            raise ValidationError(str(exc)) from None
        return cleaned


@admin.register(Robot)
class RobotAdmin(admin.ModelAdmin):
    """Robots are created here until the REST API exists; the secret is shown once."""

    form = RobotForm
    list_display = ("name", "level", "project", "disabled", "expires_at", "created_at")
    list_select_related = ("project",)
    list_filter = ("disabled",)
    search_fields = ("name",)
    actions = ["refresh_secret"]

    def get_readonly_fields(self, request: HttpRequest, obj: Robot | None = None) -> tuple[str, ...]:
        return ("name", "project", "duration", "expires_at") if obj else ()

    def save_model(self, request: HttpRequest, obj: Robot, form: forms.ModelForm, change: bool) -> None:
        if change:
            super().save_model(request, obj, form, change)
            return
        try:
            robot, secret = create_robot(
                form.cleaned_data["name"],
                form.cleaned_data["permissions"],
                project=form.cleaned_data.get("project"),
                duration=form.cleaned_data["duration"],
                description=form.cleaned_data.get("description", ""),
                creator=principal_for_user(request.user),
            )
        except RobotError as exc:
            raise ValidationError(str(exc)) from None
        obj.pk = robot.pk
        messages.warning(
            request, f"Secret of {login_name(robot)}: {secret} (copy it now: it is not shown again)"
        )

    @admin.action(description="Refresh the secret of the selected robots")
    def refresh_secret(self, request: HttpRequest, queryset: QuerySet[Robot]) -> None:
        for robot in queryset:
            messages.warning(request, f"New secret of {login_name(robot)}: {set_secret(robot)}")


@admin.register(Label)
class LabelAdmin(ReadOnlyAdmin):
    """Labels are created and renamed through the portal and the API (their naming rules);
    operators may look and delete here."""

    list_display = ("name", "scope", "project", "color", "created_at")
    list_select_related = ("project",)
    list_filter = ("scope",)
    search_fields = ("name", "project__name")


@admin.register(CVEAllowlist)
class CVEAllowlistAdmin(ReadOnlyAdmin):
    """The system list (no project) and each project's; set through the API, which checks
    the CVE ids and the expiry."""

    list_display = ("__str__", "project", "expires_at", "updated_at")
    list_select_related = ("project",)
    search_fields = ("project__name",)
