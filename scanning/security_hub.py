"""The Security Hub: vulnerability counts over every scanned artifact, the most dangerous CVEs
and artifacts (`/security/summary`), and a searchable list of vulnerability rows
(`/security/vul`). As Harbor, it reads the default scanner's successful reports.

Counts come from the report rows' summary columns (one aggregate query); the lists read the
reports' JSON, since there is no table of individual vulnerabilities: a deliberate trade for
now, fine for thousands of reports, not for millions (see docs/scanning.md).
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from django.db.models import Q

from registry.models import Artifact, Tag
from registry.oci import mediatypes as mt

from .adapter import VULN_REPORT_TYPES
from .registrations import default_scanner
from .scan_models import ScanReport
from .vulndb.severity import rank

TOP = 5


def _reports() -> Any:
    registration = default_scanner()
    return ScanReport.objects.filter(
        registration=registration, mime_type__in=VULN_REPORT_TYPES, status=ScanReport.SUCCESS
    )


def summary(with_cves: bool, with_artifacts: bool) -> dict[str, Any]:
    reports = {r.digest: r for r in _reports()}
    artifacts = list(
        Artifact.objects.filter(digest__in=list(reports)).select_related("repository").order_by("id")
    )
    totals = {"critical": 0, "high": 0, "medium": 0, "low": 0, "unknown": 0, "total": 0, "fixable": 0}
    for artifact in artifacts:
        report = reports[artifact.digest]
        for key in totals:
            totals[key] += getattr(report, key)
    body: dict[str, Any] = {
        "critical_cnt": totals["critical"],
        "high_cnt": totals["high"],
        "medium_cnt": totals["medium"],
        "low_cnt": totals["low"],
        "unknown_cnt": totals["unknown"],
        "none_cnt": sum(1 for a in artifacts if reports[a.digest].total == 0),
        "total_vuls": totals["total"],
        "fixable_cnt": totals["fixable"],
        "scanned_cnt": len(artifacts),
        "total_artifact": Artifact.objects.filter(
            media_type__in=mt.IMAGE_MANIFESTS, subject_digest=""
        ).count(),
    }
    if with_cves:
        body["dangerous_cves"] = _dangerous_cves(reports.values())
    if with_artifacts:
        ranked = sorted(
            artifacts,
            key=lambda a: (
                -reports[a.digest].critical,
                -reports[a.digest].high,
                -reports[a.digest].medium,
                a.pk,
            ),
        )
        body["dangerous_artifacts"] = [
            {
                "project_id": a.repository.project_id,
                "repository_name": a.repository.name,
                "digest": a.digest,
                "critical_cnt": reports[a.digest].critical,
                "high_cnt": reports[a.digest].high,
                "medium_cnt": reports[a.digest].medium,
            }
            for a in ranked[:TOP]
            if reports[a.digest].critical or reports[a.digest].high or reports[a.digest].medium
        ]
    return body


def score(item: dict[str, Any]) -> float:
    cvss = item.get("preferred_cvss") or {}
    score = cvss.get("score_v3") if isinstance(cvss, dict) else None
    return float(score) if isinstance(score, int | float) else 0.0


def _dangerous_cves(reports: Any) -> list[dict[str, Any]]:
    seen: dict[str, dict[str, Any]] = {}
    for report in reports:
        for item in (report.report or {}).get("vulnerabilities") or []:
            if isinstance(item, dict) and item.get("id") and item["id"] not in seen:
                seen[item["id"]] = item
    ranked = sorted(seen.values(), key=lambda v: (-rank(str(v.get("severity"))), -score(v), str(v["id"])))
    return [
        {
            "cve_id": v["id"],
            "severity": v.get("severity", "Unknown"),
            "cvss_score_v3": score(v),
            "desc": v.get("description", ""),
            "package": v.get("package", ""),
            "version": v.get("version", ""),
        }
        for v in ranked[:TOP]
        if rank(str(v.get("severity"))) >= rank("High")
    ]


@dataclass(frozen=True)
class VulnRow:
    artifact: Artifact
    item: dict[str, Any]

    def json(self, tags: list[str] | None) -> dict[str, Any]:
        item = self.item
        body = {
            "project_id": self.artifact.repository.project_id,
            "repository_name": self.artifact.repository.name,
            "digest": self.artifact.digest,
            "cve_id": item.get("id", ""),
            "severity": item.get("severity", "Unknown"),
            "cvss_v3_score": score(item),
            "package": item.get("package", ""),
            "version": item.get("version", ""),
            "fixed_version": item.get("fix_version", ""),
            "desc": item.get("description", ""),
            "links": item.get("links") or [],
        }
        if tags is not None:
            body["tags"] = tags
        return body


def vulnerability_rows(artifact_filter: Q) -> Iterator[VulnRow]:
    reports = {r.digest: r for r in _reports()}
    artifacts = Artifact.objects.filter(artifact_filter, digest__in=list(reports)).select_related(
        "repository"
    )
    for artifact in artifacts.order_by("id"):
        for item in (reports[artifact.digest].report or {}).get("vulnerabilities") or []:
            if isinstance(item, dict):
                yield VulnRow(artifact, item)


def tags_of(artifact_ids: set[int]) -> dict[int, list[str]]:
    found: dict[int, list[str]] = {}
    for artifact_id, name in Tag.objects.filter(artifact_id__in=artifact_ids).values_list(
        "artifact_id", "name"
    ):
        found.setdefault(artifact_id, []).append(name)
    return found
