"""Applying layers: compression, whiteouts and replacement; hostile and broken layers."""

from __future__ import annotations

import gzip
import io
import tarfile
import tracemalloc

import pytest

from scanning.inventory import InventoryError, inventory_of_layers
from scanning.inventory.tarwalk import MAX_HEADER_BYTES

from .layers import (
    compress,
    directory,
    file,
    found,
    hardlink,
    inventory,
    layer,
    opaque,
    opener,
    symlink,
    tar_of,
    whiteout,
)

STATUS = "var/lib/dpkg/status"


@pytest.fixture
def two_statuses(sample_debs) -> tuple[str, str, dict[str, str]]:
    """A full status file and one with only its first record."""
    records = list(sample_debs.values())
    return "\n".join(records), records[0], sample_debs


@pytest.mark.parametrize("compression", ["gzip", "zstd", "none"])
def test_every_layer_compression_reads_alike(compression, two_statuses):
    full, _, debs = two_statuses
    result = inventory(layer(file(STATUS, full), compression=compression))
    assert set(found(result, "deb")) == set(debs)


def test_whiteout_in_an_upper_layer_deletes_the_database(two_statuses):
    full, _, _ = two_statuses
    result = inventory(layer(file(STATUS, full)), layer(whiteout(STATUS)))
    assert found(result, "deb") == {}


def test_whiteout_of_a_directory_deletes_everything_below(two_statuses):
    full, _, _ = two_statuses
    result = inventory(
        layer(
            file(STATUS, full), file("usr/lib/node_modules/x/package.json", '{"name":"x","version":"1.0.0"}')
        ),
        layer(whiteout("var/lib/dpkg")),
    )
    assert set(found(result, "npm")) == {"x"} and found(result, "deb") == {}


def test_a_database_replaced_upstairs_is_read_as_the_final_filesystem_shows_it(two_statuses):
    full, first, debs = two_statuses
    result = inventory(layer(file(STATUS, full)), layer(file(STATUS, first)))
    assert set(found(result, "deb")) == {next(iter(debs))}
    # ... and deleted then re-created: the re-creation counts.
    result = inventory(layer(file(STATUS, first)), layer(whiteout(STATUS)), layer(file(STATUS, full)))
    assert set(found(result, "deb")) == set(debs)


def test_opaque_directory_hides_lower_contents_but_not_its_own_layer():
    manifest = '{{"name":"{0}","version":"1.0.0"}}'
    result = inventory(
        layer(file("app/node_modules/old/package.json", manifest.format("old"))),
        # the marker may come after the layer's own files: it still hides only lower layers
        layer(file("app/node_modules/new/package.json", manifest.format("new")), opaque("app/node_modules")),
    )
    assert set(found(result, "npm")) == {"new"}


def test_a_directory_replaced_by_a_file_hides_what_was_below():
    result = inventory(
        layer(file("app/node_modules/a/package.json", '{"name":"a","version":"1.0.0"}')),
        layer(file("app/node_modules", "now a plain file")),
    )
    assert found(result, "npm") == {}


def test_a_file_replaced_by_a_directory_is_gone(two_statuses):
    full, _, _ = two_statuses
    result = inventory(layer(file(STATUS, full)), layer(directory(STATUS)))
    assert found(result, "deb") == {}


def test_overlayfs_character_device_whiteout(two_statuses):
    full, _, _ = two_statuses
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w") as tar:
        device = tarfile.TarInfo(STATUS)
        device.type, device.devmajor, device.devminor = tarfile.CHRTYPE, 0, 0
        tar.addfile(device)
    result = inventory(layer(file(STATUS, full)), gzip.compress(buffer.getvalue()))
    assert found(result, "deb") == {}


def test_hard_links_to_read_and_unread_files(two_statuses):
    full, _, debs = two_statuses
    distroless = "var/lib/dpkg/status.d/all"
    result = inventory(layer(file(distroless, full), hardlink(STATUS, distroless)))
    assert {p.path for p in result.packages} == {STATUS, distroless}
    assert {p.name for p in result.packages if p.path == STATUS} == set(debs)

    result = inventory(layer(file("tmp/status", full), hardlink(STATUS, "tmp/status")))
    assert found(result, "deb") == {}
    assert result.warnings == [f"layer 1: hard link {STATUS} -> tmp/status not read: target not kept"]


def test_dot_dot_member_names_are_skipped_with_a_warning(two_statuses):
    full, _, _ = two_statuses
    result = inventory(
        layer(directory("var"), file(f"../../{STATUS}", full), file(f"var/../../{STATUS}", full))
    )
    assert found(result, "deb") == {}
    assert result.warnings == [
        f"layer 1: skipped: tar member '../../{STATUS}' has a '..' component",
        f"layer 1: skipped: tar member 'var/../../{STATUS}' has a '..' component",
    ]


