"""`/security/summary` and `/security/vul` over real scans."""

from __future__ import annotations

from scanning import jobs
from scanning.scan_models import ScanReport
from tests.api.registry_helpers import push_index

from .images import FIXED_OPENSSL, push_debian_image

API = "/api/v2.0"
JSON = "application/json"


def scan(client, repository: str, tag: str) -> None:
    url = f"{API}/projects/library/repositories/{repository}/artifacts/{tag}/scan"
    assert client.post(url, {}, content_type=JSON).status_code == 202
    jobs.execute(ScanReport.objects.order_by("-id").first().pk)


def test_summary_counts_scanned_artifacts(admin_client, user_client, vulndb):
    push_debian_image(admin_client, "library/app", "v1")
    push_debian_image(admin_client, "library/clean", "v1", FIXED_OPENSSL)
    push_index(admin_client, "library/other", "multi", ["amd64"])  # one more image, never scanned
    scan(admin_client, "app", "v1")
    scan(admin_client, "clean", "v1")
    body = admin_client.get(
        f"{API}/security/summary?with_dangerous_cve=true&with_dangerous_artifact=true"
    ).json()
    assert {k: body[k] for k in ("total_vuls", "low_cnt", "unknown_cnt", "critical_cnt", "fixable_cnt")} == {
        "total_vuls": 2,
        "low_cnt": 1,
        "unknown_cnt": 1,
        "critical_cnt": 0,
        "fixable_cnt": 2,
    }
    assert (body["scanned_cnt"], body["total_artifact"], body["none_cnt"]) == (2, 3, 1)
    assert body["dangerous_cves"] == []  # nothing High or Critical
    assert body["dangerous_artifacts"] == []
    assert "dangerous_cves" not in admin_client.get(f"{API}/security/summary").json()
    assert user_client("alice").get(f"{API}/security/summary").status_code == 403


def test_vulnerability_rows_filtered_and_paged(admin_client, vulndb):
    digest = push_debian_image(admin_client, "library/app", "v1")
    push_debian_image(admin_client, "library/clean", "v1", FIXED_OPENSSL)
    scan(admin_client, "app", "v1")
    scan(admin_client, "clean", "v1")
    rows = admin_client.get(f"{API}/security/vul?with_tag=true").json()
    assert sorted((r["cve_id"], r["repository_name"], r["fixed_version"], r["tags"]) for r in rows) == [
        ("CVE-2023-5363", "library/app", "3.0.11-1~deb12u2", ["v1"]),
        ("CVE-2023-5678", "library/app", "3.0.13-1~deb12u1", ["v1"]),
    ]
    assert all(r["digest"] == digest and r["package"] == "libssl3" for r in rows)
    only = admin_client.get(f"{API}/security/vul", {"q": "severity=Low"})
    assert [r["cve_id"] for r in only.json()] == ["CVE-2023-5678"] and only["X-Total-Count"] == "1"
    assert [r["cve_id"] for r in admin_client.get(f"{API}/security/vul", {"q": "cve_id=~5363"}).json()] == [
        "CVE-2023-5363"
    ]
    assert admin_client.get(f"{API}/security/vul", {"q": "repository_name=library/clean"}).json() == []
    assert len(admin_client.get(f"{API}/security/vul", {"page_size": 1}).json()) == 1
    assert admin_client.get(f"{API}/security/vul", {"q": "colour=red"}).status_code == 400
    assert admin_client.get(f"{API}/security/vul", {"q": "cvss_score_v3=7"}).status_code == 400
