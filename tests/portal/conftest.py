"""Fixtures of the portal tests: people with each role in a private project, logged in."""

from __future__ import annotations

import pytest
from django.test import Client

from projects.models import Project, ProjectMember
from projects.rbac import Role
from tests.registry.helpers import push_image

PASSWORD = "Passw0rd!x"


@pytest.fixture
def secret_project(db) -> Project:
    return Project.objects.create(name="secret", public=False)


@pytest.fixture
def login(django_user_model):
    """A logged-in portal client for a new user (optionally with a role in a project)."""

    def make(username: str, project: Project | None = None, role: Role | None = None) -> Client:
        user = django_user_model.objects.create_user(username, f"{username}@example.com", PASSWORD)
        if project is not None and role is not None:
            ProjectMember.objects.create(project=project, user=user, role=role)
        client = Client()
        response = client.post("/login", {"username": username, "password": PASSWORD})
        assert response.status_code == 302, response.content
        return client

    return make


@pytest.fixture
def pushed(admin_client, secret_project) -> str:
    """An image `secret/app:v1` pushed through /v2/; returns its digest."""
    digest, _ = push_image(admin_client, "secret/app", "v1")
    return digest
