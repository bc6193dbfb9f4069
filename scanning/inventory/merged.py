"""The image's filesystem as the layers stack up, kept only for the files detectors read.

Each layer is read as a set of changes (files it adds or replaces, paths it whites out,
directories it makes opaque) and applied to what the layers below left, as a container
runtime would apply it. Only facts are kept per file (the packages found, a symlink's target),
never content, so memory grows with the number of package records, not the image size.
"""

from __future__ import annotations

import posixpath
from dataclasses import dataclass, field, replace

from .detectors import Findings
from .model import Inventory, OperatingSystem
from .purls import with_distro

OS_RELEASE_PATHS = ("etc/os-release", "usr/lib/os-release")
MAX_SYMLINK_HOPS = 8
MAX_WARNINGS = 200


@dataclass
class FileFacts:
    findings: Findings = field(default_factory=Findings)
    symlink: str | None = None  # in-image path a (safe, relative) symlink points to

    def moved_to(self, path: str) -> FileFacts:
        """The same facts for a hard link at another path."""
        packages = [replace(package, path=path) for package in self.findings.packages]
        return FileFacts(Findings(packages, self.findings.os, list(self.findings.warnings)), self.symlink)


@dataclass
class LayerChanges:
    added: dict[str, FileFacts] = field(default_factory=dict)
    removed: set[str] = field(default_factory=set)  # these paths and everything below them
    opaque: set[str] = field(default_factory=set)  # everything below these directories


class WarningLog:
    """Warnings in order, at most MAX_WARNINGS kept: a hostile layer can have millions."""

    def __init__(self) -> None:
        self.kept: list[str] = []
        self.dropped = 0

    def add(self, message: str) -> None:
        if len(self.kept) < MAX_WARNINGS:
            self.kept.append(message)
        else:
            self.dropped += 1

    def extend(self, messages: list[str]) -> None:
        for message in messages:
            self.add(message)

    def as_list(self) -> list[str]:
        tail = [f"... and {self.dropped} more warnings"] if self.dropped else []
        return [*self.kept, *tail]


def _ancestors(path: str) -> list[str]:
    parents = []
    while (path := posixpath.dirname(path)) != "":
        parents.append(path)
    return parents


class MergedFiles:
    def __init__(self) -> None:
        self.files: dict[str, FileFacts] = {}

    def directories(self) -> set[str]:
        """Every directory above a known file: replacing one with a file hides what is below."""
        return {parent for path in self.files for parent in _ancestors(path)}

    def apply(self, changes: LayerChanges) -> None:
        if changes.removed or changes.opaque:
            hidden = changes.removed | changes.opaque
            self.files = {
                path: facts
                for path, facts in self.files.items()
                if path not in changes.removed and hidden.isdisjoint(_ancestors(path))
            }
        self.files.update(changes.added)

    def _os_at(self, path: str) -> OperatingSystem | None:
        for _ in range(MAX_SYMLINK_HOPS):
            facts = self.files.get(path)
            if facts is None:
                return None
            if facts.symlink is None:
                return facts.findings.os
            path = facts.symlink
        return None

    def inventory(self, warnings: WarningLog) -> Inventory:
        os = next((found for path in OS_RELEASE_PATHS if (found := self._os_at(path))), None)
        packages = []
        for path in sorted(self.files):
            findings = self.files[path].findings
            warnings.extend(findings.warnings)
            packages += [replace(found, purl=with_distro(found.purl, os)) for found in findings.packages]
        return Inventory(os=os, packages=packages, warnings=warnings.as_list())
