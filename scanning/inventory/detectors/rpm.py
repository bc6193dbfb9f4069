"""RPM packages from the sqlite rpmdb of current RPM distributions (RHEL 9, Fedora 33+,
Rocky/Alma 9, openSUSE): table `Packages(hnum, blob)`, one header blob per package.

The database is opened from memory (`sqlite3.Connection.deserialize`), never written to disk.
The older Berkeley DB (`Packages`) and ndb (`Packages.db`) formats are reported, not read.
"""

from __future__ import annotations

import posixpath
import sqlite3

from ..model import Package
from ..purls import purl
from .base import Findings
from .rpmheader import ARCH, EPOCH, LICENSE, NAME, RELEASE, SOURCERPM, VERSION, HeaderError, parse_header

SQLITE_PATHS = ("var/lib/rpm/rpmdb.sqlite", "usr/lib/sysimage/rpm/rpmdb.sqlite")
LEGACY_PATHS = ("var/lib/rpm/Packages", "var/lib/rpm/Packages.db", "usr/lib/sysimage/rpm/Packages.db")
SQLITE_MAGIC = b"SQLite format 3\0"


def split_source_rpm(sourcerpm: str) -> tuple[str, str, str]:
    """`bash-5.1.8-6.el9.src.rpm` -> ("bash", "5.1.8", "6.el9")."""
    stem = sourcerpm.removesuffix(".rpm").removesuffix(".src").removesuffix(".nosrc")
    parts = stem.rsplit("-", 2)
    if len(parts) != 3 or not all(parts):
        raise HeaderError(f"unreadable SOURCERPM {sourcerpm!r}")
    return parts[0], parts[1], parts[2]


def package_of(tags: dict[int, str | int], path: str) -> Package | None:
    name, version, release = (str(tags.get(tag, "")) for tag in (NAME, VERSION, RELEASE))
    if not name or not version:
        raise HeaderError("header lacks NAME or VERSION")
    if name == "gpg-pubkey":
        return None  # imported signing keys are recorded as pseudo-packages
    epoch = tags.get(EPOCH)
    prefix = f"{epoch}:" if epoch is not None else ""
    full_version = f"{prefix}{version}-{release}" if release else f"{prefix}{version}"
    source_name, source_version = name, full_version
    if tags.get(SOURCERPM):
        src_name, src_version, src_release = split_source_rpm(str(tags[SOURCERPM]))
        source_name, source_version = src_name, f"{prefix}{src_version}-{src_release}"
    license_ = str(tags.get(LICENSE, ""))
    return Package(
        type="rpm",
        name=name,
        version=full_version,
        source_name=source_name,
        source_version=source_version,
        purl=purl(
            "rpm",
            name,
            f"{version}-{release}" if release else version,
            "redhat",
            arch=str(tags.get(ARCH, "")),
            epoch=str(epoch) if epoch is not None else "",
        ),
        path=path,
        licenses=(license_,) if license_ else (),
    )


def _open(content: bytes) -> sqlite3.Connection:
    data = bytearray(content)
    # Bytes 18-19 are 2 in WAL mode, which an in-memory database cannot use: read it as rollback.
    if data[18:20] == b"\x02\x02":
        data[18:20] = b"\x01\x01"
    connection = sqlite3.connect(":memory:")
    connection.deserialize(bytes(data))
    return connection


class RpmDetector:
    name = "rpm"
    streaming = False

    def wants(self, path: str, mode: int) -> bool:
        return path in SQLITE_PATHS or path in LEGACY_PATHS

    def read(self, path: str, content: bytes) -> Findings:  # type: ignore[override]
        if path in LEGACY_PATHS:
            kind = "Berkeley DB" if posixpath.basename(path) == "Packages" else "ndb"
            return Findings(warnings=[f"{path}: {kind} rpm databases are not read; packages unknown"])
        if not content.startswith(SQLITE_MAGIC):
            return Findings(warnings=[f"{path}: not an SQLite database"])
        findings = Findings()
        try:
            connection = _open(content)
            rows = connection.execute("SELECT hnum, blob FROM Packages").fetchall()
        except sqlite3.Error as exc:
            return Findings(warnings=[f"{path}: unreadable rpm database: {exc}"])
        connection.close()
        for hnum, blob in rows:
            try:
                package = package_of(parse_header(bytes(blob)), path)
            except HeaderError as exc:
                findings.warnings.append(f"{path}: package {hnum} skipped: {exc}")
                continue
            if package is not None:
                findings.packages.append(package)
        return findings
