"""What a detector is: which files it wants, and what it makes of one file's content.

Detectors see one file at a time and never the filesystem, so that the layer reader can read
each wanted file once, in stream order, and forget it. Most read the whole (small, bounded)
file as bytes; the Go detector reads a stream because binaries can be large and its data sits
at an unknown offset.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import IO, Protocol

from ..model import OperatingSystem, Package


@dataclass
class Findings:
    packages: list[Package] = field(default_factory=list)
    os: OperatingSystem | None = None
    warnings: list[str] = field(default_factory=list)


class Detector(Protocol):
    name: str
    streaming: bool  # True: `read` gets a file object; False: the content as bytes

    def wants(self, path: str, mode: int) -> bool:
        """Whether the file at `path` (no leading "/") with permission bits `mode` is for us."""

    def read(self, path: str, content: bytes | IO[bytes]) -> Findings:
        """Packages (or the OS) recorded by this file; bad records become warnings."""


def paragraphs(text: str) -> list[list[str]]:
    """Blank-line separated records (dpkg status, apk installed), as lists of lines."""
    records: list[list[str]] = []
    current: list[str] = []
    for line in text.splitlines():
        if line.strip():
            current.append(line)
        elif current:
            records.append(current)
            current = []
    if current:
        records.append(current)
    return records


def text_of(content: bytes) -> str:
    """Package databases are UTF-8 in practice; a stray byte must not lose the whole file."""
    return content.decode("utf-8", errors="replace")
