"""Debian packages: `var/lib/dpkg/status`, and distroless images' `var/lib/dpkg/status.d/*`
(one file per package, no `Status:` line, alongside `<name>.md5sums` files)."""

from __future__ import annotations

import posixpath
import re

from ..model import Package
from ..purls import purl
from .base import Findings, paragraphs, text_of

STATUS = "var/lib/dpkg/status"
STATUS_DIR = "var/lib/dpkg/status.d"
_SOURCE = re.compile(r"^(?P<name>[^\s(]+)(?:\s+\((?P<version>[^)]+)\))?\s*$")


def fields_of(lines: list[str]) -> dict[str, str]:
    """deb822 fields; continuation lines (leading space) belong to the previous field."""
    fields: dict[str, str] = {}
    key = ""
    for line in lines:
        if line[0] in " \t":
            if not key:
                raise ValueError(f"continuation line before any field: {line.strip()[:60]!r}")
            fields[key] += "\n" + line.strip()
            continue
        if ":" not in line:
            raise ValueError(f"line without a field name: {line[:60]!r}")
        key, value = line.split(":", 1)
        key = key.strip()
        if key in fields:
            # deb822 forbids it; it is what two records run together (a lost blank line) look like
            raise ValueError(f"field {key} repeated")
        fields[key] = value.strip()
    return fields


def package_of(fields: dict[str, str], path: str) -> Package | None:
    """None for records dpkg keeps but that are not installed (removed, config-files only)."""
    status = fields.get("Status")
    if status is not None and status.split()[-1:] != ["installed"]:
        return None
    name, version = fields.get("Package", ""), fields.get("Version", "")
    if not name or not version:
        raise ValueError(f"record {name or '?'} lacks Package: or Version:")
    source_name, source_version = name, version
    if fields.get("Source"):
        match = _SOURCE.match(fields["Source"])
        if match is None:
            raise ValueError(f"record {name}: unreadable Source: {fields['Source'][:60]!r}")
        # `Source: foo` alone means the source has the binary's version.
        source_name, source_version = match["name"], match["version"] or version
    arch = fields.get("Architecture", "")
    return Package(
        type="deb",
        name=name,
        version=version,
        source_name=source_name,
        source_version=source_version,
        purl=purl("deb", name, version, "debian", arch=arch),
        path=path,
    )


class DpkgDetector:
    name = "dpkg"
    streaming = False

    def wants(self, path: str, mode: int) -> bool:
        if path == STATUS:
            return True
        return posixpath.dirname(path) == STATUS_DIR and not path.endswith(".md5sums")

    def read(self, path: str, content: bytes) -> Findings:  # type: ignore[override]
        findings = Findings()
        for number, lines in enumerate(paragraphs(text_of(content)), start=1):
            try:
                package = package_of(fields_of(lines), path)
            except ValueError as exc:
                findings.warnings.append(f"{path}: record {number} skipped: {exc}")
                continue
            if package is not None:
                findings.packages.append(package)
        return findings
