"""Scan jobs through HTTP: asking, running (the test plays the worker: `jobs.execute`, what the
Celery task runs), stopping, logs, remote adapters with their robot, SBOM accessories, scan on
push and scan-all."""

from __future__ import annotations

import json

import pytest
from django_celery_beat.models import PeriodicTask

from projects.models import Project, ProjectMember, Robot
from projects.rbac import Role
from registry.models import Artifact
from scanning import jobs, scan_all
from scanning.adapter import SBOM_REPORT, VULNERABILITY_REPORT
from scanning.scan_models import ScannerRegistration, ScanReport
from tests.api.registry_helpers import push_index, push_referrer
from tests.scanner_adapter import API_KEY, running_adapter

from .images import FIXED_OPENSSL, push_debian_image

API = "/api/v2.0"
JSON = "application/json"
ART = f"{API}/projects/library/repositories/app/artifacts"


def scan(client, reference: str, scan_type: str | None = None):
    body = {"scan_type": scan_type} if scan_type else {}
    return client.post(f"{ART}/{reference}/scan", body, content_type=JSON)


def only_report(mime: str = VULNERABILITY_REPORT) -> ScanReport:
    return ScanReport.objects.get(mime_type=mime)


def test_builtin_scan_reports_the_expected_cves_with_fix_versions(admin_client, vulndb):
    digest = push_debian_image(admin_client, "library/app", "v1")
    assert scan(admin_client, "v1").status_code == 202
    report = only_report()
    assert (report.status, report.digest, report.registration.builtin) == ("Pending", digest, True)

    assert jobs.execute(report.pk) == "Success"
    report.refresh_from_db()
    found = {
        v["id"]: (v["package"], v["version"], v["fix_version"], v["severity"])
        for v in report.report["vulnerabilities"]
    }
    assert found == {
        "CVE-2023-5363": ("libssl3", "3.0.11-1~deb12u1", "3.0.11-1~deb12u2", "Unknown"),
        "CVE-2023-5678": ("libssl3", "3.0.11-1~deb12u1", "3.0.13-1~deb12u1", "Low"),
    }
    assert (report.total, report.fixable, report.low, report.unknown, report.severity) == (2, 2, 1, 1, "Low")
    assert report.start_time <= report.end_time
    log = admin_client.get(f"{ART}/v1/scan/{report.uuid}/log")
    assert log.status_code == 200 and log["Content-Type"].startswith("text/plain")
    assert "2 vulnerabilities found" in log.content.decode()
    assert admin_client.get(f"{ART}/v1/scan/nope/log").status_code == 404
    assert jobs.execute(report.pk) == "not pending"  # a message delivered twice runs once


def test_a_fixed_version_is_not_reported(admin_client, vulndb):
    push_debian_image(admin_client, "library/app", "v1", FIXED_OPENSSL)
    scan(admin_client, "v1")
    jobs.execute(only_report().pk)
    report = only_report()
    assert (report.status, report.report["vulnerabilities"], report.severity) == ("Success", [], "None")


def test_non_scannable_artifacts_are_422(admin_client):
    subject = push_debian_image(admin_client, "library/app", "v1")
    referrer = push_referrer(admin_client, "library/app", subject, "application/vnd.example.thing")
    response = scan(admin_client, referrer)
    assert response.status_code == 422 and "cannot be scanned" in response.json()["errors"][0]["message"]
    assert scan(admin_client, "missing").status_code == 404
    assert admin_client.post(f"{ART}/v1/scan", {"scan_type": "virus"}, content_type=JSON).status_code == 400


def test_an_index_is_scanned_through_its_images(admin_client, vulndb):
    _, children = push_index(admin_client, "library/app", "multi", ["amd64", "arm64"])
    assert scan(admin_client, "multi").status_code == 202
    assert sorted(ScanReport.objects.values_list("digest", flat=True)) == sorted(children)
    assert scan(admin_client, "multi").status_code == 409  # both already pending
    url = f"{ART}/multi?with_scan_overview=true"
    pending = admin_client.get(url).json()["scan_overview"][VULNERABILITY_REPORT]
    assert (pending["scan_status"], pending["complete_percent"]) == ("Pending", 0)
    first, second = ScanReport.objects.order_by("id")
    jobs.execute(first.pk)
    assert admin_client.get(url).json()["scan_overview"][VULNERABILITY_REPORT]["complete_percent"] == 50
    jobs.execute(second.pk)
    merged = admin_client.get(url).json()["scan_overview"][VULNERABILITY_REPORT]
    assert (merged["scan_status"], merged["severity"], merged["summary"]["total"]) == ("Success", "None", 0)
    log = admin_client.get(f"{ART}/multi/scan/{merged['report_id']}/log")  # the id the overview gives
    assert log.status_code == 200 and "0 vulnerabilities found" in log.content.decode()
    assert admin_client.post(f"{ART}/multi/scan/stop", {}, content_type=JSON).status_code == 400


