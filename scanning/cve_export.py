"""CVE export (`/export/cve`): the vulnerabilities of chosen projects, as a CSV file.

An export runs in the background (a Celery task), as Harbor's does: the request records what
to export, the worker writes the CSV into the export's row, and the requester polls and
downloads it. Rows come from the same reports the Security Hub reads, with Harbor's columns.
"""

from __future__ import annotations

import csv
import io
from typing import Any

from django.db import transaction
from django.db.models import Q
from django.utils import timezone

from projects.principals import Principal

from .adapter import VULN_REPORT_TYPES
from .registrations import default_scanner
from .scan_models import CVEExport
from .security_hub import vulnerability_rows

COLUMNS = [
    "Repository",
    "Artifact Digest",
    "CVE",
    "Package",
    "Current Version",
    "Fixed in version",
    "Severity",
    "CWE Ids",
    "Additional Data",
    "Scanner",
]


class ExportError(Exception):
    """The request cannot be exported as asked (a 400)."""


def parse_list(value: Any) -> list[str]:
    """Harbor's filter strings: `a`, or `{a,b}` for several; empty means no filter."""
    if value in (None, ""):
        return []
    if not isinstance(value, str):
        raise ExportError(f"{value!r} must be a string such as a or {{a,b}}")
    text = value.strip()
    if text.startswith("{") and text.endswith("}"):
        text = text[1:-1]
    return [item.strip() for item in text.split(",") if item.strip()]


def start_export(
    requester: Principal, scan_data_type: str, job_name: str, criteria: dict[str, Any]
) -> CVEExport:
    """Record the export and queue its job once the row is committed."""
    if scan_data_type not in VULN_REPORT_TYPES:
        raise ExportError(f"unsupported X-Scan-Data-Type {scan_data_type!r}; use {VULN_REPORT_TYPES[0]}")
    for key in ("repositories", "tags", "cveIds"):
        parse_list(criteria.get(key))
    export = CVEExport.objects.create(
        user_id=requester.user_id,
        username=requester.username,
        job_name=job_name,
        scan_data_type=scan_data_type,
        criteria=criteria,
    )

    def enqueue() -> None:
        from .tasks import run_cve_export

        run_cve_export.delay(export.pk)

    transaction.on_commit(enqueue)
    return export


def _artifact_filter(criteria: dict[str, Any]) -> Q:
    condition = Q(repository__project_id__in=criteria.get("projects") or [])
    repositories = parse_list(criteria.get("repositories"))
    if repositories:
        names = Q()
        for name in repositories:  # with or without the project part, as Harbor's portal sends it
            names |= Q(repository__name=name) | Q(repository__name__endswith=f"/{name}")
        condition &= names
    tags = parse_list(criteria.get("tags"))
    if tags:
        condition &= Q(tags__name__in=tags)
    labels = criteria.get("labels") or []
    if labels:
        condition &= Q(label_refs__label_id__in=labels)
    return condition


def export_csv(criteria: dict[str, Any]) -> str:
    cves = set(parse_list(criteria.get("cveIds")))
    scanner = default_scanner()
    scanner_name = scanner.name if scanner is not None else ""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(COLUMNS)
    seen: set[tuple[str, str, str, str]] = set()  # an artifact matched by two tags is one artifact
    for row in vulnerability_rows(_artifact_filter(criteria)):
        item = row.item
        key = (
            row.artifact.repository.name,
            row.artifact.digest,
            str(item.get("id")),
            str(item.get("package")),
        )
        if (cves and item.get("id") not in cves) or key in seen:
            continue
        seen.add(key)
        writer.writerow(
            _cell(value)
            for value in [
                row.artifact.repository.name,
                row.artifact.digest,
                item.get("id", ""),
                item.get("package", ""),
                item.get("version", ""),
                item.get("fix_version", ""),
                item.get("severity", ""),
                ",".join(item.get("cwe_ids") or []),
                item.get("description", ""),
                scanner_name,
            ]
        )
    return out.getvalue()


def _cell(value: Any) -> str:
    """A CSV cell that a spreadsheet will not run: advisory text comes from outside, and a
    leading `=`, `+`, `-` or `@` would make it a formula."""
    text = str(value)
    return f"'{text}" if text[:1] in ("=", "+", "-", "@") else text


def run_export(export_id: int) -> str:
    """The job: write the CSV, or record why it could not be written."""
    updated = CVEExport.objects.filter(pk=export_id, status=CVEExport.PENDING).update(
        status=CVEExport.RUNNING
    )
    if not updated:
        return "not pending"
    export = CVEExport.objects.get(pk=export_id)
    try:
        export.csv = export_csv(export.criteria)
        export.status, export.status_text = CVEExport.SUCCESS, ""
    except Exception as exc:  # the requester reads why in the execution's status_text
        export.status, export.status_text = CVEExport.ERROR, str(exc)[:1000]
    export.end_time = timezone.now()
    export.save(update_fields=["csv", "status", "status_text", "end_time"])
    return export.status


def exports_of(requester: Principal) -> Any:
    """The exports a caller may see: their own (a system administrator's too: only their own,
    as in Harbor, where executions belong to the user who asked)."""
    return CVEExport.objects.filter(username=requester.username)
