"""Shared fixtures: a fresh blob store per test, users, and HTTP clients with credentials."""

from __future__ import annotations

import base64
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from django.test import Client

from projects.models import Project
from registry import storage
from tests.ldap_server import Directory, running_slapd

ADMIN_PASSWORD = "Harbor12345"


@pytest.fixture(autouse=True)
def blob_root(settings, tmp_path: Path) -> Iterator[Path]:
    """Every test gets an empty file-system blob store of its own."""
    settings.BLOB_STORAGE = "filesystem"
    settings.BLOB_ROOT = tmp_path / "registry"
    storage.blob_store.cache_clear()
    yield settings.BLOB_ROOT
    storage.blob_store.cache_clear()


@pytest.fixture(autouse=True)
def fast_password_hashing(settings) -> None:
    """Real PBKDF2 costs ~0.3 s per user created; the live-server tests keep the real one."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def synchronous_events(settings) -> Iterator[None]:
    """No flusher thread in tests: they call `events.bus.flush()` where they expect delivery."""
    from events import bus

    settings.EVENTS_BACKGROUND_FLUSH = False
    bus.discard_buffered()
    yield
    bus.discard_buffered()


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks) -> Callable[..., Any]:
    """Run on-commit callbacks (event delivery, hence the audit log) as a real commit would."""

    def run(action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run


@pytest.fixture(scope="session")
def directory(tmp_path_factory) -> Iterator[Directory]:
    """One real OpenLDAP server (slapd) for every LDAP test of the session."""
    with running_slapd(tmp_path_factory.mktemp("slapd")) as server:
        yield server


@pytest.fixture
def ldap_mode(db, directory: Directory) -> Directory:
    """The system configured for LDAP login against `directory`."""
    from configuration.store import update_config

    update_config(directory.harbor_config())
    return directory


def basic(username: str, password: str) -> str:
    return "Basic " + base64.b64encode(f"{username}:{password}".encode()).decode()


@pytest.fixture
def admin_user(django_user_model):
    return django_user_model.objects.create_superuser("admin", "admin@example.com", ADMIN_PASSWORD)


@pytest.fixture
def library(db) -> Project:
    return Project.objects.create(name="library", public=True)


@pytest.fixture
def private_project(db) -> Project:
    return Project.objects.create(name="private", public=False)


@pytest.fixture
def admin_client(admin_user, library) -> Client:
    """A client that sends the admin's Basic credentials on every request."""
    return Client(HTTP_AUTHORIZATION=basic("admin", ADMIN_PASSWORD))
