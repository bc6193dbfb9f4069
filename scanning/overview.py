"""What artifact responses say about scans: `scan_overview` (Harbor's NativeReportSummary per
report MIME type), `sbom_overview`, and the `vulnerabilities` addition.

An artifact's reports are those of its project's scanner, as in Harbor: switching a project to
another scanner shows that scanner's reports (none until it has scanned). A page of artifacts
costs three queries whatever its size: the projects' chosen scanners, the default, the reports.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from registry.models import Artifact

from . import builtin
from .adapter import SBOM_REPORT, VULN_REPORT_TYPES
from .registrations import default_scanner
from .scan_models import ProjectScanner, ScannerRegistration, ScanReport


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


def reports_of(artifacts: list[Artifact]) -> dict[int, list[ScanReport]]:
    """Each artifact's reports by its project's scanner (artifacts need `repository` loaded)."""
    if not artifacts:
        return {}
    scanners = scanners_of(a.repository.project_id for a in artifacts)
    wanted = {(a.digest, scanner.pk) for a in artifacts if (scanner := scanners[a.repository.project_id])}
    if not wanted:
        return {a.pk: [] for a in artifacts}
    rows = ScanReport.objects.filter(
        digest__in={digest for digest, _ in wanted}, registration_id__in={pk for _, pk in wanted}
    ).select_related("registration")
    by_key: dict[tuple[str, int], list[ScanReport]] = {}
    for report in rows:
        by_key.setdefault((report.digest, report.registration_id), []).append(report)
    result = {}
    for artifact in artifacts:
        scanner = scanners[artifact.repository.project_id]
        result[artifact.pk] = by_key.get((artifact.digest, scanner.pk), []) if scanner else []
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


def overviews(reports: list[ScanReport]) -> tuple[dict[str, Any] | None, dict[str, Any] | None]:
    """(scan_overview, sbom_overview) of one artifact's reports; None where it has none."""
    scan = {r.mime_type: summary_json(r) for r in reports if r.mime_type in VULN_REPORT_TYPES}
    sbom = next((sbom_json(r) for r in reports if r.mime_type == SBOM_REPORT), None)
    return scan or None, sbom


def vulnerability_addition(artifact: Artifact) -> dict[str, Any]:
    """`.../additions/vulnerabilities`: the full reports keyed by MIME type; `{}` unscanned."""
    reports = reports_of([artifact])[artifact.pk]
    return {
        r.mime_type: r.report
        for r in reports
        if r.mime_type in VULN_REPORT_TYPES and r.status == ScanReport.SUCCESS and r.report is not None
    }
