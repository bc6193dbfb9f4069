"""OSV ecosystems: their names for an image's packages, lookup keys, and version orderings.

One table per fact, so adding an ecosystem is one line in each: how OSV spells the ecosystem of
an installed package, how a package name is normalised for lookup, and which `univers` version
class orders its versions.
"""

from __future__ import annotations

import re
from urllib.parse import unquote

from univers import versions as uv

from scanning.inventory.model import OperatingSystem, Package

# Ecosystem (the part before the first ":") -> univers version class.
_VERSION_CLASSES: dict[str, type[uv.Version]] = {
    "Debian": uv.DebianVersion,
    "Ubuntu": uv.DebianVersion,
    "Alpine": uv.AlpineLinuxVersion,
    "Red Hat": uv.RpmVersion,
    "Rocky Linux": uv.RpmVersion,
    "AlmaLinux": uv.RpmVersion,
    "PyPI": uv.PypiVersion,
    "npm": uv.SemverVersion,
    "Go": uv.GolangVersion,
    "Maven": uv.MavenVersion,
    "RubyGems": uv.RubygemsVersion,
}


def version_class(ecosystem: str) -> type[uv.Version] | None:
    return _VERSION_CLASSES.get(ecosystem.split(":", 1)[0])


def package_key(ecosystem: str, name: str) -> str:
    """The lookup form of a package name: PEP 503 for PyPI (OSV keeps PyPI's display spelling,
    `Jinja2`, while installed metadata may say `jinja2`); the name itself elsewhere."""
    if ecosystem == "PyPI":
        return re.sub(r"[-_.]+", "-", name).lower()
    return name


def _major(version_id: str) -> str:
    return version_id.split(".", 1)[0]


def _ubuntu(version_id: str) -> str:
    """OSV spells Ubuntu LTS releases (even year, April) "Ubuntu:22.04:LTS", others "Ubuntu:23.10"."""
    year, _, month = version_id.partition(".")
    lts = month == "04" and year.isdigit() and int(year) % 2 == 0
    return f"Ubuntu:{version_id}:LTS" if lts else f"Ubuntu:{version_id}"


def _alpine(version_id: str) -> str:
    return "Alpine:v" + ".".join(version_id.split(".")[:2])


# os-release ID -> (OSV ecosystem for its packages) for the distributions OSV publishes.
_OS_ECOSYSTEMS = {
    "debian": lambda v: f"Debian:{_major(v)}",
    "ubuntu": _ubuntu,
    "alpine": _alpine,
    "rocky": lambda v: f"Rocky Linux:{_major(v)}",
    "almalinux": lambda v: f"AlmaLinux:{_major(v)}",
    "rhel": lambda v: f"Red Hat:enterprise_linux:{_major(v)}",
}
_OS_PACKAGE_TYPES = {"deb", "apk", "rpm"}
_LANGUAGE_ECOSYSTEMS = {
    "pypi": "PyPI",
    "npm": "npm",
    "golang": "Go",
    "maven": "Maven",
    "gem": "RubyGems",
}


class Unsupported(Exception):
    """A package no OSV ecosystem covers (a deb on an unknown OS, an unknown purl type)."""


def ecosystem_of(package: Package, os: OperatingSystem | None) -> str:
    """The OSV ecosystem an installed package is looked up in.

    Red Hat's OSV ecosystems carry a repository suffix ("Red Hat:enterprise_linux:9::appstream"),
    so for RHEL this returns the prefix and the lookup matches on it.
    """
    if package.type in _LANGUAGE_ECOSYSTEMS:
        return _LANGUAGE_ECOSYSTEMS[package.type]
    if package.type in _OS_PACKAGE_TYPES:
        if os is None or not os.version_id or os.id not in _OS_ECOSYSTEMS:
            what = f"{os.id} {os.version_id}".strip() if os else "an unknown operating system"
            raise Unsupported(f"no vulnerability data for {package.type} packages on {what}")
        return _OS_ECOSYSTEMS[os.id](os.version_id)
    raise Unsupported(f"no vulnerability data for {package.type} packages")


def is_prefix_ecosystem(ecosystem: str) -> bool:
    return ecosystem.startswith("Red Hat:")


def family(ecosystem: str) -> str:
    """The name `ecosystem_of` gives an advisory's ecosystem:
    "Red Hat:enterprise_linux:9::appstream" -> "Red Hat:enterprise_linux:9"; others unchanged."""
    return ":".join(ecosystem.split(":")[:3]) if is_prefix_ecosystem(ecosystem) else ecosystem


def lookup(package: Package, ecosystem: str) -> tuple[list[str], str]:
    """The names to look up and the version to compare for one installed package.

    Distribution advisories name source packages (Debian, Ubuntu, Alpine), so those use the
    source name and version (a binNMU `+b1` binary still matches its source's fix). RPM
    advisories name binary packages, so both names are tried against the binary's version.
    """
    if package.type in ("deb", "apk"):
        return [package.source_name or package.name], package.source_version or package.version
    if package.type == "rpm":
        names = {package.name, package.source_name or package.name}
        return sorted(names), package.version
    if package.type == "maven":
        return [_maven_name(package)], package.version
    if package.type == "golang":
        # Modules record `v1.2.3`, the toolchain `go1.21.5` (as package `stdlib`); OSV writes 1.2.3.
        version = package.version.removeprefix("go") if package.name == "stdlib" else package.version
        return [package.name], version.removeprefix("v")
    if package.type == "npm":
        return [_npm_name(package)], package.version
    return [package_key(ecosystem, package.name)], package.version


def _purl_parts(purl: str) -> list[str]:
    path = purl.split("?", 1)[0].split("#", 1)[0].split("@", 1)[0]
    return [unquote(part) for part in path.split("/")[1:]]


def _maven_name(package: Package) -> str:
    """OSV names Maven artifacts "group:artifact"; the purl carries the group as its namespace."""
    if ":" in package.name:
        return package.name
    parts = _purl_parts(package.purl)
    if len(parts) >= 2:
        return f"{parts[-2]}:{parts[-1]}"
    return package.name


def _npm_name(package: Package) -> str:
    """A scoped npm package is "@scope/name" in OSV; accept a purl-only scope too."""
    if package.name.startswith("@") or not package.purl.startswith("pkg:npm/"):
        return package.name
    parts = _purl_parts(package.purl)
    return "/".join(parts) if len(parts) == 2 and parts[0].startswith("@") else package.name