def test_absolute_and_escaping_symlinks_are_not_followed(os_release):
    os_text, os_values = os_release
    result = inventory(
        layer(
            symlink("etc/os-release", "/etc/shadow"),
            symlink(STATUS, "../../../../../var/lib/dpkg/status"),
            file("usr/lib/os-release", os_text),
        )
    )
    assert result.os is not None and result.os.id == os_values["ID"]  # the fallback file
    assert found(result, "deb") == {}
    assert result.warnings == [
        "layer 1: symlink etc/os-release -> /etc/shadow not followed (absolute or outside)",
        f"layer 1: symlink {STATUS} -> ../../../../../var/lib/dpkg/status not followed (absolute or outside)",
    ]


def test_corrupt_gzip_layer_is_a_clear_error(two_statuses):
    full, _, _ = two_statuses
    good = layer(file(STATUS, full))
    corrupt = good[:40] + bytes(byte ^ 0x5A for byte in good[40:80]) + good[80:]
    with pytest.raises(InventoryError, match=r"^layer 2: unreadable gzip-compressed tar stream: "):
        inventory(layer(file("etc/hostname", "x")), corrupt)


def test_truncated_layer_is_a_clear_error(two_statuses):
    full, _, _ = two_statuses
    truncated = compress(tar_of([file(STATUS, full * 50)]), "zstd")[:300]
    with pytest.raises(InventoryError, match=r"^layer 1: unreadable zstd-compressed tar stream: "):
        inventory(truncated)


def test_a_description_names_the_layer_in_messages():
    class Described:
        description = "sha256:abc"

        def __call__(self):
            return io.BytesIO(b"\x1f\x8b not gzip at all")

    with pytest.raises(InventoryError, match=r"^layer 1 \(sha256:abc\): unreadable gzip"):
        inventory_of_layers([Described()])


def gnu_sparse_header(name: str, real_size: int, mode: int) -> bytes:
    """An old-GNU sparse member ('S') built by hand: one 512-byte data block, the rest holes,
    `real_size` bytes long once expanded."""
    header = bytearray(512)

    def put(offset: int, width: int, value: bytes) -> None:
        header[offset : offset + width] = value.ljust(width, b"\0")

    def number(value: int, width: int) -> bytes:
        return tarfile.itn(value, width, tarfile.GNU_FORMAT)

    put(0, 100, name.encode())
    put(100, 8, number(mode, 8))
    put(108, 8, number(0, 8))
    put(116, 8, number(0, 8))
    put(124, 12, number(512, 12))  # stored data
    put(136, 12, number(0, 12))
    header[156:157] = b"S"
    put(257, 8, b"ustar  \0")
    put(386, 12, number(0, 12))  # first sparse chunk: offset 0, 512 bytes
    put(398, 12, number(512, 12))
    header[482] = 0  # no extension headers
    put(483, 12, number(real_size, 12))
    header[148:156] = b" " * 8
    header[148:156] = f"{sum(header):06o}\0 ".encode()
    return bytes(header) + b"\x7fELF".ljust(512, b"\0")


TEN_GB = 10 << 30


@pytest.mark.parametrize("name, mode", [("usr/share/java/huge.jar", 0o644), ("usr/bin/huge", 0o755)])
def test_ten_gigabyte_sparse_entry_is_skipped_in_bounded_memory(two_statuses, name, mode):
    full, _, debs = two_statuses
    tail = tar_of([file(STATUS, full)])
    hostile = gnu_sparse_header(name, TEN_GB, mode) + tail
    with tarfile.open(fileobj=io.BytesIO(hostile)) as check:  # tarfile agrees it is 10 GB
        assert check.getmember(name).size == TEN_GB and check.getmember(name).issparse()

    tracemalloc.start()
    try:
        result = inventory(gzip.compress(hostile))
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20
    assert set(found(result, "deb")) == set(debs)  # the entries after it are still read
    assert len(result.warnings) == 1
    assert result.warnings[0].startswith(f"layer 1: {name} not read: {TEN_GB} bytes, over the ")


def test_oversized_pax_header_is_refused_before_it_is_read():
    header = tarfile.TarInfo("././@PaxHeader")
    header.type, header.size = tarfile.XHDTYPE, 10 << 30
    hostile = header.tobuf(tarfile.GNU_FORMAT) + b"\0" * 4096
    tracemalloc.start()
    try:
        with pytest.raises(InventoryError, match=f"exceeds the {MAX_HEADER_BYTES} byte bound"):
            inventory_of_layers([opener(gzip.compress(hostile))])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert peak < 16 << 20