def test_no_enabled_scanner_is_422(admin_client):
    push_debian_image(admin_client, "library/app", "v1")
    ScannerRegistration.objects.update(disabled=True)
    assert "no scanner" in scan(admin_client, "v1").json()["errors"][0]["message"]


def test_conflict_stop_and_rescan(admin_client, vulndb):
    push_debian_image(admin_client, "library/app", "v1")
    assert scan(admin_client, "v1").status_code == 202
    assert scan(admin_client, "v1").status_code == 409
    assert admin_client.post(f"{ART}/v1/scan/stop", {}, content_type=JSON).status_code == 202
    assert jobs.execute(only_report().pk) == "not pending"
    assert only_report().status == "Stopped"
    assert admin_client.post(f"{ART}/v1/scan/stop", {}, content_type=JSON).status_code == 400
    assert scan(admin_client, "v1").status_code == 202  # a finished scan can be redone
    assert jobs.execute(only_report().pk) == "Success"


def test_scan_permissions(admin_client, user_client, vulndb):
    push_debian_image(admin_client, "library/app", "v1")
    guest, developer = user_client("guest"), user_client("developer")
    library = Project.objects.get(name="library")
    for name, role in (("guest", Role.GUEST), ("developer", Role.DEVELOPER)):
        ProjectMember.objects.create(project=library, user_id=_uid(name), role=role)
    assert scan(guest, "v1").status_code == 403
    assert scan(developer, "v1").status_code == 403  # Harbor: developers read scans, maintainers run them
    ProjectMember.objects.filter(project=library, user_id=_uid("developer")).update(role=Role.MAINTAINER)
    assert scan(developer, "v1").status_code == 202
    assert guest.post(f"{ART}/v1/scan/stop", {}, content_type=JSON).status_code == 403
    report = only_report()
    assert guest.get(f"{ART}/v1/scan/{report.uuid}/log").status_code == 200


def _uid(username: str) -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username).pk


@pytest.fixture
def remote(admin_client):
    """A running adapter registered as library's scanner."""
    with running_adapter() as adapter:
        body = {
            "name": "remote",
            "url": adapter.url,
            "auth": "X-ScannerAdapter-API-Key",
            "access_credential": API_KEY,
        }
        uuid = admin_client.post(f"{API}/scanners", body, content_type=JSON)["Location"].rsplit("/", 1)[1]
        assert (
            admin_client.put(f"{API}/projects/library/scanner", {"uuid": uuid}, content_type=JSON).status_code
            == 200
        )
        yield adapter


def test_remote_adapter_scan_with_a_short_lived_scanner_robot(admin_client, remote, settings):
    settings.EXTERNAL_URL = "https://harbor.example.com"
    digest = push_debian_image(admin_client, "library/app", "v1")
    scan(admin_client, "v1")
    report = only_report()
    assert report.registration.name == "remote"
    assert jobs.execute(report.pk) == "Success"
    report.refresh_from_db()
    assert [v["id"] for v in report.report["vulnerabilities"]] == ["CVE-2023-5363", "CVE-2023-5678"]
    assert (report.severity, report.high, report.medium, report.fixable) == ("High", 1, 1, 1)

    [request] = remote.state.requests
    body = request["body"]
    assert body["artifact"] == {
        "repository": "library/app",
        "digest": digest,
        "tag": "",
        "mime_type": Artifact.objects.get(digest=digest).media_type,
    }
    assert body["registry"]["url"] == "https://harbor.example.com"
    import base64

    login = base64.b64decode(body["registry"]["authorization"].removeprefix("Basic ")).decode()
    assert login.startswith("robot$library+scanner-")
    assert remote.state.polls[request["id"]] == 3  # two 302s, then the report
    assert not Robot.objects.exists()  # the scanner's robot is gone once the scan ends
    assert "submitted to" in admin_client.get(f"{ART}/v1/scan/{report.uuid}/log").content.decode()


