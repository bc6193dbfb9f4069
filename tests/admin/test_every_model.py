"""Every model of ours is in the admin (or shown inline under the one it belongs to), and every
admin list page renders for an operator."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.contrib import admin
from django.test import Client
from django.urls import reverse

OUR_APPS = {"accounts", "configuration", "events", "projects", "registry", "scanning", "signatures"}
# Link rows, shown inline under their owner (or not at all: blob links are bookkeeping).
INLINE_OR_INTERNAL = {
    "projects.ProjectMember",
    "scanning.AffectedPackage",
    "registry.RepositoryBlob",
    "registry.ArtifactBlob",
    "registry.ArtifactReference",
}


def our_models() -> list[type]:
    return [model for model in apps.get_models() if model._meta.app_label in OUR_APPS]


def test_every_model_is_registered_or_inline():
    missing = [
        model._meta.label
        for model in our_models()
        if model not in admin.site._registry and model._meta.label not in INLINE_OR_INTERNAL
    ]
    assert missing == []


@pytest.mark.django_db
def test_every_list_page_renders(admin_user):
    operator = Client()
    operator.force_login(admin_user)
    for model in our_models():
        if model not in admin.site._registry:
            continue
        url = reverse(f"admin:{model._meta.app_label}_{model._meta.model_name}_changelist")
        assert operator.get(url).status_code == 200, url
