"""Is a version affected by one OSV `affected[]` entry, and which versions fix it.

The walk follows the OSV schema's evaluation: events sorted by version ("introduced: 0" first),
`introduced` opens, `fixed` closes at that version, `last_affected` closes after it, `limit`
caps the range. GIT ranges name commits, not package versions, so only an entry's explicit
`versions` list can match for them.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cmp_to_key, lru_cache
from typing import Any

from univers.versions import Version

_ORDER = {"introduced": 0, "fixed": 1, "last_affected": 1, "limit": 1}


class UnparsableVersion(ValueError):
    """The ecosystem's comparator rejects a version (installed or in the advisory)."""


@dataclass(frozen=True)
class Verdict:
    affected: bool
    fixed_in: tuple[str, ...] = ()


def parse_version(cls: type[Version], text: str) -> Version:
    try:
        return _parsed(cls, text)
    except Exception as exc:  # univers raises InvalidVersion, ValueError or TypeError by class
        raise UnparsableVersion(f"{text!r} is not a valid {cls.__name__}") from exc


@lru_cache(maxsize=65536)
def _parsed(cls: type[Version], text: str) -> Version:
    """The same few versions recur across an image's advisories ("0", each fix, the installed
    one); univers versions are frozen, so sharing them is safe."""
    return cls(text)


def evaluate(
    cls: type[Version], installed: str, ranges: list[dict[str, Any]], versions: list[str]
) -> Verdict:
    """The verdict for `installed`; raises UnparsableVersion if a comparison cannot be made."""
    if installed in versions:
        return Verdict(True, _fixes(cls, None, ranges))
    version = parse_version(cls, installed)
    affected = any(_in_range(cls, version, r["events"]) for r in ranges if r["type"] != "GIT")
    return Verdict(affected, _fixes(cls, version, ranges) if affected else ())


def _sorted_events(cls: type[Version], events: list[dict[str, str]]) -> list[tuple[str, Version | None]]:
    parsed = []
    for event in events:
        ((kind, text),) = event.items()
        point = None if kind == "introduced" and text == "0" else parse_version(cls, text)
        parsed.append((kind, point))
    return sorted(parsed, key=cmp_to_key(_compare))


def _compare(a: tuple[str, Version | None], b: tuple[str, Version | None]) -> int:
    """ "0" sorts lowest; at an equal version an introduction comes before what closes it."""
    if a[1] is not None and b[1] is not None and a[1] != b[1]:
        return -1 if a[1] < b[1] else 1
    if (a[1] is None) != (b[1] is None):
        return -1 if a[1] is None else 1
    return _ORDER[a[0]] - _ORDER[b[0]]


def _in_range(cls: type[Version], version: Version, events: list[dict[str, str]]) -> bool:
    affected = False
    for kind, point in _sorted_events(cls, events):
        if kind == "introduced" and (point is None or version >= point):
            affected = True
        elif point is None:
            continue
        elif (kind == "fixed" and version >= point) or (kind == "last_affected" and version > point):
            affected = False
        elif kind == "limit" and version >= point:
            return False
    return affected


def _fixes(cls: type[Version], version: Version | None, ranges: list[dict[str, Any]]) -> tuple[str, ...]:
    """The `fixed` versions above the installed one, lowest first (the nearest upgrade leads)."""
    found: dict[str, Version] = {}
    for r in ranges:
        if r["type"] == "GIT":
            continue
        for event in r["events"]:
            text = event.get("fixed")
            if text is None:
                continue
            point = parse_version(cls, text)
            if version is None or point > version:
                found[text] = point
    return tuple(sorted(found, key=found.__getitem__))