def test_an_adapter_producing_only_the_native_report_type_is_asked_for_it(admin_client, remote):
    remote.state.vulnerability_types = (
        "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0",
    )
    push_debian_image(admin_client, "library/app", "v1")
    scan(admin_client, "v1")
    assert jobs.execute(only_report().pk) == "Success"
    assert only_report().total == 2
    assert "asking for that" in only_report().log
    remote.state.vulnerability_types = ("application/vnd.example.other",)
    scan(admin_client, "v1")
    assert jobs.execute(only_report().pk) == "Error"
    assert "501: unsupported report type" in only_report().log


def test_unreachable_adapter_fails_the_scan_with_a_clear_log(admin_client):
    registration = ScannerRegistration.objects.create(name="down", url="http://127.0.0.1:9")
    from scanning.registrations import set_project_scanner

    set_project_scanner(Project.objects.get(name="library"), registration)
    push_debian_image(admin_client, "library/app", "v1")
    scan(admin_client, "v1")
    assert jobs.execute(only_report().pk) == "Error"
    assert "ConnectError" in only_report().log
    assert not Robot.objects.exists()


def test_builtin_sbom_is_stored_as_a_referrer_of_the_image(admin_client, vulndb):
    digest = push_debian_image(admin_client, "library/app", "v1")
    assert scan(admin_client, "v1", "sbom").status_code == 202
    report = only_report(SBOM_REPORT)
    assert jobs.execute(report.pk) == "Success"
    report.refresh_from_db()
    sbom_digest = report.report["sbom_digest"]

    referrers = admin_client.get(f"/v2/library/app/referrers/{digest}").json()["manifests"]
    assert [(m["digest"], m["artifactType"]) for m in referrers] == [
        (sbom_digest, "application/vnd.goharbor.harbor.sbom.v1")
    ]
    manifest = json.loads(admin_client.get(f"/v2/library/app/manifests/{sbom_digest}").content)
    assert manifest["subject"]["digest"] == digest
    assert manifest["annotations"]["org.opencontainers.artifact.description"] == "SPDX JSON SBOM"
    [layer] = manifest["layers"]
    assert layer["mediaType"] == "application/spdx+json"
    document = json.loads(
        b"".join(admin_client.get(f"/v2/library/app/blobs/{layer['digest']}").streaming_content)
    )
    assert document["spdxVersion"] == "SPDX-2.3"
    assert "libssl3" in {p["name"] for p in document["packages"]}
    accessories = admin_client.get(f"{ART}/v1/accessories").json()
    assert [(a["digest"], a["type"]) for a in accessories] == [(sbom_digest, "sbom.harbor")]


def test_remote_sbom(admin_client, remote):
    digest = push_debian_image(admin_client, "library/app", "v1")
    scan(admin_client, "v1", "sbom")
    assert jobs.execute(only_report(SBOM_REPORT).pk) == "Success"
    [request] = remote.state.requests
    assert request["body"]["enabled_capabilities"][0]["type"] == "sbom"
    referrers = admin_client.get(f"/v2/library/app/referrers/{digest}").json()["manifests"]
    assert [m["digest"] for m in referrers] == [only_report(SBOM_REPORT).report["sbom_digest"]]


def test_scan_on_push_when_auto_scan_or_auto_sbom_generation(
    admin_client, vulndb, django_capture_on_commit_callbacks
):
    Project.objects.filter(name="library").update(metadata={"auto_scan": "true"})
    with django_capture_on_commit_callbacks() as delivered:
        push_debian_image(admin_client, "library/app", "v1")
    for deliver in delivered:
        deliver()  # the event bus's delivery, as a commit would run it
    assert only_report().status == "Pending"
    Project.objects.filter(name="library").update(metadata={"auto_sbom_generation": "true"})
    with django_capture_on_commit_callbacks() as delivered:
        push_debian_image(admin_client, "library/app", "v3", "3.0.12-1")
    for deliver in delivered:
        deliver()
    assert ScanReport.objects.get(mime_type=SBOM_REPORT).status == "Pending"
    Project.objects.filter(name="library").update(metadata={})
    with django_capture_on_commit_callbacks() as delivered:
        push_debian_image(admin_client, "library/app", "v2", FIXED_OPENSSL)
    for deliver in delivered:
        deliver()
    assert ScanReport.objects.count() == 2


