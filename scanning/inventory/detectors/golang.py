"""Go binaries: the module build information the Go linker embeds (what `go version -m` shows).

It sits in the `.go.buildinfo` section behind the 16-byte-aligned magic `\\xff Go buildinf:`.
Since Go 1.18 the header's flag bit 2 says the two strings follow inline, each prefixed by its
uvarint length: the Go version, then the module info (between two 16-byte sentinels, lines
`path`, `mod`, `dep`, `=>` (replacement), `build`). That can be read from a stream in one pass,
which matters because binaries can be hundreds of megabytes and the section can lie anywhere
in them. Binaries from older Go releases store pointers to the strings instead, and following
them needs the whole file mapped; their module info is found by the sentinels that wrap it
(in the same pass), but their Go version is not, which a warning says.
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
# The go command wraps the module info in these (cmd/go/internal/modload: infoStart, infoEnd).
MODINFO_START = bytes.fromhex("3077af0c9274080241e1c107e6d618e6")
MODINFO_END = bytes.fromhex("f932433186182072008242104116d8f2")
_OVERLAP = max(len(MAGIC), len(MODINFO_START)) - 1


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


def _unwrap(modinfo: bytes) -> str:
    if modinfo.startswith(MODINFO_START) and modinfo.endswith(MODINFO_END):
        modinfo = modinfo[len(MODINFO_START) : -len(MODINFO_END)]
    return modinfo.decode("utf-8", "replace")


def _inline_strings(data: bytes) -> tuple[str, str]:
    """(go version, module info) from the bytes after the 32-byte header."""
    length, offset = _uvarint(data, 0)
    version = data[offset : offset + length]
    offset += length
    length, offset = _uvarint(data, offset)
    modinfo = data[offset : offset + length]
    if len(modinfo) != length or not version.startswith(b"go"):
        raise _NotBuildInfo("strings run past the end")
    return version.decode("utf-8", "replace"), _unwrap(modinfo)


def _read_more(stream: IO[bytes], data: bytes, wanted: int) -> bytes:
    while len(data) < wanted and (more := stream.read(CHUNK)):
        data += more
    return data


def _wrapped_modinfo(stream: IO[bytes], window: bytes, start: int) -> tuple[bytes, str]:
    """Module info found by its sentinels at window[start:] (how binaries from before Go 1.18
    are read: their header only points at it). Returns the window, grown as far as needed."""
    while (end := window.find(MODINFO_END, start)) < 0 and len(window) - start < MAX_STRINGS:
        if not (more := stream.read(CHUNK)):
            break
        window += more
    if end < 0:
        return window, ""
    return window, _unwrap(window[start : end + len(MODINFO_END)])


def _scan(stream: IO[bytes], offset: int) -> tuple[bytes | None, str | None]:
    """One pass over the file: (the bytes from the aligned magic on, enough for the header
    and inline strings; the sentinel-wrapped module info seen before the magic, if any).
    `offset` is the stream's position in the file: alignment is of file offsets."""
    window = b""
    consumed = offset  # file offset of window[0]
    modinfo: str | None = None
    while chunk := stream.read(CHUNK):
        window += chunk
        if modinfo is None and (start := window.find(MODINFO_START)) >= 0:
            window, modinfo = _wrapped_modinfo(stream, window, start)
        search = 0
        while (index := window.find(MAGIC, search)) >= 0:
            if (consumed + index) % ALIGN == 0:
                found = _read_more(stream, window[index:], HEADER_SIZE + (64 << 10))
                return found, modinfo
            search = index + 1
        consumed += len(window) - _OVERLAP
        window = window[-_OVERLAP:]
    return None, modinfo


def _inline(stream: IO[bytes], found: bytes) -> tuple[str, str]:
    """The inline strings, reading further when the module info is longer than first read."""
    try:
        return _inline_strings(found[HEADER_SIZE:])
    except _NotBuildInfo:
        return _inline_strings(_read_more(stream, found, HEADER_SIZE + MAX_STRINGS)[HEADER_SIZE:])


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
    if version:
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
        found, modinfo = _scan(content, len(ELF_MAGIC))
        if found is None or len(found) < HEADER_SIZE:
            return Findings()
        if found[15] & _FLAG_INLINE:
            try:
                version, modinfo = _inline(content, found)
            except _NotBuildInfo as exc:
                return Findings(warnings=[f"{path}: unreadable Go build info: {exc}"])
            return Findings(packages=_packages(version, modinfo, path))
        # Before Go 1.18: the header holds pointers. The module info is found by its sentinels
        # instead; the Go version is not (it is a bare string), so the standard library is unknown.
        if modinfo is None and (start := found.find(MODINFO_START, HEADER_SIZE)) >= 0:
            _, modinfo = _wrapped_modinfo(content, found, start)
        warning = f"{path}: Go binary built before Go 1.18: its Go version (standard library) not read"
        return Findings(packages=_packages("", modinfo or "", path), warnings=[warning])
