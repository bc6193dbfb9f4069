"""Alpine packages: `lib/apk/db/installed`, one `X:value` line per field, records split by
blank lines. Alpine's advisories are written against the origin (source) package."""

from __future__ import annotations

from ..model import Package
from ..purls import purl
from .base import Findings, paragraphs, text_of

INSTALLED = "lib/apk/db/installed"


def package_of(lines: list[str], path: str) -> Package:
    fields: dict[str, str] = {}
    for line in lines:
        if len(line) < 2 or line[1] != ":":
            raise ValueError(f"line is not 'X:value': {line[:60]!r}")
        fields.setdefault(line[0], line[2:])  # file lists repeat F:/R:, package fields do not
    name, version = fields.get("P", ""), fields.get("V", "")
    if not name or not version:
        raise ValueError(f"record {name or '?'} lacks P: or V:")
    licenses = tuple(fields["L"].split()) if fields.get("L") else ()
    return Package(
        type="apk",
        name=name,
        version=version,
        source_name=fields.get("o") or name,
        source_version=version,
        purl=purl("apk", name, version, "alpine", arch=fields.get("A", "")),
        path=path,
        licenses=licenses,
    )


class ApkDetector:
    name = "apk"
    streaming = False

    def wants(self, path: str, mode: int) -> bool:
        return path == INSTALLED

    def read(self, path: str, content: bytes) -> Findings:  # type: ignore[override]
        findings = Findings()
        for number, lines in enumerate(paragraphs(text_of(content)), start=1):
            try:
                findings.packages.append(package_of(lines, path))
            except ValueError as exc:
                findings.warnings.append(f"{path}: record {number} skipped: {exc}")
        return findings
