"""One OSV record (https://ossf.github.io/osv-schema/) checked and reduced to what we store.

Framework-free, so a malformed record is rejected here with a reason (the importer records it
as a warning) before anything touches the database.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any

from .ecosystems import package_key
from .severity import distribution_label, rate

_CVE = re.compile(r"^CVE-\d{4}-\d{4,}$")
_EVENT_KINDS = ("introduced", "fixed", "last_affected", "limit")
_RANGE_TYPES = ("ECOSYSTEM", "SEMVER", "GIT")


# Column widths of scanning.models: longer values are a malformed record, not a database error.
MAX_ID = 200
MAX_ECOSYSTEM = 200
MAX_NAME = 500


class InvalidRecord(ValueError):
    """The record breaks the OSV schema in a way that makes it unusable."""


@dataclass
class Affected:
    ecosystem: str
    package: str
    package_key: str
    ranges: list[dict[str, Any]]
    versions: list[str]
    severity: str


@dataclass
class Record:
    osv_id: str
    modified: datetime
    aliases: list[str] = field(default_factory=list)
    cve_ids: list[str] = field(default_factory=list)
    summary: str = ""
    details: str = ""
    severity: str = "Unknown"
    cvss_vector: str = ""
    cvss_score: float | None = None
    published: datetime | None = None
    withdrawn: datetime | None = None
    references: list[str] = field(default_factory=list)
    cwe_ids: list[str] = field(default_factory=list)
    affected: list[Affected] = field(default_factory=list)


def _time(value: Any, name: str, required: bool = False) -> datetime | None:
    if value is None and not required:
        return None
    if not isinstance(value, str):
        raise InvalidRecord(f"{name} must be an RFC 3339 time")
    try:
        parsed = datetime.fromisoformat(value.replace("Z", "+00:00"))
    except ValueError as exc:
        raise InvalidRecord(f"{name} {value!r} is not an RFC 3339 time") from exc
    if parsed.tzinfo is None:
        raise InvalidRecord(f"{name} {value!r} has no time zone")
    return parsed


def modified_of(document: Any) -> datetime | None:
    """A document's `modified` time, or None where it has none (the full parse then says why)."""
    try:
        return _time(document.get("modified"), "modified", required=True)
    except InvalidRecord:
        return None


def _strings(value: Any, name: str) -> list[str]:
    if value is None:
        return []
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise InvalidRecord(f"{name} must be a list of strings")
    return value


def _ranges(value: Any) -> list[dict[str, Any]]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidRecord("affected[].ranges must be a list")
    ranges = []
    for item in value:
        if not isinstance(item, dict) or item.get("type") not in _RANGE_TYPES:
            raise InvalidRecord(f"range type must be one of {', '.join(_RANGE_TYPES)}")
        events = item.get("events")
        if not isinstance(events, list) or not events:
            raise InvalidRecord("a range needs a non-empty list of events")
        kept = []
        for event in events:
            if not isinstance(event, dict) or len(event) != 1:
                raise InvalidRecord("each range event has exactly one of " + ", ".join(_EVENT_KINDS))
            ((kind, version),) = event.items()
            if kind not in _EVENT_KINDS or not isinstance(version, str) or not version:
                raise InvalidRecord(f"bad range event {event!r}")
            kept.append({kind: version})
        ranges.append({"type": item["type"], "events": kept})
    return ranges


def _affected(value: Any) -> list[Affected]:
    if value is None:
        return []
    if not isinstance(value, list):
        raise InvalidRecord("affected must be a list")
    result = []
    for item in value:
        package = item.get("package") if isinstance(item, dict) else None
        if not isinstance(package, dict):
            continue  # OSV allows affected entries without a package (git-only); nothing to match
        ecosystem, name = package.get("ecosystem"), package.get("name")
        if not isinstance(ecosystem, str) or not isinstance(name, str) or not ecosystem or not name:
            raise InvalidRecord("affected[].package needs an ecosystem and a name")
        if len(ecosystem) > MAX_ECOSYSTEM or len(name) > MAX_NAME:
            raise InvalidRecord(f"affected[].package: ecosystem or name too long ({name[:40]!r}...)")
        severity = distribution_label(item.get("ecosystem_specific")) or distribution_label(
            item.get("database_specific")
        )
        result.append(
            Affected(
                ecosystem=ecosystem,
                package=name,
                package_key=package_key(ecosystem, name),
                ranges=_ranges(item.get("ranges")),
                versions=_strings(item.get("versions"), "affected[].versions"),
                severity=severity,
            )
        )
    return result


def _cve_ids(osv_id: str, aliases: list[str], record: dict[str, Any]) -> list[str]:
    """The CVEs this record is about: its id, aliases and `upstream` (Debian's and Ubuntu's
    per-CVE records); a distribution's bundle advisory (DSA, DLA, USN) has none of those and
    lists the CVEs it fixes under `related`."""
    upstream = [x for x in record.get("upstream") or [] if isinstance(x, str)]
    own = [x for x in [osv_id, *aliases, *upstream] if _CVE.match(x)]
    if not own:
        own = [x for x in record.get("related") or [] if isinstance(x, str) and _CVE.match(x)]
    return sorted(set(own))


def _cwe_ids(specific: Any) -> list[str]:
    """GitHub's records list CWE ids in `database_specific.cwe_ids`; Harbor's reports show them."""
    values = specific.get("cwe_ids") if isinstance(specific, dict) else None
    return [v for v in values if isinstance(v, str)] if isinstance(values, list) else []


def _has_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(_has_nul(k) or _has_nul(v) for k, v in value.items())
    if isinstance(value, list):
        return any(_has_nul(item) for item in value)
    return False


def parse(record: Any) -> Record:
    """Check one decoded OSV JSON document; raise InvalidRecord with the reason if unusable."""
    if not isinstance(record, dict):
        raise InvalidRecord("an OSV record is a JSON object")
    osv_id = record.get("id")
    if not isinstance(osv_id, str) or not osv_id or len(osv_id) > MAX_ID:
        raise InvalidRecord(f"id must be a string of 1 to {MAX_ID} characters")
    # PostgreSQL stores no NUL in text or jsonb. The serialised text finds candidates fast (a NUL
    # is always escaped there); the walk then rules out a literal backslash-u0000 in some text.
    if "\\u0000" in json.dumps(record) and _has_nul(record):
        raise InvalidRecord(f"{osv_id[:MAX_ID]}: holds a NUL character")
    try:
        aliases = _strings(record.get("aliases"), "aliases")
        references = [
            ref["url"]
            for ref in record.get("references") or []
            if isinstance(ref, dict) and isinstance(ref.get("url"), str)
        ]
        rating = rate(record)
        return Record(
            osv_id=osv_id,
            modified=_time(record.get("modified"), "modified", required=True),  # type: ignore[arg-type]
            aliases=aliases,
            cve_ids=_cve_ids(osv_id, aliases, record),
            summary=record.get("summary") if isinstance(record.get("summary"), str) else "",
            details=record.get("details") if isinstance(record.get("details"), str) else "",
            severity=rating.severity,
            cvss_vector=rating.cvss_vector,
            cvss_score=rating.cvss_score,
            published=_time(record.get("published"), "published"),
            withdrawn=_time(record.get("withdrawn"), "withdrawn"),
            references=references,
            cwe_ids=_cwe_ids(record.get("database_specific")),
            affected=_affected(record.get("affected")),
        )
    except InvalidRecord as exc:
        raise InvalidRecord(f"{osv_id}: {exc}") from None
    except (TypeError, AttributeError) as exc:
        raise InvalidRecord(f"{osv_id}: unexpected structure ({exc})") from None
