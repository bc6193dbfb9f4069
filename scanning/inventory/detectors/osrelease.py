"""The operating system, from os-release(5)."""

from __future__ import annotations

import shlex

from ..model import OperatingSystem
from .base import Findings, text_of

PATHS = ("etc/os-release", "usr/lib/os-release")


def parse_os_release(text: str) -> dict[str, str]:
    """KEY=value lines with shell quoting, as os-release(5) defines them."""
    values: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if not line or line.startswith("#") or "=" not in line:
            continue
        key, raw = line.split("=", 1)
        try:
            words = shlex.split(raw)
        except ValueError:
            words = [raw.strip("\"'")]
        values[key.strip()] = words[0] if words else ""
    return values


class OsReleaseDetector:
    name = "os-release"
    streaming = False

    def wants(self, path: str, mode: int) -> bool:
        return path in PATHS

    def read(self, path: str, content: bytes) -> Findings:  # type: ignore[override]
        values = parse_os_release(text_of(content))
        if not values.get("ID"):
            return Findings(warnings=[f"{path}: no ID= line, operating system unknown"])
        os = OperatingSystem(
            id=values["ID"].lower(),
            version_id=values.get("VERSION_ID", ""),
            pretty_name=values.get("PRETTY_NAME", ""),
        )
        return Findings(os=os)
