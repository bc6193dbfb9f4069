"""Fixtures of the API tests: users with Basic clients, event delivery, the LDAP directory."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

# The real OpenLDAP server of tests/accounts, for the /ldap API and LDAP members.
from tests.accounts.conftest import directory, ldap_mode  # noqa: F401

from ..conftest import basic

PASSWORD = "Password1"


@pytest.fixture
def user_client(django_user_model) -> Callable[..., Client]:
    """Create a user (password `PASSWORD`) and return a client sending their Basic credentials."""

    def make(username: str, **fields: Any) -> Client:
        django_user_model.objects.create_user(username, password=PASSWORD, **fields)
        return Client(HTTP_AUTHORIZATION=basic(username, PASSWORD))

    return make


@pytest.fixture
def on_commit(django_capture_on_commit_callbacks) -> Callable[..., Any]:
    """Run on-commit callbacks (event delivery, hence the audit log) as a real commit would."""

    def run(action: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
        with django_capture_on_commit_callbacks(execute=True):
            return action(*args, **kwargs)

    return run
