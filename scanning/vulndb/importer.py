"""Import OSV feeds into the database, incrementally.

Records are decoded one at a time and handled in batches: one query learns which of a batch's
ids are already stored and with which `modified` time; only new or changed records are parsed
and written (advisory upserted, its affected rows replaced) in one transaction per batch. A
record that cannot be decoded or breaks the schema is skipped and listed in the source's
warnings; only a feed that cannot be read at all fails the import.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from django.db import transaction
from django.utils import timezone

from scanning.models import Advisory, AffectedPackage, VulnSource

from . import osv
from .sources import RawRecord, SourceConfig, SourceError, configured, download, is_url, read_records

logger = logging.getLogger(__name__)

BATCH_SIZE = 500
MAX_STORED_WARNINGS = 100  # on the source row
MAX_KEPT_WARNINGS = 1000  # in memory, for the command's output
_ADVISORY_FIELDS = [
    "source",
    "aliases",
    "cve_ids",
    "summary",
    "details",
    "severity",
    "cvss_vector",
    "cvss_score",
    "published",
    "modified",
    "withdrawn",
    "references",
    "cwe_ids",
]


@dataclass
class ImportResult:
    source: str
    records: int = 0  # valid records read
    written: int = 0  # new or changed, hence written
    unchanged: int = 0
    not_modified: bool = False  # the server answered 304: nothing read
    skipped: int = 0  # malformed records
    warnings: list[str] = field(default_factory=list)  # the first MAX_KEPT_WARNINGS reasons

    def skip(self, reason: str) -> None:
        self.skipped += 1
        if len(self.warnings) < MAX_KEPT_WARNINGS:  # stored as text: a NUL from the record is escaped
            self.warnings.append(reason.replace("\x00", "\\x00"))


def sync_configured() -> list[VulnSource]:
    """Make a `VulnSource` row for every configured feed (rows added by hand are kept)."""
    return [_place(config.name, config.location, config.ecosystem) for config in configured()]


def _place(name: str, location: str, ecosystem: str | None = None) -> VulnSource:
    """The source row for `name` at `location`; a moved source forgets the old HTTP validators,
    which describe the old location's file."""
    source, created = VulnSource.objects.get_or_create(
        name=name, defaults={"location": location, "ecosystem": ecosystem or ""}
    )
    if created:
        return source
    if source.location != location:
        source.location = location
        source.etag = source.last_modified = ""
    if ecosystem is not None:
        source.ecosystem = ecosystem
    source.save(update_fields=["location", "ecosystem", "etag", "last_modified"])
    return source


def source_for(name: str, location: str | None = None) -> VulnSource:
    """The named source; a location creates it (an ad-hoc file import) or moves it."""
    if location is not None:
        return _place(name, location)
    known = {config.name: config for config in configured()}
    if name in known:
        config: SourceConfig = known[name]
        return _place(config.name, config.location, config.ecosystem)
    try:
        return VulnSource.objects.get(name=name)
    except VulnSource.DoesNotExist:
        raise SourceError(f"no source named {name!r} is configured") from None


def import_source(source: VulnSource) -> ImportResult:
    """Read the source's feed and store what changed; its status is recorded either way."""
    source.last_attempt_at = timezone.now()
    result = ImportResult(source.name)
    try:
        if is_url(source.location):
            fetched = download(source.location, source.etag, source.last_modified)
            if fetched.path is None:
                result.not_modified = True
            else:
                try:
                    _import(source, read_records(fetched.path, zip_only=True), result)
                finally:
                    fetched.path.unlink(missing_ok=True)
                source.etag, source.last_modified = fetched.etag, fetched.last_modified
        else:
            _import(source, read_records(Path(source.location)), result)
    except Exception as exc:  # recorded on the source whatever it was, then raised
        source.last_error = str(exc) if isinstance(exc, SourceError) else f"unexpected error: {exc!r}"
        source.save(update_fields=["last_attempt_at", "last_error"])
        raise
    source.last_import_at = source.last_attempt_at
    source.last_error = ""
    if not result.not_modified:
        source.advisory_count = result.records
        source.skipped_count = result.skipped
        source.warnings = result.warnings[:MAX_STORED_WARNINGS]
    source.save()
    logger.info(
        "vulndb %s: %d records, %d written, %d unchanged, %d skipped",
        source.name,
        result.records,
        result.written,
        result.unchanged,
        result.skipped,
    )
    return result


