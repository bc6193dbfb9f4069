"""Read a zip's members one at a time, in constant memory.

Python's `zipfile` builds a `ZipInfo` object for every member when it opens an archive (about
0.6 KiB each: 90 MiB for OSV's largest feeds). This reader walks the central directory as a
stream instead, and for each entry seeks to its local header and inflates it, so memory holds
one directory entry and one member at a time. It reads what OSV publishes and Python writes:
stored or deflated members, zip64 sizes and offsets, no encryption. Each member is checked
(sizes, CRC-32), and a bad member is reported on its own: the next one is still read.
"""

from __future__ import annotations

import struct
import zlib
from collections.abc import Iterator
from dataclasses import dataclass
from typing import BinaryIO

_EOCD = struct.Struct("<4s4H2LH")  # end of central directory
_ZIP64_LOCATOR = struct.Struct("<4sLQL")
_ZIP64_EOCD = struct.Struct("<4sQ2H2L4Q")
_CENTRAL = struct.Struct("<4s6H3L5H2L")
_LOCAL = struct.Struct("<4s5H3L2H")
_MAX_COMMENT = 0xFFFF
_STORED, _DEFLATED = 0, 8


class ZipError(ValueError):
    """The archive itself is unreadable (no directory, truncated): nothing can be listed."""


@dataclass(frozen=True)
class Member:
    name: str
    size: int  # uncompressed, as the directory states it
    data: bytes = b""
    error: str = ""  # why this member could not be read (the others still can)


def members(file: BinaryIO, max_size: int) -> Iterator[Member]:
    """Every file member; one larger than `max_size` is reported, never inflated past it."""
    count, offset, end = _directory(file)
    position = offset
    for _ in range(count):
        entry, position = _central_entry(file, position, end)
        if entry is None:
            continue  # a directory entry
        name, size, compressed, method, flags, crc, local = entry
        if size > max_size:
            yield Member(name, size, error=f"larger than {max_size} bytes")
            continue
        try:
            data = _read_member(file, local, compressed, method, flags, max_size)
        except ZipError as exc:
            yield Member(name, size, error=str(exc))
            continue
        if len(data) != size or zlib.crc32(data) != crc:
            yield Member(name, size, error="corrupt (size or CRC-32 mismatch)")
            continue
        yield Member(name, size, data)


def _directory(file: BinaryIO) -> tuple[int, int, int]:
    """(entries, offset, end) of the central directory, from the end records."""
    file.seek(0, 2)
    length = file.tell()
    tail_start = max(0, length - _EOCD.size - _MAX_COMMENT)
    file.seek(tail_start)
    tail = file.read()
    at = tail.rfind(b"PK\x05\x06")
    if at < 0 or len(tail) - at < _EOCD.size:
        raise ZipError("not a zip archive (no end of central directory)")
    _, _, _, _, count, size, offset, _ = _EOCD.unpack_from(tail, at)
    if count == 0xFFFF or size == 0xFFFFFFFF or offset == 0xFFFFFFFF:
        count, size, offset = _zip64_directory(file, tail_start + at)
    if offset + size > length:
        raise ZipError("truncated zip archive (directory beyond the end)")
    return count, offset, offset + size


def _zip64_directory(file: BinaryIO, eocd: int) -> tuple[int, int, int]:
    if eocd < _ZIP64_LOCATOR.size:
        raise ZipError("zip64 archive without its locator")
    file.seek(eocd - _ZIP64_LOCATOR.size)
    signature, _, record, _ = _ZIP64_LOCATOR.unpack(file.read(_ZIP64_LOCATOR.size))
    if signature != b"PK\x06\x07":
        raise ZipError("zip64 archive without its locator")
    file.seek(record)
    raw = file.read(_ZIP64_EOCD.size)
    if len(raw) < _ZIP64_EOCD.size or raw[:4] != b"PK\x06\x06":
        raise ZipError("zip64 end of central directory missing")
    _, _, _, _, _, _, _, count, size, offset = _ZIP64_EOCD.unpack(raw)
    return count, size, offset


def _central_entry(
    file: BinaryIO, position: int, end: int
) -> tuple[tuple[str, int, int, int, int, int, int] | None, int]:
    """One central directory record at `position`, and where the next one starts."""
    file.seek(position)
    raw = file.read(_CENTRAL.size)
    if len(raw) < _CENTRAL.size or raw[:4] != b"PK\x01\x02" or position + _CENTRAL.size > end:
        raise ZipError("corrupt central directory")
    fields = _CENTRAL.unpack(raw)
    flags, method, crc, compressed, size = fields[3], fields[4], fields[7], fields[8], fields[9]
    name_len, extra_len, comment_len, local = fields[10], fields[11], fields[12], fields[16]
    name_bytes = file.read(name_len)
    extra = file.read(extra_len)
    following = position + _CENTRAL.size + name_len + extra_len + comment_len
    name = name_bytes.decode("utf-8" if flags & 0x800 else "cp437", "replace")
    if name.endswith("/"):
        return None, following
    size, compressed, local = _zip64_values(extra, size, compressed, local)
    return (name, size, compressed, method, flags, crc, local), following


def _zip64_values(extra: bytes, size: int, compressed: int, local: int) -> tuple[int, int, int]:
    """Sizes and offset that did not fit 32 bits are in the zip64 extra field, in this order."""
    if 0xFFFFFFFF not in (size, compressed, local):
        return size, compressed, local
    at = 0
    while at + 4 <= len(extra):
        header, length = struct.unpack_from("<2H", extra, at)
        if header == 0x0001:
            values = iter(struct.unpack_from(f"<{length // 8}Q", extra, at + 4))
            size = next(values) if size == 0xFFFFFFFF else size
            compressed = next(values) if compressed == 0xFFFFFFFF else compressed
            local = next(values) if local == 0xFFFFFFFF else local
            return size, compressed, local
        at += 4 + length
    raise ZipError("zip64 sizes missing from the directory")


def _read_member(
    file: BinaryIO, local: int, compressed: int, method: int, flags: int, max_size: int
) -> bytes:
    if flags & 0x1:
        raise ZipError("encrypted")
    if method not in (_STORED, _DEFLATED):
        raise ZipError(f"unsupported compression method {method}")
    file.seek(local)
    raw = file.read(_LOCAL.size)
    if len(raw) < _LOCAL.size or raw[:4] != b"PK\x03\x04":
        raise ZipError("corrupt local header")
    name_len, extra_len = _LOCAL.unpack(raw)[9:11]
    file.seek(local + _LOCAL.size + name_len + extra_len)
    if method == _STORED:
        return file.read(min(compressed, max_size + 1))
    inflater = zlib.decompressobj(-zlib.MAX_WBITS)
    out = bytearray()
    remaining = compressed
    try:
        while remaining > 0 and len(out) <= max_size:
            chunk = file.read(min(remaining, 1 << 16))
            if not chunk:
                raise ZipError("truncated member")
            remaining -= len(chunk)
            out += inflater.decompress(chunk, max_size + 1 - len(out))
        return bytes(out)
    except zlib.error as exc:
        raise ZipError(f"corrupt deflate data ({exc})") from None
