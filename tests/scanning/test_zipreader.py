"""The constant-memory zip reader against archives written by Python's own zipfile."""

from __future__ import annotations

import io
import tracemalloc
import zipfile

import pytest

from scanning.vulndb.zipreader import ZipError, members

MAX = 1 << 20


def _archive(entries: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> io.BytesIO:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", compression) as archive:
        archive.mkdir("dir")
        for name, data in entries.items():
            archive.writestr(name, data)
    buffer.seek(0)
    return buffer


@pytest.mark.parametrize("compression", [zipfile.ZIP_DEFLATED, zipfile.ZIP_STORED])
def test_reads_what_zipfile_writes(compression):
    entries = {"a.json": b'{"id": "A"}', "dir/ü.json": "é".encode() * 5000, "empty.json": b""}
    read = [(m.name, m.data, m.error) for m in members(_archive(entries, compression), MAX)]
    assert read == [(name, data, "") for name, data in entries.items()]


def test_a_corrupt_member_is_reported_and_the_next_still_read():
    buffer = _archive({"first.json": b"x" * 1000 + b"y" * 1000, "second.json": b'{"ok": true}'})
    raw = bytearray(buffer.getvalue())
    data_start = raw.index(b"first.json") + len("first.json")  # local header name, then data
    raw[data_start + 2] ^= 0xFF
    read = list(members(io.BytesIO(bytes(raw)), MAX))
    assert read[0].name == "first.json" and read[0].data == b"" and read[0].error
    assert (read[1].name, read[1].data, read[1].error) == ("second.json", b'{"ok": true}', "")


def test_a_member_over_the_limit_is_not_inflated():
    read = list(members(_archive({"bomb.json": b"\0" * (MAX + 1), "ok.json": b"{}"}), MAX))
    assert [(m.name, m.error) for m in read] == [("bomb.json", f"larger than {MAX} bytes"), ("ok.json", "")]


def test_not_a_zip_and_truncated_archives_are_errors():
    with pytest.raises(ZipError, match="not a zip archive"):
        list(members(io.BytesIO(b"<html>hello</html>"), MAX))
    whole = _archive({"a.json": b"{}"}).getvalue()
    cut = whole[: whole.index(b"PK\x01\x02")] + whole[whole.index(b"PK\x05\x06") :]  # no directory left
    with pytest.raises(ZipError):
        list(members(io.BytesIO(cut), MAX))


def test_zip64_directory_and_flat_memory():
    """70,000 members need zip64's entry count; reading them holds one at a time (zipfile would
    keep 70,000 ZipInfo objects, about 40 MiB)."""
    count = 70_000
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for index in range(count):
            archive.writestr(f"R-{index:06d}.json", b'{"id": "R-%06d"}' % index)
    buffer.seek(0)
    tracemalloc.start()
    try:
        seen = 0
        for member in members(buffer, MAX):
            assert member.data == b'{"id": "R-%06d"}' % seen and not member.error
            seen += 1
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert seen == count
    assert peak < 1 << 20
