"""Reading an image's layers, bottom to top, into an `Inventory`.

Each layer is streamed once: decompressed on the fly, its tar entries walked in order, and
only the files a detector wants are read, each at most MAX_FILE_BYTES (64 MiB). That bound
is what keeps memory flat whatever the image holds: the largest file a detector buffers
(an rpm database, a fat jar) is far below it, while a hostile or sparse 10 GB entry is
skipped with a warning instead of being inflated. Nothing is extracted to disk, so there is
no sandbox to escape: unsafe names and links are refused and reported, never followed.
"""

from __future__ import annotations

import tarfile
import zlib
from collections.abc import Iterable

import zstandard

from .detectors import Detector, Findings, detector_for
from .merged import FileFacts, LayerChanges, MergedFiles, WarningLog
from .model import Inventory
from .streams import LayerOpener, decompressed
from .tarwalk import Entry, Kind, resolve_link, walk

MAX_FILE_BYTES = 64 << 20
# Streamed files (executables searched for Go build info) are never buffered, so their bound
# is about time, not memory: no real binary is near it, a sparse 10 GB decoy is.
MAX_STREAMED_BYTES = 1 << 30
_COMPRESSION_NAMES = {"gzip": "gzip-compressed", "zstd": "zstd-compressed", "none": "uncompressed"}
_STREAM_ERRORS = (OSError, EOFError, zlib.error, tarfile.TarError, zstandard.ZstdError)


class InventoryError(Exception):
    """A layer could not be read (corrupt compression, truncated tar): the image's final
    filesystem is unknowable, so no inventory is better than a wrong one."""


def _read_file(
    entry: Entry, tar: tarfile.TarFile, detector: Detector, where: str, warnings: WarningLog
) -> FileFacts:
    limit = MAX_STREAMED_BYTES if detector.streaming else MAX_FILE_BYTES
    if entry.size > limit:
        warnings.add(f"{where}: {entry.path} not read: {entry.size} bytes, over the {limit} bound")
        return FileFacts()
    handle = tar.extractfile(entry.info)  # type: ignore[arg-type]
    assert handle is not None  # a regular file always has content
    if detector.streaming:
        return FileFacts(detector.read(entry.path, handle))
    content = handle.read(entry.size)  # stream errors propagate: they are the layer's, not the file's
    try:
        return FileFacts(detector.read(entry.path, content))
    except Exception as exc:  # one unreadable file must not lose the image's inventory
        return FileFacts(Findings(warnings=[f"{entry.path}: {detector.name} could not read it: {exc!r}"]))


def _symlink_facts(entry: Entry, where: str, warnings: WarningLog) -> FileFacts:
    target = resolve_link(entry.path, entry.target)
    if target is None:
        warnings.add(f"{where}: symlink {entry.path} -> {entry.target} not followed (absolute or outside)")
    return FileFacts(symlink=target)


def read_layer(stream, lower: MergedFiles, where: str, warnings: WarningLog) -> LayerChanges:  # type: ignore[no-untyped-def]
    changes = LayerChanges()
    lower_directories = lower.directories()
    for entry, tar in walk(stream, warnings.add, where):
        if entry.kind is Kind.WHITEOUT:
            changes.removed.add(entry.path)
            continue
        if entry.kind is Kind.OPAQUE:
            changes.opaque.add(entry.path)
            continue
        if entry.kind is Kind.DIRECTORY:
            if entry.path in lower.files:  # a directory now where a wanted file was
                changes.removed.add(entry.path)
            continue
        # Any non-directory replaces whatever the lower layers had at this path.
        if entry.path in lower.files or entry.path in lower_directories:
            changes.removed.add(entry.path)
        if entry.kind is Kind.FILE and (detector := detector_for(entry.path, entry.mode)):
            changes.added[entry.path] = _read_file(entry, tar, detector, where, warnings)
        elif entry.kind is Kind.SYMLINK and detector_for(entry.path, 0):
            changes.added[entry.path] = _symlink_facts(entry, where, warnings)
        elif entry.kind is Kind.HARDLINK and detector_for(entry.path, 0o755):
            source = changes.added.get(entry.target) or lower.files.get(entry.target)
            if source is None:
                # A stream cannot go back to content it passed when nobody wanted it.
                warnings.add(f"{where}: hard link {entry.path} -> {entry.target} not read: target not kept")
                source = FileFacts()
            changes.added[entry.path] = source.moved_to(entry.path)
    return changes


def inventory_of_layers(layers: Iterable[LayerOpener]) -> Inventory:
    """The inventory of the image whose layers, bottom first, these open.

    An opener may carry a `description` (e.g. the blob digest) used in messages.
    """
    merged = MergedFiles()
    warnings = WarningLog()
    for index, opener in enumerate(layers, start=1):
        where = f"layer {index}"
        if description := getattr(opener, "description", ""):
            where += f" ({description})"
        compression = "layer"
        try:
            with opener() as raw:
                stream, compression = decompressed(raw)
                merged.apply(read_layer(stream, merged, where, warnings))
        except _STREAM_ERRORS as exc:
            kind = _COMPRESSION_NAMES.get(compression, compression)
            raise InventoryError(f"{where}: unreadable {kind} tar stream: {exc}") from exc
    return merged.inventory(warnings)
