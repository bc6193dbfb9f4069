"""What artifact responses say about scans: `scan_overview` (Harbor's NativeReportSummary per
report MIME type), `sbom_overview`, and the `vulnerabilities` addition.

An artifact's reports are those of its project's scanner, as in Harbor: switching a project to
another scanner shows that scanner's reports (none until it has scanned). An index's are its
images' reports, merged. A page of artifacts costs three queries whatever its size: the
projects' chosen scanners, the default, the reports (four with indexes: their images).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from registry.models import Artifact, ArtifactReference
from registry.oci import mediatypes as mt

from . import builtin
from .adapter import SBOM_REPORT, VULN_REPORT_TYPES
from .registrations import default_scanner
from .scan_models import ProjectScanner, ScannerRegistration, ScanReport
from .vulndb.severity import rank


def scanners_of(project_ids: Iterable[int]) -> dict[int, ScannerRegistration | None]:
    ids = set(project_ids)
    chosen = ProjectScanner.objects.filter(project_id__in=ids, registration__disabled=False)
    found: dict[int, ScannerRegistration | None] = {
        c.project_id: c.registration for c in chosen.select_related("registration")
    }
    if len(found) < len(ids):
        fallback = default_scanner()
        found.update({project_id: fallback for project_id in ids - set(found)})
    return found


def _images_of_indexes(artifacts: list[Artifact]) -> dict[int, list[str]]:
    """The image digests of each index of the page (one query, none without indexes)."""
    indexes = [a.pk for a in artifacts if a.media_type in mt.INDEXES]
    found: dict[int, list[str]] = {pk: [] for pk in indexes}
    if indexes:
        rows = ArtifactReference.objects.filter(parent_id__in=indexes).order_by("id")
        for parent_id, digest in rows.values_list("parent_id", "child__digest"):
            found[parent_id].append(digest)
    return found


def reports_of(artifacts: list[Artifact]) -> dict[int, list[ScanReport]]:
    """Each artifact's reports by its project's scanner (artifacts need `repository` loaded);
    an index's are its images' reports."""
    if not artifacts:
        return {}
    scanners = scanners_of(a.repository.project_id for a in artifacts)
    images = _images_of_indexes(artifacts)
    digests = {a.pk: images.get(a.pk, [a.digest]) for a in artifacts}
    wanted = {
        (digest, scanner.pk)
        for a in artifacts
        if (scanner := scanners[a.repository.project_id])
        for digest in digests[a.pk]
    }
    if not wanted:
        return {a.pk: [] for a in artifacts}
    rows = ScanReport.objects.filter(
        digest__in={digest for digest, _ in wanted}, registration_id__in={pk for _, pk in wanted}
    ).select_related("registration")
    by_key: dict[tuple[str, int], list[ScanReport]] = {}
    for report in rows:
        by_key.setdefault((report.digest, report.registration_id), []).append(report)
    result: dict[int, list[ScanReport]] = {}
    for artifact in artifacts:
        scanner = scanners[artifact.repository.project_id]
        result[artifact.pk] = (
            [r for digest in digests[artifact.pk] for r in by_key.get((digest, scanner.pk), [])]
            if scanner
            else []
        )
    return result


def scanner_json(report: ScanReport) -> dict[str, str]:
    if report.registration.builtin:
        return dict(builtin.SCANNER)
    told = (report.report or {}).get("scanner") if report.status == ScanReport.SUCCESS else None
    if isinstance(told, dict):
        return {key: str(told.get(key, "")) for key in ("name", "vendor", "version")}
    return {"name": report.registration.name, "vendor": "", "version": ""}


def _timing(report: ScanReport) -> dict[str, Any]:
    duration = 0
    if report.start_time and report.end_time:
        duration = int((report.end_time - report.start_time).total_seconds())
    return {
        "report_id": report.uuid,
        "scan_status": report.status,
        "start_time": report.start_time,
        "end_time": report.end_time,
        "duration": duration,
        "scanner": scanner_json(report),
    }


def summary_json(report: ScanReport) -> dict[str, Any]:
    """Harbor's NativeReportSummary."""
    body = _timing(report)
    body["complete_percent"] = 100 if report.status in ScanReport.FINISHED else 0
    if report.status == ScanReport.SUCCESS:
        counts = {
            "Critical": report.critical,
            "High": report.high,
            "Medium": report.medium,
            "Low": report.low,
            "Unknown": report.unknown,
        }
        body["severity"] = report.severity
        body["summary"] = {
            "total": report.total,
            "fixable": report.fixable,
            "summary": {name: count for name, count in counts.items() if count},
        }
    return body


