"""Scanning in the portal: asking for a scan or an SBOM, the vulnerability bar in the artifact
list, the sortable vulnerability table with fix versions, and the SBOM download."""

from __future__ import annotations

import json

from django.test import Client

from projects.models import Project, ProjectMember
from projects.rbac import Role
from scanning import jobs
from scanning.adapter import SBOM_REPORT, VULNERABILITY_REPORT
from scanning.scan_models import ScanReport
from tests.conftest import ADMIN_PASSWORD

from .images import push_debian_image

PAGE = "/projects/library/r/app/-/a/v1/"


def portal(username: str, password: str) -> Client:
    client = Client()
    assert client.post("/login", {"username": username, "password": password}).status_code == 302
    return client


def run_pending(mime: str) -> None:
    """Play the worker: run what the portal queued."""
    for report in ScanReport.objects.filter(mime_type=mime, status=ScanReport.PENDING):
        assert jobs.execute(report.pk) == "Success"


def test_scan_from_the_portal_and_read_the_report(admin_client, vulndb):
    push_debian_image(admin_client, "library/app", "v1")
    admin = portal("admin", ADMIN_PASSWORD)
    assert "Not scanned" in admin.get("/projects/library/r/app/-/artifacts").content.decode()

    response = admin.post(f"{PAGE}scan", {"scan_type": "vulnerability"}, follow=True)
    assert "Scan requested" in response.content.decode()
    run_pending(VULNERABILITY_REPORT)

    listing = admin.get("/projects/library/r/app/-/artifacts").content.decode()
    assert 'class="sev sev-low" title="Low">1<' in listing and 'title="Unknown">1<' in listing
    page = admin.get(PAGE).content.decode()
    assert "CVE-2023-5363" in page and "3.0.11-1~deb12u2" in page and "3.0.13-1~deb12u1" in page
    by_severity = page.index("CVE-2023-5678") < page.index("CVE-2023-5363")  # Low before Unknown
    by_id = admin.get(f"{PAGE}?sort=id").content.decode()
    assert by_severity and by_id.index("CVE-2023-5363") < by_id.index("CVE-2023-5678")


def test_generate_and_download_the_sbom(admin_client, vulndb):
    push_debian_image(admin_client, "library/app", "v1")
    admin = portal("admin", ADMIN_PASSWORD)
    assert admin.get(f"{PAGE}sbom").status_code == 404  # none yet
    admin.post(f"{PAGE}scan", {"scan_type": "sbom"})
    run_pending(SBOM_REPORT)
    assert "Download SBOM" in admin.get(PAGE).content.decode()
    download = admin.get(f"{PAGE}sbom")
    assert download.status_code == 200 and "attachment" in download["Content-Disposition"]
    document = json.loads(b"".join(download.streaming_content))
    assert document["spdxVersion"] == "SPDX-2.3"
    assert any(package["name"] == "libssl3" for package in document["packages"])


def test_guests_see_reports_but_cannot_scan(admin_client, vulndb, django_user_model):
    push_debian_image(admin_client, "library/app", "v1")
    django_user_model.objects.create_user("guest", password="Password1")
    library = Project.objects.get(name="library")
    ProjectMember.objects.create(
        project=library, user=django_user_model.objects.get(username="guest"), role=Role.GUEST
    )
    guest = portal("guest", "Password1")
    page = guest.get(PAGE).content.decode()
    assert ">Scan<" not in page and "Generate SBOM" not in page
    assert guest.post(f"{PAGE}scan", {"scan_type": "vulnerability"}).status_code == 403
    assert not ScanReport.objects.exists()
