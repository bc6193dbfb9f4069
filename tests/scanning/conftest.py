"""Fixtures of the scanner tests: the real-advisory OSV fixture set (vulnerability database)
and this machine's real package databases (inventory ground truth)."""

from __future__ import annotations

import json
import platform
import shutil
import subprocess
import zipfile
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from scanning.inventory.model import Package
from scanning.models import VulnSource
from scanning.vulndb.importer import import_source, source_for
from tests.api.conftest import user_client  # noqa: F401
from tests.registry.conftest import moto_server  # noqa: F401
from tests.registry.test_s3_registry import s3_prefix  # noqa: F401

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


DPKG_STATUS = Path("/var/lib/dpkg/status")


def dpkg_paragraphs() -> dict[str, str]:
    """This machine's dpkg status records by package name, text as dpkg wrote it."""
    records = {}
    for paragraph in DPKG_STATUS.read_text().split("\n\n"):
        for line in paragraph.splitlines():
            if line.startswith("Package: "):
                records[line.split(": ", 1)[1]] = paragraph.strip() + "\n"
    return records


@pytest.fixture(scope="session")
def dpkg_records() -> dict[str, str]:
    if not DPKG_STATUS.exists():
        pytest.skip("no dpkg database on this machine")
    return dpkg_paragraphs()


@pytest.fixture(scope="session")
def sample_debs(dpkg_records) -> dict[str, str]:
    """A few installed packages: two whose Source: differs in name (one also in version, if
    the machine has one) and one without Source:."""
    with_version = [
        name
        for name, text in dpkg_records.items()
        if "\nSource: " in text and ")" in text.split("\nSource: ")[1].splitlines()[0]
    ]
    name_only = [
        name for name, text in dpkg_records.items() if "\nSource: " in text and name not in with_version
    ]
    plain = [name for name, text in dpkg_records.items() if "\nSource: " not in text]
    chosen = with_version[:1] + name_only[:2] + plain[:2]
    return {name: dpkg_records[name] for name in chosen}


def dpkg_query(names: list[str]) -> dict[str, tuple[str, str, str]]:
    """dpkg's own answer: name -> (version, source name, source version)."""
    output = subprocess.run(
        ["dpkg-query", "-W", "-f=${Package}\\t${Version}\\t${source:Package}\\t${source:Version}\\n", *names],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    rows = (line.split("\t") for line in output.splitlines())
    return {name: (version, source, source_version) for name, version, source, source_version in rows}


@pytest.fixture(scope="session")
def os_release() -> tuple[bytes, dict[str, str]]:
    """This machine's os-release and Python's own parse of it."""
    path = Path("/etc/os-release")
    return path.read_bytes(), platform.freedesktop_os_release()


# The registry tests' S3 fixtures (a moto server, a key prefix per test), reused here.
