"""OSV ratings to Harbor's severities: which rating wins, and the CVSS ranges."""

from __future__ import annotations

import pytest

from scanning.vulndb.severity import rate

CRITICAL_V3 = "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:H/A:H"  # 9.8


@pytest.mark.parametrize(
    ("record", "severity", "score"),
    [
        ({"id": "GHSA-x", "severity": [{"type": "CVSS_V3", "score": CRITICAL_V3}]}, "Critical", 9.8),
        ({"id": "X", "severity": [{"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:P/I:P/A:P"}]}, "High", 7.5),
        (
            {
                "id": "X",
                "severity": [
                    {"type": "CVSS_V2", "score": "AV:N/AC:L/Au:N/C:P/I:P/A:P"},
                    {"type": "CVSS_V3", "score": "CVSS:3.1/AV:L/AC:H/PR:H/UI:R/S:U/C:L/I:N/A:N"},
                ],
            },
            "Low",  # the newer version wins: v3.1 base 1.8 (exploitability 0.33 + impact 1.41, rounded up)
            1.8,
        ),
        (
            {
                "id": "X",
                "severity": [
                    {
                        "type": "CVSS_V4",
                        "score": "CVSS:4.0/AV:N/AC:L/AT:N/PR:N/UI:N/VC:H/VI:H/VA:H/SC:N/SI:N/SA:N",
                    }
                ],
            },
            "Critical",
            9.3,
        ),
        (
            {"id": "X", "severity": [{"type": "CVSS_V3", "score": "CVSS:3.1/AV:X"}]},
            "Unknown",
            None,
        ),  # bad vector
        ({"id": "GHSA-x", "database_specific": {"severity": "MODERATE"}}, "Medium", None),
        (
            {
                "id": "UBUNTU-CVE-1",
                "severity": [{"type": "CVSS_V3", "score": CRITICAL_V3}, {"type": "Ubuntu", "score": "low"}],
            },
            "Low",  # Ubuntu's priority over the CVSS vector
            9.8,
        ),
        (
            {"id": "UBUNTU-CVE-2", "severity": [{"type": "Ubuntu", "score": "negligible"}]},
            "Negligible",
            None,
        ),
        (
            {
                "id": "RHSA-2024:1234",
                "summary": "Moderate: openssl security update",
                "severity": [{"type": "CVSS_V3", "score": CRITICAL_V3}],
            },
            "Medium",  # the erratum's impact over the vector
            9.8,
        ),
        ({"id": "RLSA-2024:1", "summary": "Critical: kernel update"}, "Critical", None),
        ({"id": "GHSA-y", "summary": "Important: not an erratum"}, "Unknown", None),
        ({"id": "GO-2023-2102"}, "Unknown", None),
    ],
)
def test_rating(record, severity, score):
    rating = rate(record)
    assert (rating.severity, rating.cvss_score) == (severity, score)
