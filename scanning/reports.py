"""Harbor's vulnerability report (MIME `...vulnerability.report; version=1.1`, harbor.md §4.3)
and its summary, whoever produced the report: the built-in scanner writes it from findings, a
remote adapter sends it, and both are summarised by the same code."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

from scanning.vulndb.match import Finding
from scanning.vulndb.severity import rank

# Harbor's overview keys, highest first (its summary map uses these spellings).
SEVERITIES = ("Critical", "High", "Medium", "Low", "Unknown")
_SUMMARY_KEY = {"Critical": "Critical", "High": "High", "Medium": "Medium", "Low": "Low"}


def vulnerability_json(finding: Finding) -> dict[str, Any]:
    cvss: dict[str, Any] = {}
    if finding.cvss_vector:
        version = "v2" if not finding.cvss_vector.startswith("CVSS:") else "v3"
        cvss = {f"vector_{version}": finding.cvss_vector, f"score_{version}": finding.cvss_score}
    package = finding.package
    return {
        "id": finding.id,
        "package": package.name,
        "version": finding.installed_version,
        "fix_version": finding.fix_versions[0] if finding.fix_versions else "",
        "severity": finding.severity if finding.severity != "None" else "Unknown",
        "description": finding.summary,
        "links": list(finding.links),
        "preferred_cvss": cvss,
        "cwe_ids": [],
        "vendor_attributes": {
            "advisory_ids": list(finding.advisory_ids),
            "cve_ids": list(finding.cve_ids),
            "fix_versions": list(finding.fix_versions),
            "package_type": package.type,
            "purl": package.purl,
            "path": package.path,
        },
    }


def overall_severity(vulnerabilities: list[dict[str, Any]]) -> str:
    """The highest severity of the list; `None` when it is empty, as Harbor reports a clean image."""
    if not vulnerabilities:
        return "None"
    return max((str(v.get("severity", "Unknown")) for v in vulnerabilities), key=rank)


def vulnerability_report(
    findings: list[Finding], artifact: dict[str, str], scanner: dict[str, str]
) -> dict[str, Any]:
    vulnerabilities = [vulnerability_json(f) for f in findings]
    return {
        "generated_at": datetime.now(UTC).isoformat().replace("+00:00", "Z"),
        "artifact": artifact,
        "scanner": scanner,
        "severity": overall_severity(vulnerabilities),
        "vulnerabilities": vulnerabilities,
    }


@dataclass
class Summary:
    severity: str = "None"
    total: int = 0
    fixable: int = 0
    counts: dict[str, int] = field(default_factory=lambda: dict.fromkeys(SEVERITIES, 0))


def summarize(report: Any) -> Summary:
    """Counts of a report of either vulnerability MIME type; a report that is not an object or
    holds no list counts as clean, and the caller's validation reports that."""
    vulnerabilities = report.get("vulnerabilities") if isinstance(report, dict) else None
    items = [v for v in vulnerabilities or [] if isinstance(v, dict)]
    summary = Summary(severity=overall_severity(items), total=len(items))
    for item in items:
        severity = str(item.get("severity", "Unknown"))
        summary.counts[_SUMMARY_KEY.get(severity, "Unknown")] += 1
        summary.fixable += bool(item.get("fix_version"))
    return summary


def check_vulnerability_report(report: Any) -> None:
    """A remote adapter's report must at least be an object with a list of objects."""
    if not isinstance(report, dict):
        raise ValueError("the report is not a JSON object")
    vulnerabilities = report.get("vulnerabilities", [])
    if vulnerabilities is None:
        return
    if not isinstance(vulnerabilities, list) or not all(isinstance(v, dict) for v in vulnerabilities):
        raise ValueError("the report's vulnerabilities are not a list of objects")
