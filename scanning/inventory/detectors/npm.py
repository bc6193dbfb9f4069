"""npm packages: `node_modules/<name>/package.json` and `node_modules/@scope/<name>/package.json`.

Only a package's own manifest counts: other package.json files inside a package (test
fixtures, sub-folders) do not describe installed packages.
"""

from __future__ import annotations

import json

from ..model import Package
from ..purls import purl
from .base import Findings, text_of


def _is_package_manifest(path: str) -> bool:
    parts = path.split("/")
    if len(parts) < 3 or parts[-1] != "package.json":
        return False
    if parts[-3] == "node_modules":
        return True
    return len(parts) >= 4 and parts[-4] == "node_modules" and parts[-3].startswith("@")


def _licenses(document: dict) -> tuple[str, ...]:
    value = document.get("license")
    if isinstance(value, str) and value:
        return (value,)
    if isinstance(value, dict) and isinstance(value.get("type"), str):
        return (value["type"],)
    legacy = document.get("licenses")
    if isinstance(legacy, list):
        types = [item.get("type") for item in legacy if isinstance(item, dict)]
        return tuple(value for value in types if isinstance(value, str))
    return ()


class NpmDetector:
    name = "npm"
    streaming = False

    def wants(self, path: str, mode: int) -> bool:
        return _is_package_manifest(path)

    def read(self, path: str, content: bytes) -> Findings:  # type: ignore[override]
        try:
            document = json.loads(text_of(content))
        except ValueError as exc:
            return Findings(warnings=[f"{path}: not JSON: {exc}"])
        if not isinstance(document, dict):
            return Findings(warnings=[f"{path}: not a JSON object"])
        name, version = document.get("name"), document.get("version")
        if not isinstance(name, str) or not isinstance(version, str) or not name or not version:
            return Findings(warnings=[f"{path}: no name or version"])
        namespace, _, bare = name.rpartition("/")
        package = Package(
            type="npm",
            name=name,
            version=version,
            source_name=name,
            source_version=version,
            purl=purl("npm", bare, version, namespace),
            path=path,
            licenses=_licenses(document),
        )
        return Findings(packages=[package])
