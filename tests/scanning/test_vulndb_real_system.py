"""Cross-checks against this machine's own Debian tools: dpkg orders versions, and the packages
installed here are matched exactly as dpkg's ordering says they should be."""

from __future__ import annotations

import itertools
import json
import shutil
import subprocess
from pathlib import Path

import pytest
from univers.versions import DebianVersion

from scanning.inventory.model import Inventory, OperatingSystem, Package
from scanning.vulndb.match import findings

from .conftest import FIXTURES

pytestmark = pytest.mark.skipif(shutil.which("dpkg") is None, reason="needs dpkg")

TRICKY = [
    "1.0~~",
    "1.0~",
    "1.0~rc1",
    "1.0",
    "1.0-0.1",
    "1.0-1",
    "1.0-1+b1",
    "1.0+dfsg-1",
    "1.0.dfsg-1",
    "1.0a",
    "0:1.0-2",
    "1:0.9",
    "2.36-9+deb12u3",
    "2.36-9+deb12u10",
    "3.0.11-1~deb12u2",
    "3.0.11-1",
    "1:1.2.11.dfsg-4.1",
    "1:1.2.13.dfsg-1",
]


def dpkg_lt(a: str, b: str) -> bool:
    return subprocess.run(["dpkg", "--compare-versions", a, "lt", b], check=False).returncode == 0


def test_debian_ordering_agrees_with_dpkg():
    for a, b in itertools.permutations(TRICKY, 2):
        assert (DebianVersion(a) < DebianVersion(b)) == dpkg_lt(a, b), (a, b)


def _os_release() -> dict[str, str]:
    fields = {}
    for line in Path("/etc/os-release").read_text().splitlines():
        key, sep, value = line.partition("=")
        if sep:
            fields[key] = value.strip('"')
    return fields


def _installed(names: list[str]) -> list[Package]:
    """This machine's packages as dpkg records them (source name and version included)."""
    fmt = "${Package}\\t${Version}\\t${source:Package}\\t${source:Version}\\t${db:Status-Status}\\n"
    out = subprocess.run(["dpkg-query", "-W", "-f", fmt, *names], capture_output=True, text=True, check=False)
    packages = []
    for line in out.stdout.splitlines():
        name, version, source, source_version, state = line.split("\t")
        if state == "installed":
            packages.append(
                Package("deb", name, version, source, source_version, f"pkg:deb/debian/{name}", "dpkg")
            )
    return packages


def test_this_machines_packages_match_as_dpkg_says(vulndb):
    release = _os_release()
    if release.get("ID") != "debian" or not release.get("VERSION_ID"):
        pytest.skip("not a Debian release")
    ecosystem = f"Debian:{release['VERSION_ID'].split('.')[0]}"
    packages = _installed(["libc6", "libssl3", "openssl", "zlib1g"])
    assert packages, "dpkg lists none of libc6, libssl3, openssl, zlib1g"
    expected = set()
    for path in (FIXTURES / "Debian").glob("*.json"):
        record = json.loads(path.read_text())
        cve = (record.get("upstream") or record.get("related"))[0]
        for affected in record["affected"]:
            if affected["package"]["ecosystem"] != ecosystem:
                continue
            fixed = next(e["fixed"] for e in affected["ranges"][0]["events"] if "fixed" in e)
            for package in packages:
                if package.source_name == affected["package"]["name"] and dpkg_lt(
                    package.source_version, fixed
                ):
                    expected.add((package.name, cve))
    inventory = Inventory(OperatingSystem("debian", release["VERSION_ID"]), packages)
    assert {(f.package.name, f.id) for f in findings(inventory)} == expected
    assert inventory.warnings == []
