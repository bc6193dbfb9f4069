"""Building image layers in tests: tar streams from real files, compressed as registries see them."""

from __future__ import annotations

import gzip
import io
import tarfile
from collections.abc import Callable
from dataclasses import dataclass

import zstandard

from scanning.inventory import Inventory, inventory_of_layers


@dataclass(frozen=True)
class Member:
    path: str
    data: bytes = b""
    kind: bytes = tarfile.REGTYPE
    target: str = ""
    mode: int = 0o644


def file(path: str, data: bytes | str, mode: int = 0o644) -> Member:
    return Member(path, data.encode() if isinstance(data, str) else data, mode=mode)


def symlink(path: str, target: str) -> Member:
    return Member(path, kind=tarfile.SYMTYPE, target=target)


def hardlink(path: str, target: str) -> Member:
    return Member(path, kind=tarfile.LNKTYPE, target=target)


def directory(path: str) -> Member:
    return Member(path, kind=tarfile.DIRTYPE, mode=0o755)


def whiteout(path: str) -> Member:
    head, _, base = path.rpartition("/")
    return file(f"{head}/.wh.{base}" if head else f".wh.{base}", b"")


def opaque(path: str) -> Member:
    return file(f"{path}/.wh..wh..opq", b"")


def tar_of(members: list[Member]) -> bytes:
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w", format=tarfile.PAX_FORMAT) as tar:
        for member in members:
            info = tarfile.TarInfo(member.path)
            info.type = member.kind
            info.mode = member.mode
            info.linkname = member.target
            info.size = len(member.data) if member.kind == tarfile.REGTYPE else 0
            tar.addfile(info, io.BytesIO(member.data) if info.size else None)
    return buffer.getvalue()


def compress(data: bytes, compression: str = "gzip") -> bytes:
    if compression == "gzip":
        return gzip.compress(data)
    if compression == "zstd":
        return zstandard.ZstdCompressor().compress(data)
    return data


def layer(*members: Member, compression: str = "gzip") -> bytes:
    return compress(tar_of(list(members)), compression)


def opener(blob: bytes) -> Callable[[], io.BytesIO]:
    return lambda: io.BytesIO(blob)


def inventory(*blobs: bytes) -> Inventory:
    return inventory_of_layers([opener(blob) for blob in blobs])


def found(result: Inventory, type_: str) -> dict[str, str]:
    """name -> version of the packages of one type."""
    return {package.name: package.version for package in result.packages if package.type == type_}
