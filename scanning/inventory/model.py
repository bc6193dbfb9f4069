"""What the built-in scanner finds in an image: its operating system and its packages.

This is the contract between the two halves of the scanner: `scanning.inventory` fills it from
an image's layers, `scanning.vulndb` matches it against advisories. Names and versions are kept
exactly as the image records them (a Debian version with its epoch, an RPM version with its
release), because advisories are written against those strings and each ecosystem compares them
by its own rules.
"""

from __future__ import annotations

from dataclasses import dataclass, field


@dataclass(frozen=True)
class OperatingSystem:
    """From `/etc/os-release` (or `/usr/lib/os-release`)."""

    id: str  # ID: debian, ubuntu, alpine, rhel, rocky, almalinux, ...
    version_id: str  # VERSION_ID: "12", "22.04", "3.19.1", "9.3"
    pretty_name: str = ""


@dataclass(frozen=True)
class Package:
    """One installed package.

    `type` is the package-URL type (deb, apk, rpm, pypi, npm, golang, maven, gem). Distribution
    advisories name source packages (a Debian `Source:`, an Alpine origin, the source RPM), so a
    binary package carries its source's name and version too; where there is no separate source
    they equal `name` and `version`.
    """

    type: str
    name: str
    version: str
    source_name: str
    source_version: str
    purl: str
    path: str  # the file in the image that records it
    licenses: tuple[str, ...] = ()


@dataclass
class Inventory:
    os: OperatingSystem | None
    packages: list[Package] = field(default_factory=list)
    # What could not be read (a corrupt record, an unsafe path), each with its reason: a scan
    # reports these rather than failing on the first.
    warnings: list[str] = field(default_factory=list)
