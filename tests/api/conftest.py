"""Fixtures of the API tests: users with Basic clients."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import pytest
from django.test import Client

from ..conftest import basic

PASSWORD = "Password1"


@pytest.fixture
def user_client(django_user_model) -> Callable[..., Client]:
    """Create a user (password `PASSWORD`) and return a client sending their Basic credentials."""

    def make(username: str, **fields: Any) -> Client:
        django_user_model.objects.create_user(username, password=PASSWORD, **fields)
        return Client(HTTP_AUTHORIZATION=basic(username, PASSWORD))

    return make
