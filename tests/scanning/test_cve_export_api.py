"""`/export/cve`: exporting scanned vulnerabilities as CSV, through HTTP (the test plays the
worker: `run_export`, what the Celery task runs)."""

from __future__ import annotations

import csv
import io

from projects.models import Project, ProjectMember
from projects.rbac import Role
from scanning import jobs
from scanning.adapter import VULNERABILITY_REPORT
from scanning.cve_export import COLUMNS, run_export
from scanning.scan_models import CVEExport, ScanReport

from .images import push_debian_image

API = "/api/v2.0"
HEADER = {"HTTP_X_SCAN_DATA_TYPE": VULNERABILITY_REPORT}


def scanned(client, name: str) -> str:
    digest = push_debian_image(client, name, "v1")
    project, _, repository = name.partition("/")
    url = f"{API}/projects/{project}/repositories/{repository}/artifacts/v1/scan"
    assert client.post(url, {}, content_type="application/json").status_code == 202
    for report in ScanReport.objects.filter(status=ScanReport.PENDING):
        assert jobs.execute(report.pk) == "Success"
    return digest


def export(client, body: dict, on_commit) -> int:
    response = on_commit(client.post, f"{API}/export/cve", body, content_type="application/json", **HEADER)
    assert response.status_code == 200, response.content
    return response.json()["id"]


def rows(client, execution_id: int) -> list[list[str]]:
    response = client.get(f"{API}/export/cve/download/{execution_id}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    return list(csv.reader(io.StringIO(response.content.decode())))


def test_export_follow_and_download(admin_client, vulndb, on_commit, settings):
    settings.CELERY_TASK_ALWAYS_EAGER = True  # the queued task runs at commit, as a worker would
    digest = scanned(admin_client, "library/app")
    library = Project.objects.get(name="library")
    execution = export(admin_client, {"job_name": "weekly", "projects": [library.pk]}, on_commit)
    state = admin_client.get(f"{API}/export/cve/execution/{execution}").json()
    assert (state["status"], state["file_present"], state["job_name"]) == ("Success", True, "weekly")
    table = rows(admin_client, execution)
    assert table[0] == COLUMNS
    assert sorted((r[0], r[1], r[2], r[5]) for r in table[1:]) == [
        ("library/app", digest, "CVE-2023-5363", "3.0.11-1~deb12u2"),
        ("library/app", digest, "CVE-2023-5678", "3.0.13-1~deb12u1"),
    ]
    listed = admin_client.get(f"{API}/export/cve/executions").json()["items"]
    assert [item["id"] for item in listed] == [execution]


def test_filters_by_cve_and_repository(admin_client, vulndb, on_commit):
    scanned(admin_client, "library/app")
    scanned(admin_client, "library/other")
    library = Project.objects.get(name="library")
    only = export(admin_client, {"projects": [library.pk], "cveIds": "CVE-2023-5678"}, on_commit)
    assert run_export(only) == "Success"
    assert {(r[0], r[2]) for r in rows(admin_client, only)[1:]} == {
        ("library/app", "CVE-2023-5678"),
        ("library/other", "CVE-2023-5678"),
    }
    one_repository = export(admin_client, {"projects": [library.pk], "repositories": "{app}"}, on_commit)
    assert run_export(one_repository) == "Success"
    assert {r[0] for r in rows(admin_client, one_repository)[1:]} == {"library/app"}


def test_refusals(admin_client, user_client, django_user_model, vulndb, on_commit):
    library = Project.objects.get(name="library")
    secret = Project.objects.create(name="secret")
    guest = user_client("guest")
    ProjectMember.objects.create(
        project=secret, user=django_user_model.objects.get(username="guest"), role=Role.GUEST
    )
    body = {"projects": [secret.pk]}
    assert guest.post(f"{API}/export/cve", body, content_type="application/json", **HEADER).status_code == 403
    bad_type = admin_client.post(
        f"{API}/export/cve", body, content_type="application/json", HTTP_X_SCAN_DATA_TYPE="text/plain"
    )
    assert bad_type.status_code == 400 and "X-Scan-Data-Type" in bad_type.json()["errors"][0]["message"]
    assert (
        admin_client.post(
            f"{API}/export/cve", {"projects": []}, content_type="application/json", **HEADER
        ).status_code
        == 400
    )
    execution = export(admin_client, {"projects": [library.pk]}, on_commit)
    assert guest.get(f"{API}/export/cve/execution/{execution}").status_code == 404  # not theirs
    assert admin_client.get(f"{API}/export/cve/download/{execution}").status_code == 404  # not run yet
    assert CVEExport.objects.get().status == "Pending"


def test_cells_that_would_be_formulas_are_defused(admin_client, vulndb, on_commit):
    scanned(admin_client, "library/app")
    report = ScanReport.objects.get()
    report.report["vulnerabilities"][0]["description"] = '=HYPERLINK("http://evil.example")'
    report.save()
    library = Project.objects.get(name="library")
    execution = export(admin_client, {"projects": [library.pk]}, on_commit)
    run_export(execution)
    descriptions = [r[8] for r in rows(admin_client, execution)[1:]]
    assert '\'=HYPERLINK("http://evil.example")' in descriptions
