"""Java archives (.jar, .war, .ear): Maven coordinates from `META-INF/maven/**/pom.properties`,
else from the manifest's `Implementation-*` attributes; archives nested one level deep
(`WEB-INF/lib/*.jar`, Spring Boot's `BOOT-INF/lib/*.jar`) are read the same way.

`zipfile` needs random access, so the archive is read into a bounded buffer (the layer reader
caps it); each member is size-checked before it is inflated, so a zip bomb cannot grow past
the same bound.
"""

from __future__ import annotations

import io
import posixpath
import zipfile
import zlib

from ..model import Package
from ..purls import purl
from .base import Findings, text_of

ARCHIVE_SUFFIXES = (".jar", ".war", ".ear")
MAX_MEMBER_BYTES = 1 << 20  # pom.properties and MANIFEST.MF are a few hundred bytes
MAX_NESTED_BYTES = 64 << 20


def _properties(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    for line in text.splitlines():
        line = line.strip()
        if line and not line.startswith(("#", "!")) and "=" in line:
            key, value = line.split("=", 1)
            values[key.strip()] = value.strip()
    return values


def _manifest(text: str) -> dict[str, str]:
    values: dict[str, str] = {}
    key = ""
    for line in text.splitlines():
        if line.startswith(" ") and key:
            values[key] += line[1:]
        elif ":" in line:
            key, value = line.split(":", 1)
            values[key.strip()] = value.strip()
    return values


def _maven(group: str, artifact: str, version: str, path: str) -> Package:
    name = f"{group}:{artifact}"
    return Package(
        type="maven",
        name=name,
        version=version,
        source_name=name,
        source_version=version,
        purl=purl("maven", artifact, version, group),
        path=path,
    )


def _member(archive: zipfile.ZipFile, info: zipfile.ZipInfo, limit: int) -> bytes | None:
    return archive.read(info) if info.file_size <= limit else None


def _packages_of(archive: zipfile.ZipFile, path: str, findings: Findings, depth: int) -> None:
    found = False
    for info in archive.infolist():
        name = info.filename
        if name.startswith("META-INF/maven/") and name.endswith("/pom.properties"):
            data = _member(archive, info, MAX_MEMBER_BYTES)
            values = _properties(text_of(data)) if data is not None else {}
            group, artifact, version = (values.get(key) for key in ("groupId", "artifactId", "version"))
            if group and artifact and version:
                findings.packages.append(_maven(group, artifact, version, path))
                found = True
        elif depth == 0 and name.endswith(ARCHIVE_SUFFIXES):
            _nested(archive, info, f"{path}!/{name}", findings)
    if not found:
        _from_manifest(archive, path, findings)


def _from_manifest(archive: zipfile.ZipFile, path: str, findings: Findings) -> None:
    try:
        info = archive.getinfo("META-INF/MANIFEST.MF")
    except KeyError:
        return
    data = _member(archive, info, MAX_MEMBER_BYTES)
    values = _manifest(text_of(data)) if data is not None else {}
    group = values.get("Implementation-Vendor-Id") or values.get("Bundle-SymbolicName", "").rpartition(".")[0]
    artifact = values.get("Implementation-Title") or posixpath.basename(path).rsplit(".", 1)[0]
    version = values.get("Implementation-Version") or values.get("Bundle-Version", "")
    # Without a group there is no Maven coordinate to match advisories against.
    if group and artifact and version:
        findings.packages.append(_maven(group, artifact, version, path))


def _nested(archive: zipfile.ZipFile, info: zipfile.ZipInfo, path: str, findings: Findings) -> None:
    if info.file_size > MAX_NESTED_BYTES:
        findings.warnings.append(f"{path}: nested archive of {info.file_size} bytes not read")
        return
    read_archive(archive.read(info), path, findings, depth=1)


def read_archive(content: bytes, path: str, findings: Findings, depth: int = 0) -> None:
    try:
        with zipfile.ZipFile(io.BytesIO(content)) as archive:
            _packages_of(archive, path, findings, depth)
    except (zipfile.BadZipFile, zipfile.LargeZipFile, zlib.error, OSError, EOFError, ValueError) as exc:
        findings.warnings.append(f"{path}: unreadable archive: {exc}")


class JavaDetector:
    name = "java"
    streaming = False

    def wants(self, path: str, mode: int) -> bool:
        return path.lower().endswith(ARCHIVE_SUFFIXES)

    def read(self, path: str, content: bytes) -> Findings:  # type: ignore[override]
        findings = Findings()
        read_archive(content, path, findings)
        return findings
