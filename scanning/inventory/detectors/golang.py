"""Go binaries: the module build information the Go linker embeds (what `go version -m` shows).

It sits in the `.go.buildinfo` section behind the 16-byte-aligned magic `\\xff Go buildinf:`.
Since Go 1.18 the header's flag bit 2 says the two strings follow inline, each prefixed by its
uvarint length: the Go version, then the module info (between two 16-byte sentinels, lines
`path`, `mod`, `dep`, `=>` (replacement), `build`). That can be read from a stream in one pass,
which matters because binaries can be hundreds of megabytes and the section can lie anywhere
in them. Binaries from older Go releases store pointers to the strings instead; following
them needs the whole file mapped, so they are reported as a warning, not read.
"""

from __future__ import annotations

from typing import IO

from ..model import Package
from ..purls import purl
from .base import Findings

MAGIC = b"\xff Go buildinf:"
HEADER_SIZE = 32
ALIGN = 16
CHUNK = 1 << 20
MAX_STRINGS = 4 << 20  # version + module info; a large module graph is ~100 KB
ELF_MAGIC = b"\x7fELF"
_FLAG_INLINE = 0x2
_MODINFO_START = 16  # sentinel bytes on each side of the module info
_MODINFO_END = 16


class _NotBuildInfo(ValueError):
    pass


def _uvarint(data: bytes, offset: int) -> tuple[int, int]:
    value, shift = 0, 0
    while offset < len(data) and shift < 64:
        byte = data[offset]
        offset += 1
        value |= (byte & 0x7F) << shift
        if byte < 0x80:
            return value, offset
        shift += 7
    raise _NotBuildInfo("truncated varint")


def _inline_strings(data: bytes) -> tuple[str, str]:
    """(go version, module info) from the bytes after the 32-byte header."""
    length, offset = _uvarint(data, 0)
    version = data[offset : offset + length]
    offset += length
    length, offset = _uvarint(data, offset)
    modinfo = data[offset : offset + length]
    if len(modinfo) != length or not version.startswith(b"go"):
        raise _NotBuildInfo("strings run past the end")
    if len(modinfo) >= _MODINFO_START + _MODINFO_END:
        modinfo = modinfo[_MODINFO_START:-_MODINFO_END]
    return version.decode("utf-8", "replace"), modinfo.decode("utf-8", "replace")


def _find(stream: IO[bytes], offset: int) -> bytes | None:
    """The bytes from the (aligned) magic on, at most MAX_STRINGS long; None if absent.
    `offset` is the stream's position in the file (alignment is of file offsets)."""
    window = b""
    consumed = offset  # file offset of window[0]
    while True:
        chunk = stream.read(CHUNK)
        if not chunk:
            return None
        window += chunk
        start = 0
        while (index := window.find(MAGIC, start)) >= 0:
            if (consumed + index) % ALIGN == 0:
                found = window[index:]
                while len(found) < HEADER_SIZE + MAX_STRINGS and (more := stream.read(CHUNK)):
                    found += more
                return found[: HEADER_SIZE + MAX_STRINGS]
            start = index + 1
        keep = len(MAGIC) - 1
        consumed += len(window) - keep
        window = window[-keep:]


def _replaced(module: str, replacement: str, version: str) -> tuple[str, str]:
    """The replacement is what was compiled in. A local directory (`=> ../lib`) has no version
    to match advisories against: the module keeps its path and loses its version."""
    if replacement.startswith((".", "/")):
        return module, ""
    return replacement, version


def _packages(version: str, modinfo: str, path: str) -> list[Package]:
    modules: list[tuple[str, str]] = []
    for line in modinfo.splitlines():
        fields = line.split("\t")
        if fields[0] in ("mod", "dep") and len(fields) >= 3:
            modules.append((fields[1], fields[2]))
        elif fields[0] == "=>" and len(fields) >= 3 and modules:
            modules[-1] = _replaced(modules[-1][0], fields[1], fields[2])
    # The toolchain's standard library is a module in Go's advisories (package "stdlib").
    modules.append(("stdlib", version))
    packages = []
    for module, module_version in modules:
        recorded = "" if module_version == "(devel)" else module_version
        namespace, _, name = module.rpartition("/")
        packages.append(
            Package(
                type="golang",
                name=module,
                version=recorded,
                source_name=module,
                source_version=recorded,
                purl=purl("golang", name, recorded, namespace),
                path=path,
            )
        )
    return packages


class GoBinaryDetector:
    name = "go"
    streaming = True

    def wants(self, path: str, mode: int) -> bool:
        return bool(mode & 0o111)

    def read(self, path: str, content: IO[bytes]) -> Findings:  # type: ignore[override]
        if content.read(4) != ELF_MAGIC:
            return Findings()
        found = _find(content, len(ELF_MAGIC))
        if found is None or len(found) < HEADER_SIZE:
            return Findings()
        if not found[15] & _FLAG_INLINE:
            return Findings(warnings=[f"{path}: Go binary built before Go 1.18: build info not read"])
        try:
            version, modinfo = _inline_strings(found[HEADER_SIZE:])
        except _NotBuildInfo as exc:
            return Findings(warnings=[f"{path}: unreadable Go build info: {exc}"])
        return Findings(packages=_packages(version, modinfo, path))
