"""Where advisories come from: the configured feeds, and reading OSV records out of them.

A feed is an OSV `all.zip` (downloaded, or a local copy), a directory of OSV JSON files, or a
single JSON file. Records are yielded one at a time as raw bytes, so a feed of 100k records
never sits in memory decoded; a download goes to a temporary file first because a zip's
directory is at its end.
"""

from __future__ import annotations

import os
import tempfile
import zipfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote

import requests
from django.conf import settings

from . import zipreader

OSV_BUCKET = "https://osv-vulnerabilities.storage.googleapis.com"
# An OSV record is a few KiB; a much larger zip member is not a record (or a zip bomb).
MAX_RECORD_BYTES = 16 * 1024 * 1024


class SourceError(Exception):
    """The feed itself cannot be read (unreachable URL, missing path, corrupt zip)."""


@dataclass(frozen=True)
class SourceConfig:
    name: str
    location: str
    ecosystem: str = ""


def osv_url(ecosystem: str) -> str:
    return f"{OSV_BUCKET}/{quote(ecosystem)}/all.zip"


def configured() -> list[SourceConfig]:
    """`VULNDB_SOURCES` entries: "Debian" means OSV's Debian feed; "name=location" anything else."""
    result = []
    for entry in settings.VULNDB_SOURCES:
        entry = entry.strip()
        if not entry:
            continue
        name, sep, location = entry.partition("=")
        if sep:
            result.append(SourceConfig(name.strip(), location.strip()))
        else:
            result.append(SourceConfig(entry, osv_url(entry), entry))
    return result


def is_url(location: str) -> bool:
    return location.startswith(("http://", "https://"))


@dataclass
class Download:
    """A fetched feed: `path` is None when the server said it has not changed (304)."""

    path: Path | None
    etag: str = ""
    last_modified: str = ""


def download(url: str, etag: str = "", last_modified: str = "") -> Download:
    """Stream `url` into a temporary file, sending the last validators back."""
    headers = {}
    if etag:
        headers["If-None-Match"] = etag
    if last_modified:
        headers["If-Modified-Since"] = last_modified
    try:
        timeout = settings.VULNDB_DOWNLOAD_TIMEOUT
        with requests.get(url, headers=headers, stream=True, timeout=timeout) as response:
            if response.status_code == 304:
                return Download(None, etag, last_modified)
            if response.status_code != 200:
                raise SourceError(f"GET {url} answered {response.status_code}")
            path = _spool(response, url)
            return Download(path, response.headers.get("ETag", ""), response.headers.get("Last-Modified", ""))
    except requests.RequestException as exc:
        raise SourceError(f"GET {url} failed: {exc}") from exc


def _spool(response: requests.Response, url: str) -> Path:
    """Write the body under the data directory (not /tmp: a feed can outgrow a tmpfs), at most
    `VULNDB_MAX_DOWNLOAD_BYTES`; nothing is left behind when the transfer fails."""
    spool = Path(settings.DATA_DIR) / "tmp"
    spool.mkdir(parents=True, exist_ok=True)
    fd, name = tempfile.mkstemp(prefix="osv-", suffix=".zip", dir=spool)
    path, limit, size = Path(name), settings.VULNDB_MAX_DOWNLOAD_BYTES, 0
    try:
        with os.fdopen(fd, "wb") as out:
            for chunk in response.iter_content(chunk_size=1 << 20):
                size += len(chunk)
                if size > limit:
                    raise SourceError(f"GET {url}: larger than {limit} bytes")
                out.write(chunk)
    except BaseException:
        path.unlink(missing_ok=True)
        raise
    return path


@dataclass(frozen=True)
class RawRecord:
    """One record's bytes and where it was found, for warnings; `error` when unreadable."""

    origin: str
    data: bytes = b""
    error: str = ""


def read_records(path: Path, zip_only: bool = False) -> Iterator[RawRecord]:
    """Every OSV record under a local path: a zip, a directory of JSON files, or one JSON file.

    `zip_only` is for downloads: a server that answers 200 with an HTML page has not sent a feed.
    """
    if path.is_dir() and not zip_only:
        for file in sorted(path.rglob("*.json")):
            yield _read_file(file)
    elif path.is_file() and zipfile.is_zipfile(path):
        yield from _read_zip(path)
    elif path.is_file() and not zip_only:
        yield _read_file(path)
    elif zip_only:
        raise SourceError("the download is not a zip archive")
    else:
        raise SourceError(f"{path} does not exist")


def _read_file(file: Path) -> RawRecord:
    try:
        if file.stat().st_size > MAX_RECORD_BYTES:
            return RawRecord(str(file), error=f"larger than {MAX_RECORD_BYTES} bytes")
        return RawRecord(str(file), file.read_bytes())
    except OSError as exc:
        return RawRecord(str(file), error=str(exc))


def _read_zip(path: Path) -> Iterator[RawRecord]:
    """The `.json` members, one at a time (`zipreader` keeps memory flat whatever the count)."""
    with path.open("rb") as file:
        try:
            for member in zipreader.members(file, MAX_RECORD_BYTES):
                if member.name.endswith(".json"):
                    yield RawRecord(member.name, member.data, member.error)
        except zipreader.ZipError as exc:
            raise SourceError(f"{path}: not a readable zip ({exc})") from exc
