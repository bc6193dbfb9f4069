"""First-start set-up: the admin account and the default public project."""

from __future__ import annotations

import secrets

from django.contrib.auth import get_user_model

from .models import Project

DEFAULT_PROJECT = "library"


def ensure_admin(password: str | None) -> str | None:
    """Create `admin` if missing; return the generated password (None if given or existing)."""
    users = get_user_model()
    if users.objects.filter(username="admin").exists():
        return None
    generated = None if password else secrets.token_urlsafe(12)
    users.objects.create_superuser("admin", "admin@localhost", password or generated, is_staff=True)
    return generated


def ensure_default_project() -> Project:
    project, _ = Project.objects.get_or_create(name=DEFAULT_PROJECT, defaults={"public": True})
    return project
