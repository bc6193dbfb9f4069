"""Fixtures of the vulnerability database tests: the real-advisory OSV fixture set, imported."""

from __future__ import annotations

import json
import shutil
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scanning.inventory.model import Package
from scanning.models import VulnSource
from scanning.vulndb.importer import import_source, source_for

FIXTURES = Path(__file__).resolve().parent.parent / "fixtures" / "osv"
FIXTURE_RECORDS = sorted(FIXTURES.rglob("*.json"))


def fixture_ids() -> set[str]:
    return {json.loads(path.read_text())["id"] for path in FIXTURE_RECORDS}


@pytest.fixture(autouse=True)
def data_dir(settings, tmp_path: Path) -> Path:
    """Downloads are spooled under the data directory: a private one per test."""
    settings.DATA_DIR = tmp_path / "data"
    return settings.DATA_DIR


@pytest.fixture
def osv_dir(tmp_path: Path) -> Path:
    """A private copy of the fixture set that a test may edit."""
    target = tmp_path / "osv"
    shutil.copytree(FIXTURES, target)
    return target


def make_zip(directory: Path, target: Path) -> Path:
    """An `all.zip` laid out as OSV publishes it: one `<id>.json` per record at the top."""
    with zipfile.ZipFile(target, "w", zipfile.ZIP_DEFLATED) as archive:
        for path in sorted(directory.rglob("*.json")):
            archive.write(path, path.name)
    return target


@pytest.fixture
def vulndb(db) -> VulnSource:
    """The fixture advisories imported from their directory."""
    source = source_for("fixtures", str(FIXTURES))
    result = import_source(source)
    assert result.warnings == [] and result.records == len(FIXTURE_RECORDS)
    return source


def write_record(directory: Path, record: dict[str, Any]) -> Path:
    path = directory / f"{record['id'].replace(':', '-')}.json"
    path.write_text(json.dumps(record))
    return path


@pytest.fixture
def package() -> Callable[..., Package]:
    """An installed package as the inventory reader reports it."""

    def make(
        type: str, name: str, version: str, source_name: str = "", source_version: str = "", purl: str = ""
    ) -> Package:
        return Package(
            type=type,
            name=name,
            version=version,
            source_name=source_name or name,
            source_version=source_version or version,
            purl=purl or f"pkg:{type}/{name}@{version}",
            path="test",
        )

    return make
