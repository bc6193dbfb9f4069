from __future__ import annotations

from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.http import HttpRequest

from harbor_site.admin_base import ReadOnlyAdmin

from .keys import InvalidKey
from .models import KeyKind, TrustedKey, Verdict
from .services import KeyConflict, add_key, check_unique, remove_key, validated_key


class TrustedKeyForm(forms.ModelForm):
    """Keys are checked as the API checks them; the derived fields are filled in here."""

    class Meta:
        model = TrustedKey
        fields = ("project", "name", "kind", "pem", "trusted_identity", "description")
        widgets = {"kind": forms.Select(choices=KeyKind.choices)}

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean()
        if self.errors:
            return cleaned
        try:
            self.validated = validated_key(
                cleaned["project"],
                cleaned["name"],
                cleaned["kind"],
                cleaned["pem"],
                cleaned.get("trusted_identity", ""),
            )
            check_unique(self.validated)
        except (InvalidKey, KeyConflict) as exc:
            raise ValidationError(str(exc)) from None
        self.validated.description = cleaned.get("description", "")
        return cleaned


@admin.register(TrustedKey)
class TrustedKeyAdmin(admin.ModelAdmin):
    """Added and deleted through the same service as the API (audited, verdicts dropped);
    a key is never edited in place: remove it and add the new one."""

    form = TrustedKeyForm
    list_display = ("name", "project", "kind", "algorithm", "fingerprint", "created_at")
    list_select_related = ("project",)
    list_filter = ("kind",)
    search_fields = ("name", "project__name", "fingerprint")

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return obj is None and super().has_change_permission(request, obj)

    def save_model(self, request: HttpRequest, obj: TrustedKey, form: Any, change: bool) -> None:
        saved = add_key(request.user.get_username(), form.validated)
        obj.pk = saved.pk

    def delete_model(self, request: HttpRequest, obj: TrustedKey) -> None:
        remove_key(request.user.get_username(), obj)

    def delete_queryset(self, request: HttpRequest, queryset: QuerySet[TrustedKey]) -> None:
        for key in queryset.select_related("project"):
            remove_key(request.user.get_username(), key)


@admin.register(Verdict)
class VerdictAdmin(ReadOnlyAdmin):
    list_display = ("subject_digest", "signature_digest", "project", "verified", "key_name", "checked_at")
    list_select_related = ("project",)
    list_filter = ("verified",)
    search_fields = ("subject_digest", "signature_digest")
