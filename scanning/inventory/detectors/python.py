"""Python distributions: `*.dist-info/METADATA` (wheels, pip) and `*.egg-info/PKG-INFO`
(setuptools, also a bare `*.egg-info` file), read as RFC 822 headers (core metadata spec)."""

from __future__ import annotations

import posixpath
from email.parser import HeaderParser

from ..model import Package
from ..purls import purl
from .base import Findings, text_of


def _licenses(headers) -> tuple[str, ...]:  # type: ignore[no-untyped-def]
    expression = headers.get("License-Expression")
    if expression:
        return (expression.strip(),)
    license_ = (headers.get("License") or "").strip()
    # `License:` often holds the whole license text; only a short value names a license.
    if license_ and "\n" not in license_ and len(license_) <= 100 and license_.upper() != "UNKNOWN":
        return (license_,)
    return ()


class PythonDetector:
    name = "python"
    streaming = False

    def wants(self, path: str, mode: int) -> bool:
        parent, base = posixpath.split(path)
        if base == "METADATA":
            return parent.endswith(".dist-info")
        if base == "PKG-INFO":
            return parent.endswith(".egg-info")
        return base.endswith(".egg-info")

    def read(self, path: str, content: bytes) -> Findings:  # type: ignore[override]
        headers = HeaderParser().parsestr(text_of(content))
        name, version = (headers.get("Name") or "").strip(), (headers.get("Version") or "").strip()
        if not name or not version:
            return Findings(warnings=[f"{path}: no Name: or Version: header"])
        package = Package(
            type="pypi",
            name=name,
            version=version,
            source_name=name,
            source_version=version,
            purl=purl("pypi", name, version),
            path=path,
            licenses=_licenses(headers),
        )
        return Findings(packages=[package])