def _import(source: VulnSource, raw: Iterable[RawRecord], result: ImportResult) -> None:
    batch: list[tuple[str, Any]] = []
    for item in raw:
        if item.error:
            result.skip(f"{item.origin}: {item.error}")
            continue
        try:
            batch.append((item.origin, json.loads(item.data)))
        except (ValueError, RecursionError) as exc:
            result.skip(f"{item.origin}: not JSON ({exc})")
            continue
        if len(batch) >= BATCH_SIZE:
            _write(source, batch, result)
            batch = []
    if batch:
        _write(source, batch, result)


def _write(source: VulnSource, batch: list[tuple[str, Any]], result: ImportResult) -> None:
    """Store the new and changed records of a batch of decoded documents.

    A document whose id and `modified` match the stored record is not even parsed: a daily
    refresh of an unchanged feed then costs little more than decompressing it.
    """
    ids = [osv_id for _, doc in batch if (osv_id := _id_of(doc))]
    stored = dict(Advisory.objects.filter(osv_id__in=ids).values_list("osv_id", "modified"))
    changed: dict[str, osv.Record] = {}
    for origin, doc in batch:
        known = (
            stored.get(doc.get("id")) if isinstance(doc, dict) and isinstance(doc.get("id"), str) else None
        )
        modified = osv.modified_of(doc) if known else None
        if known and modified and modified <= known:
            result.records += 1
            result.unchanged += 1
            continue
        try:
            record = osv.parse(doc)
        except osv.InvalidRecord as exc:
            result.skip(f"{origin}: {exc}")
            continue
        result.records += 1
        previous = changed.get(record.osv_id)
        if previous is None or previous.modified < record.modified:
            changed[record.osv_id] = record
    if changed:
        _store(source, list(changed.values()))
        result.written += len(changed)


def _id_of(document: Any) -> str | None:
    """The id to look up, if it can be one (PostgreSQL refuses a NUL even in a query)."""
    osv_id = document.get("id") if isinstance(document, dict) else None
    if not isinstance(osv_id, str) or "\x00" in osv_id or len(osv_id) > osv.MAX_ID:
        return None
    return osv_id


def _store(source: VulnSource, changed: list[osv.Record]) -> None:
    """Upsert the advisories and replace their affected rows, all or nothing."""
    with transaction.atomic():
        Advisory.objects.bulk_create(
            [_advisory(source, r) for r in changed],
            update_conflicts=True,
            unique_fields=["osv_id"],
            update_fields=_ADVISORY_FIELDS,
        )
        AffectedPackage.objects.filter(advisory_id__in=[r.osv_id for r in changed]).delete()
        AffectedPackage.objects.bulk_create(
            [
                AffectedPackage(
                    advisory_id=r.osv_id,
                    ecosystem=a.ecosystem,
                    package=a.package,
                    package_key=a.package_key,
                    ranges=a.ranges,
                    versions=a.versions,
                    severity=a.severity,
                )
                for r in changed
                for a in r.affected
            ],
            batch_size=BATCH_SIZE,
        )


def _advisory(source: VulnSource, r: osv.Record) -> Advisory:
    return Advisory(
        osv_id=r.osv_id,
        source=source,
        aliases=r.aliases,
        cve_ids=r.cve_ids,
        summary=r.summary,
        details=r.details,
        severity=r.severity,
        cvss_vector=r.cvss_vector,
        cvss_score=r.cvss_score,
        published=r.published,
        modified=r.modified,
        withdrawn=r.withdrawn,
        references=r.references,
        cwe_ids=r.cwe_ids,
    )


def refresh_configured() -> list[ImportResult | SourceError]:
    """Import every configured feed; one failing feed does not stop the others."""
    outcomes: list[ImportResult | SourceError] = []
    for source in sync_configured():
        try:
            outcomes.append(import_source(source))
        except SourceError as exc:
            logger.warning("vulndb %s: %s", source.name, exc)
            outcomes.append(exc)
        except Exception as exc:  # a bug or a database error: logged in full, the next source runs
            logger.exception("vulndb %s: import failed", source.name)
            outcomes.append(SourceError(f"{source.name}: unexpected error: {exc!r}"))
    return outcomes
