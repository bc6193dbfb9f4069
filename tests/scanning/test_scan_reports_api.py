"""What artifact responses say about scans: scan_overview, sbom_overview, the vulnerabilities
addition, and their cost per page."""

from __future__ import annotations

from projects.models import Project
from scanning import jobs
from scanning.adapter import SBOM_REPORT, VULNERABILITY_REPORT
from scanning.registrations import set_project_scanner
from scanning.scan_models import ScannerRegistration, ScanReport
from tests.api.registry_helpers import queries

from .images import push_debian_image

API = "/api/v2.0"
JSON = "application/json"
ART = f"{API}/projects/library/repositories/app/artifacts"


def scanned(client, tag: str, scan_type: str = "vulnerability", run: bool = True) -> ScanReport:
    assert client.post(f"{ART}/{tag}/scan", {"scan_type": scan_type}, content_type=JSON).status_code == 202
    report = ScanReport.objects.order_by("-id").first()
    if run:
        jobs.execute(report.pk)
        report.refresh_from_db()
    return report


def test_scan_overview_follows_the_scan(admin_client, vulndb):
    push_debian_image(admin_client, "library/app", "v1")
    url = f"{ART}/v1?with_scan_overview=true&with_sbom_overview=true"
    assert "scan_overview" not in admin_client.get(url).json()  # never scanned

    pending = scanned(admin_client, "v1", run=False)
    overview = admin_client.get(url).json()["scan_overview"]
    assert list(overview) == [VULNERABILITY_REPORT]
    assert overview[VULNERABILITY_REPORT]["scan_status"] == "Pending"
    assert "summary" not in overview[VULNERABILITY_REPORT]

    jobs.execute(pending.pk)
    body = admin_client.get(url).json()
    summary = body["scan_overview"][VULNERABILITY_REPORT]
    assert summary["report_id"] == pending.uuid
    assert (summary["scan_status"], summary["severity"], summary["complete_percent"]) == (
        "Success",
        "Low",
        100,
    )
    assert summary["summary"] == {"total": 2, "fixable": 2, "summary": {"Low": 1, "Unknown": 1}}
    assert summary["scanner"] == {"name": "Built-in", "vendor": "Harbor on Django", "version": "1.0"}
    assert "sbom_overview" not in body
    assert "scan_overview" not in admin_client.get(f"{ART}/v1").json()  # only when asked

    sbom = scanned(admin_client, "v1", "sbom")
    overview = admin_client.get(url).json()["sbom_overview"]
    assert (overview["scan_status"], overview["sbom_digest"]) == ("Success", sbom.report["sbom_digest"])
    assert ScanReport.objects.filter(mime_type=SBOM_REPORT).count() == 1


def test_vulnerabilities_addition_is_the_report_by_mime_type(admin_client, vulndb):
    push_debian_image(admin_client, "library/app", "v1")
    addition = f"{ART}/v1/additions/vulnerabilities"
    assert admin_client.get(addition).json() == {}
    report = scanned(admin_client, "v1")
    body = admin_client.get(addition).json()
    assert list(body) == [VULNERABILITY_REPORT]
    assert body[VULNERABILITY_REPORT]["vulnerabilities"] == report.report["vulnerabilities"]
    assert {v["id"] for v in body[VULNERABILITY_REPORT]["vulnerabilities"]} == {
        "CVE-2023-5363",
        "CVE-2023-5678",
    }

    # Another scanner for the project: its reports (none yet) are what the project sees.
    other = ScannerRegistration.objects.create(name="other", url="http://127.0.0.1:9")
    set_project_scanner(Project.objects.get(name="library"), other)
    assert admin_client.get(addition).json() == {}
    assert "scan_overview" not in admin_client.get(f"{ART}/v1?with_scan_overview=true").json()


def test_overviews_cost_the_same_for_1_or_20_artifacts(admin_client, vulndb):
    url = f"{ART}?with_scan_overview=true&with_sbom_overview=true&page_size=50"
    push_debian_image(admin_client, "library/app", "v0")
    scanned(admin_client, "v0")
    queries(admin_client, url)  # the first request also verifies the password
    one = queries(admin_client, url)
    for index in range(1, 20):
        push_debian_image(admin_client, "library/app", f"v{index}", f"3.0.{index}-1")
        scanned(admin_client, f"v{index}")
    queries(admin_client, url)  # the new artifacts' extra_attrs are saved by the first listing
    listed = admin_client.get(url).json()
    assert len(listed) == 20 and all(VULNERABILITY_REPORT in a["scan_overview"] for a in listed)
    assert queries(admin_client, url) == one
