"""The RPM header blob, as rpmdb stores one per package (rpm's `headerImport` format).

No PyPI library reads header blobs from a database (the `rpm` module is rpm's own C binding,
not on PyPI; `rpmfile` reads .rpm files only), and the format is small: two big-endian
counts, `il` 16-byte index entries (tag, type, offset, count), then `dl` bytes of data.
"""

from __future__ import annotations

import struct

NAME, VERSION, RELEASE, EPOCH, LICENSE, ARCH, SOURCERPM = 1000, 1001, 1002, 1003, 1014, 1022, 1044
_INT32, _STRING, _STRING_ARRAY, _I18NSTRING = 4, 6, 8, 9
_WANTED = frozenset({NAME, VERSION, RELEASE, EPOCH, LICENSE, ARCH, SOURCERPM})
_MAX_ENTRIES = 1 << 16  # rpm's own limit on index entries (HEADER_TAGS_MAX)


class HeaderError(ValueError):
    pass


def parse_header(blob: bytes) -> dict[int, str | int]:
    """The few tags the scanner needs: strings as str, EPOCH as int."""
    if len(blob) < 8:
        raise HeaderError("header blob shorter than its 8-byte preamble")
    count, data_length = struct.unpack_from(">II", blob, 0)
    data_start = 8 + 16 * count
    if count > _MAX_ENTRIES or data_start + data_length > len(blob):
        raise HeaderError(f"header claims {count} entries and {data_length} data bytes: truncated")
    data = blob[data_start : data_start + data_length]
    tags: dict[int, str | int] = {}
    for index in range(count):
        tag, kind, offset, items = struct.unpack_from(">iIiI", blob, 8 + 16 * index)
        if tag not in _WANTED:
            continue
        if not 0 <= offset < len(data):
            raise HeaderError(f"tag {tag} points outside the data store")
        if kind == _INT32:
            if items < 1 or offset + 4 > len(data):
                raise HeaderError(f"tag {tag}: truncated integer")
            tags[tag] = struct.unpack_from(">i", data, offset)[0]
        elif kind in (_STRING, _STRING_ARRAY, _I18NSTRING):
            end = data.find(b"\0", offset)
            if end < 0:
                raise HeaderError(f"tag {tag}: unterminated string")
            tags[tag] = data[offset:end].decode("utf-8", errors="replace")
    return tags
