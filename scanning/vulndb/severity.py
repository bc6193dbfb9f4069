"""OSV severities to Harbor's scale.

OSV records rate a vulnerability in several ways: CVSS vectors (`severity[].type` CVSS_V2/V3/V4),
a distribution's own label (`severity[].type == "Ubuntu"`, the impact in the title of a Red Hat,
AlmaLinux or Rocky erratum, Debian's `urgency` and the `severity` of
`ecosystem_specific`/`database_specific`), GitHub's label in `database_specific.severity`.
A distribution's label is preferred over CVSS when both exist, because it reflects how the
package is built and backported there (what Trivy, Harbor's default scanner, reports too);
otherwise the newest CVSS version wins; otherwise GitHub's label.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from cvss import CVSS2, CVSS3, CVSS4
from cvss.exceptions import CVSSError

# Harbor's order (src/pkg/scan/vuln/severity.go); Negligible counts as None when compared.
SEVERITIES = ("Unknown", "None", "Negligible", "Low", "Medium", "High", "Critical")
_RANK = {"Unknown": 0, "None": 0, "Negligible": 1, "Low": 2, "Medium": 3, "High": 4, "Critical": 5}

# Labels seen in real records, lower-cased: GitHub (MODERATE), Ubuntu priorities, Debian
# urgencies (with their "**" uncertainty marks stripped), Red Hat/Alma/Rocky impact words.
_LABELS = {
    "critical": "Critical",
    "important": "High",
    "high": "High",
    "moderate": "Medium",
    "medium": "Medium",
    "low": "Low",
    "negligible": "Negligible",
    "unimportant": "Negligible",
    "none": "None",
}


def rank(severity: str) -> int:
    return _RANK.get(severity, 0)


def from_label(label: Any) -> str:
    """A textual rating to Harbor's scale; anything unknown ("not yet assigned") is Unknown."""
    if not isinstance(label, str):
        return "Unknown"
    return _LABELS.get(label.strip().strip("*").strip().lower(), "Unknown")


def from_score(score: float) -> str:
    """CVSS qualitative ranges (the same for v2 as Harbor and Trivy use, and v3/v4)."""
    if score >= 9.0:
        return "Critical"
    if score >= 7.0:
        return "High"
    if score >= 4.0:
        return "Medium"
    if score > 0.0:
        return "Low"
    return "None"


@dataclass(frozen=True)
class Rating:
    severity: str = "Unknown"
    cvss_vector: str = ""
    cvss_score: float | None = None


_CVSS = {"CVSS_V4": (CVSS4, 3), "CVSS_V3": (CVSS3, 2), "CVSS_V2": (CVSS2, 1)}


def _cvss(entries: list[Any]) -> tuple[str, float] | None:
    """The base score of the newest parseable CVSS vector (a bad vector is ignored)."""
    best: tuple[int, str, float] | None = None
    for entry in entries:
        if not isinstance(entry, dict) or entry.get("type") not in _CVSS:
            continue
        parser, preference = _CVSS[entry["type"]]
        vector = entry.get("score")
        if not isinstance(vector, str) or len(vector) > 300:  # Advisory.cvss_vector's width
            continue
        try:
            parsed = parser(vector)
            score = float(parsed.base_score if parser is CVSS4 else parsed.scores()[0])
        except (CVSSError, ValueError, KeyError, TypeError, IndexError):
            continue
        if best is None or preference > best[0]:
            best = (preference, vector, score)
    return (best[1], best[2]) if best else None


def distribution_label(specific: Any) -> str:
    """A distribution's per-package rating in `ecosystem_specific`/`database_specific`."""
    if not isinstance(specific, dict):
        return ""
    for key in ("severity", "urgency"):
        if key in specific:
            value = from_label(specific[key])
            if value != "Unknown":
                return value
    return ""


# Red Hat's errata and their rebuilds (AlmaLinux, Rocky) state the impact in the title:
# "Important: glibc security update".
_ERRATA = re.compile(r"^(?:RH|AL|RL|RX)[SBE]A-")
_IMPACT = re.compile(r"^\s*(Critical|Important|Moderate|Low)\s*:", re.IGNORECASE)


def _errata_impact(record: dict[str, Any]) -> str:
    osv_id, summary = record.get("id"), record.get("summary")
    if not isinstance(osv_id, str) or not isinstance(summary, str) or not _ERRATA.match(osv_id):
        return ""
    match = _IMPACT.match(summary)
    return from_label(match.group(1)) if match else ""


def rate(record: dict[str, Any]) -> Rating:
    """The advisory-level rating of one OSV record."""
    entries = record.get("severity") if isinstance(record.get("severity"), list) else []
    cvss = _cvss(entries)
    vector, score = cvss if cvss else ("", None)
    for entry in entries:  # a distribution's own label, e.g. {"type": "Ubuntu", "score": "medium"}
        if isinstance(entry, dict) and entry.get("type") not in _CVSS:
            label = from_label(entry.get("score"))
            if label != "Unknown":
                return Rating(label, vector, score)
    label = _errata_impact(record)
    if label:
        return Rating(label, vector, score)
    if score is not None:
        return Rating(from_score(score), vector, score)
    label = distribution_label(record.get("database_specific"))
    return Rating(label or "Unknown", vector, score)