def test_scan_all_run_metrics_and_stop(admin_client, vulndb):
    push_debian_image(admin_client, "library/app", "v1")
    push_debian_image(admin_client, "library/app", "v2", FIXED_OPENSSL)
    push_index(admin_client, "library/app", "multi", ["arm64"])  # its child: an image without layers
    manual = {"schedule": {"type": "Manual"}}
    assert admin_client.post(f"{API}/system/scanAll/schedule", manual, content_type=JSON).status_code == 201
    run = scan_all.ScanAllRun.objects.get()
    assert scan_all.fan_out(run.pk, "Manual") == 3
    metrics = admin_client.get(f"{API}/scans/all/metrics").json()
    assert metrics == {
        "total": 3,
        "completed": 0,
        "metrics": {"Pending": 3},
        "ongoing": True,
        "trigger": "Manual",
        "requester": "admin",
    }
    assert admin_client.post(f"{API}/system/scanAll/schedule", manual, content_type=JSON).status_code == 409
    for report in ScanReport.objects.all():
        jobs.execute(report.pk)
    metrics = admin_client.get(f"{API}/scans/all/metrics").json()
    assert (metrics["total"], metrics["completed"], metrics["ongoing"], metrics["metrics"]) == (
        3,
        3,
        False,
        {"Success": 3},
    )

    admin_client.post(f"{API}/system/scanAll/schedule", manual, content_type=JSON)
    scan_all.fan_out(scan_all.ScanAllRun.objects.first().pk, "Manual")
    assert admin_client.post(f"{API}/system/scanAll/stop").status_code == 202
    assert admin_client.get(f"{API}/scans/all/metrics").json()["metrics"] == {"Stopped": 3}
    assert admin_client.post(f"{API}/system/scanAll/stop").status_code == 400


def test_scan_all_schedule(admin_client, user_client):
    url = f"{API}/system/scanAll/schedule"
    assert admin_client.get(url).json() == {"schedule": {"type": "None", "cron": ""}}
    assert admin_client.put(url, {"schedule": {"type": "Daily"}}, content_type=JSON).status_code == 200
    assert admin_client.get(url).json()["schedule"] == {"type": "Daily", "cron": "0 0 0 * * *"}
    task = PeriodicTask.objects.get(name="scan-all")
    assert (task.task, task.queue, str(task.crontab.hour), task.enabled) == (
        "scanning.scan_all",
        "scan_all",
        "0",
        True,
    )
    custom = {"schedule": {"type": "Custom", "cron": "0 30 2 * * 1"}}
    assert admin_client.put(url, custom, content_type=JSON).status_code == 200
    task.refresh_from_db()
    assert (task.crontab.minute, task.crontab.hour, task.crontab.day_of_week) == ("30", "2", "1")
    for bad in ("* * * * *", "5 0 0 * * *", "0 99 0 * * *"):
        response = admin_client.put(url, {"schedule": {"type": "Custom", "cron": bad}}, content_type=JSON)
        assert response.status_code == 400, bad
    assert admin_client.put(url, {"schedule": {"type": "None"}}, content_type=JSON).status_code == 200
    assert not PeriodicTask.objects.filter(name="scan-all").exists()
    alice = user_client("alice")
    assert alice.get(url).status_code == 403
    assert alice.get(f"{API}/scans/all/metrics").status_code == 403


def test_reports_go_with_the_last_artifact_of_their_digest(admin_client, vulndb, on_commit):
    digest = push_debian_image(admin_client, "library/app", "v1")
    push_debian_image(admin_client, "library/copy", "v1")  # the same image in another repository
    scan(admin_client, "v1")
    jobs.execute(only_report().pk)
    assert on_commit(admin_client.delete, f"{ART}/{digest}").status_code == 200
    assert ScanReport.objects.filter(digest=digest).exists()  # library/copy still has it
    copy = f"{API}/projects/library/repositories/copy/artifacts/{digest}"
    assert on_commit(admin_client.delete, copy).status_code == 200
    assert not ScanReport.objects.filter(digest=digest).exists()
