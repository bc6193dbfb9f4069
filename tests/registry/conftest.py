"""Fixtures of the registry tests: one moto S3 server per test session."""

from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.s3 import MotoS3, moto_s3


@pytest.fixture(scope="session")
def moto_server() -> Iterator[MotoS3]:
    """Started once: a server takes ~0.5 s, and tests keep apart by key prefix."""
    with moto_s3() as s3:
        yield s3
