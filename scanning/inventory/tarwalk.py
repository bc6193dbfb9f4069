"""Walking one layer's tar stream safely: names checked, whiteouts recognised, headers bounded.

`tarfile` in stream mode (`r|`) reads each header once and never seeks back, so a layer is
never held in memory nor written to disk. Three things it would do unasked are stopped here:
a pax or GNU long-name header is read whole into memory (bounded by `MAX_HEADER_BYTES`), every
`TarInfo` is kept in `TarFile.members` (cleared after each entry, so a 500k-file layer costs
one entry of memory), and member names are trusted (`..` components are refused).
"""

from __future__ import annotations

import posixpath
import tarfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from enum import Enum
from typing import IO

WHITEOUT_PREFIX = ".wh."
OPAQUE_MARKER = ".wh..wh..opq"
OVERLAY_OPAQUE_XATTRS = ("SCHILY.xattr.trusted.overlay.opaque", "SCHILY.xattr.user.overlay.opaque")
# A pax extended header or a GNU long name is metadata: real ones are a few hundred bytes.
MAX_HEADER_BYTES = 1 << 20
_HEADER_TYPES = (tarfile.XHDTYPE, tarfile.XGLTYPE, tarfile.SOLARIS_XHDTYPE, *tarfile.GNU_TYPES[:2])


class Kind(Enum):
    FILE = "file"
    DIRECTORY = "directory"
    SYMLINK = "symlink"
    HARDLINK = "hardlink"
    WHITEOUT = "whiteout"  # `path` and everything below it are deleted from lower layers
    OPAQUE = "opaque"  # the lower layers' contents of directory `path` are hidden
    OTHER = "other"  # devices, fifos: never read


@dataclass(frozen=True, slots=True)
class Entry:
    kind: Kind
    path: str  # relative to the image root, no leading "./" or "/", no trailing "/"
    size: int = 0
    mode: int = 0
    target: str = ""  # a link's target as written in the tar
    info: tarfile.TarInfo | None = None  # for reading a FILE's content, while it is current


class BoundedTarInfo(tarfile.TarInfo):
    """Refuses oversized metadata headers before `tarfile` reads them into memory."""

    def _proc_member(self, tarfile_: tarfile.TarFile):  # type: ignore[no-untyped-def]
        if self.type in _HEADER_TYPES and self.size > MAX_HEADER_BYTES:
            raise tarfile.HeaderError(
                f"a tar metadata header of {self.size} bytes exceeds the {MAX_HEADER_BYTES} byte bound"
            )
        return super()._proc_member(tarfile_)


class UnsafePath(ValueError):
    """A member name that would leave the image root."""


def clean_path(name: str) -> str:
    """The member's path relative to the root; `..` anywhere is refused, not resolved.

    A layer is applied by a runtime under its root, so a leading "/" means the root (as GNU tar
    and containerd treat it); `..` has no legitimate use in a layer and is how archives escape.
    """
    parts = [part for part in name.split("/") if part not in ("", ".")]
    if ".." in parts:
        raise UnsafePath(f"tar member {name!r} has a '..' component")
    return "/".join(parts)


def resolve_link(path: str, target: str) -> str | None:
    """Where a relative symlink at `path` points inside the image; None if it is absolute or
    climbs out of the root (such links are not followed: they are how extractions escape)."""
    if target.startswith("/"):
        return None
    joined = posixpath.normpath(posixpath.join(posixpath.dirname(path), target))
    if joined.startswith("..") or joined.startswith("/"):
        return None
    return "" if joined == "." else joined


def _classify(info: tarfile.TarInfo, path: str) -> Entry:
    base = posixpath.basename(path)
    parent = posixpath.dirname(path)
    if base == OPAQUE_MARKER:
        return Entry(Kind.OPAQUE, parent)
    if base.startswith(WHITEOUT_PREFIX):
        return Entry(Kind.WHITEOUT, posixpath.join(parent, base[len(WHITEOUT_PREFIX) :]))
    if info.ischr() and info.devmajor == 0 and info.devminor == 0:
        return Entry(Kind.WHITEOUT, path)  # overlayfs whiteout, as some exporters write it
    if info.isdir():
        if any(info.pax_headers.get(key) == "y" for key in OVERLAY_OPAQUE_XATTRS):
            return Entry(Kind.OPAQUE, path)
        return Entry(Kind.DIRECTORY, path, mode=info.mode)
    if info.issym():
        return Entry(Kind.SYMLINK, path, target=info.linkname)
    if info.islnk():
        try:
            return Entry(Kind.HARDLINK, path, target=clean_path(info.linkname))
        except UnsafePath:
            return Entry(Kind.OTHER, path)
    if info.isreg():
        return Entry(Kind.FILE, path, size=info.size, mode=info.mode, info=info)
    return Entry(Kind.OTHER, path)


Walk = Iterator[tuple[Entry, tarfile.TarFile]]


def walk(stream: IO[bytes], warn: Callable[[str], None], where: str) -> Walk:
    """Each entry of the tar stream, in order. A FILE's content is readable with
    `tar.extractfile(entry.info)` until the next entry is requested.

    Unsafe names are skipped with a warning; a broken stream raises `tarfile.TarError` or
    `OSError` for the caller to turn into a clear error.
    """
    tar = tarfile.open(fileobj=stream, mode="r|", tarinfo=BoundedTarInfo)  # noqa: SIM115 - closed below
    try:
        while (info := tar.next()) is not None:
            tar.members.clear()
            try:
                path = clean_path(info.name)
            except UnsafePath as exc:
                warn(f"{where}: skipped: {exc}")
                continue
            if path:
                yield _classify(info, path), tar
    finally:
        tar.close()
