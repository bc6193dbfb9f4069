from __future__ import annotations

from collections.abc import Iterator

import pytest

from tests.ldap_server import Directory, running_slapd


@pytest.fixture(scope="session")
def directory(tmp_path_factory) -> Iterator[Directory]:
    with running_slapd(tmp_path_factory.mktemp("slapd")) as server:
        yield server


@pytest.fixture
def ldap_mode(db, directory: Directory) -> Directory:
    from configuration.store import update_config

    update_config(directory.harbor_config())
    return directory
