"""Ruby gems: the `specifications/*.gemspec` (and `specifications/default/*.gemspec`) files
RubyGems writes for installed gems. They are Ruby source generated from one template, so the
name, version and licenses are read from their `s.name = "..."` lines rather than evaluated."""

from __future__ import annotations

import posixpath
import re

from ..model import Package
from ..purls import purl
from .base import Findings, text_of

_FIELD = re.compile(r"""^\s*s\.(name|version)\s*=\s*(?:Gem::Version\.new\()?["']([^"']+)["']""", re.M)
_LICENSES = re.compile(r"""^\s*s\.licenses?\s*=\s*\[?([^\n\]]*)""", re.M)
_QUOTED = re.compile(r"""["']([^"']+)["']""")


class RubyDetector:
    name = "ruby"
    streaming = False

    def wants(self, path: str, mode: int) -> bool:
        if not path.endswith(".gemspec"):
            return False
        parent = posixpath.dirname(path)
        return parent.endswith("specifications") or parent.endswith("specifications/default")

    def read(self, path: str, content: bytes) -> Findings:  # type: ignore[override]
        text = text_of(content)
        fields = dict(_FIELD.findall(text))
        name, version = fields.get("name", ""), fields.get("version", "")
        if not name or not version:
            return Findings(warnings=[f"{path}: no s.name or s.version"])
        licenses: tuple[str, ...] = ()
        if match := _LICENSES.search(text):
            licenses = tuple(_QUOTED.findall(match.group(1)))
        package = Package(
            type="gem",
            name=name,
            version=version,
            source_name=name,
            source_version=version,
            purl=purl("gem", name, version),
            path=path,
            licenses=licenses,
        )
        return Findings(packages=[package])
