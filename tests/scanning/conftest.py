"""Real package databases of this machine, as the scanner tests' ground truth."""

from __future__ import annotations

import platform
import subprocess
from pathlib import Path

import pytest

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
from tests.registry.conftest import moto_server  # noqa: E402, F401
from tests.registry.test_s3_registry import s3_prefix  # noqa: E402, F401