def sbom_json(report: ScanReport) -> dict[str, Any]:
    body = _timing(report)
    body["sbom_digest"] = (
        (report.report or {}).get("sbom_digest", "") if report.status == ScanReport.SUCCESS else ""
    )
    return body


def _merged_status(reports: list[ScanReport]) -> str:
    statuses = {r.status for r in reports}
    for status in (ScanReport.RUNNING, ScanReport.PENDING, ScanReport.ERROR, ScanReport.STOPPED):
        if status in statuses:
            return status
    return ScanReport.SUCCESS


def merged_summary_json(reports: list[ScanReport]) -> dict[str, Any]:
    """An index's summary from its images' reports: the worst status, the highest severity,
    the counts added up, from the first start to the last end."""
    starts = [r.start_time for r in reports if r.start_time]
    ends = [r.end_time for r in reports if r.end_time]
    start, end = (min(starts) if starts else None), (max(ends) if len(ends) == len(reports) else None)
    status = _merged_status(reports)
    body = {
        "report_id": reports[0].uuid,
        "scan_status": status,
        "start_time": start,
        "end_time": end,
        "duration": int((end - start).total_seconds()) if start and end else 0,
        "complete_percent": 100 * sum(r.status in ScanReport.FINISHED for r in reports) // len(reports),
        "scanner": scanner_json(reports[0]),
    }
    if status == ScanReport.SUCCESS:
        parts = [summary_json(r) for r in reports]
        counts: dict[str, int] = {}
        for part in parts:
            for name, count in part["summary"]["summary"].items():
                counts[name] = counts.get(name, 0) + count
        body["severity"] = max((r.severity for r in reports), key=rank)
        body["summary"] = {
            "total": sum(r.total for r in reports),
            "fixable": sum(r.fixable for r in reports),
            "summary": counts,
        }
    return body


def overviews(reports: list[ScanReport]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(scan_overview, sbom_overview) of one artifact's reports (an index's: its images', merged);
    None where it has none. An index has no SBOM of its own: its images each have one."""
    by_type: dict[str, list[ScanReport]] = {}
    for report in reports:
        by_type.setdefault(report.mime_type, []).append(report)
    scan = {
        mime: summary_json(group[0]) if len(group) == 1 else merged_summary_json(group)
        for mime, group in by_type.items()
        if mime in VULN_REPORT_TYPES
    }
    sboms = by_type.get(SBOM_REPORT, [])
    return scan or None, sbom_json(sboms[0]) if len(sboms) == 1 else None


def primary_summary(scan_overview: dict[str, Any] | None) -> dict[str, Any] | None:
    """The one summary a page shows of a `scan_overview` (its first report type's)."""
    return next(iter((scan_overview or {}).values()), None)


def vulnerability_addition(artifact: Artifact) -> dict[str, Any]:
    """`.../additions/vulnerabilities`: the full reports keyed by MIME type; `{}` unscanned."""
    reports = reports_of([artifact])[artifact.pk]
    return {
        r.mime_type: r.report
        for r in reports
        if r.digest == artifact.digest  # an index's images have their own
        and r.mime_type in VULN_REPORT_TYPES
        and r.status == ScanReport.SUCCESS
        and r.report is not None
    }
