"""End-to-end fixtures: one real server for the whole e2e session."""

from __future__ import annotations

import shutil
from collections.abc import Iterator

import pytest

from tests.server import LiveRegistry, live_registry


def require(tool: str) -> None:
    """E2E tests need the real client; `.ci/run` installs it, so CI never skips."""
    if shutil.which(tool) is None:
        pytest.fail(f"{tool} is not installed (apt-get install {tool}); .ci/run installs it")


@pytest.fixture(scope="session")
def registry(tmp_path_factory) -> Iterator[LiveRegistry]:
    with live_registry(tmp_path_factory.mktemp("e2e")) as server:
        yield server
