"""Fixtures of the signature tests: a project with its policies, and images in it."""

from __future__ import annotations

import json
from collections.abc import Callable

import pytest
from django.test import Client

from projects.models import Project
from tests.api.conftest import user_client  # noqa: F401 - a fixture
from tests.api.registry_helpers import push_index
from tests.registry.helpers import push_image

REPO = "library/app"


def set_policy(project: Project, **flags: bool) -> None:
    project.metadata = {**project.metadata, **{key: str(value).lower() for key, value in flags.items()}}
    project.save(update_fields=["metadata"])


@pytest.fixture
def policy(library) -> Callable[..., None]:
    return lambda **flags: set_policy(library, **flags)


@pytest.fixture
def image(admin_client) -> tuple[str, int]:
    """An image tagged `v1` in library/app: (digest, manifest size)."""
    digest, manifest = push_image(admin_client, REPO, "v1")
    return digest, len(manifest)


@pytest.fixture
def index(admin_client) -> tuple[str, list[str]]:
    return push_index(admin_client, REPO, "multi", ["amd64", "arm64"])


def pull(client: Client, reference: str, method: str = "get", **headers: str):
    return getattr(client, method)(f"/v2/{REPO}/manifests/{reference}", **headers)


def error(response) -> tuple[str, str]:
    body = json.loads(response.content)["errors"][0]
    return body["code"], body["message"]
