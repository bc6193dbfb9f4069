"""The database's status through the command, the API and the admin; the scheduled refresh."""

from __future__ import annotations

import json
from io import StringIO

import pytest
from django.conf import settings
from django.core.management import CommandError, call_command
from django.test import Client

from accounts.models import User
from harbor_site.celery import app
from scanning.models import Advisory, AffectedPackage, VulnSource
from scanning.tasks import refresh_vulndb
from scanning.vulndb.sources import configured
from tests.api.conftest import user_client  # noqa: F401  (fixture)

from .conftest import FIXTURE_RECORDS, FIXTURES, make_zip, write_record

pytestmark = pytest.mark.django_db


def run(*args: str) -> tuple[str, str]:
    out, err = StringIO(), StringIO()
    call_command("vulndb", *args, stdout=out, stderr=err)
    return out.getvalue(), err.getvalue()


def test_command_imports_a_file_and_reports_status(tmp_path):
    (tmp_path / "Mixed").mkdir()
    archive = make_zip(FIXTURES, tmp_path / "Mixed" / "all.zip")
    out, _ = run("import", str(archive))  # named after its last two path components
    count = len(FIXTURE_RECORDS)
    assert out.strip() == f"Mixed/all.zip: {count} records, {count} written, 0 unchanged, 0 skipped"
    out, _ = run("import", "--source", "Mixed/all.zip")  # again, by the name it was given
    assert f"0 written, {len(FIXTURE_RECORDS)} unchanged" in out
    out, _ = run("status")
    assert out.splitlines()[0].startswith(
        f"{Advisory.objects.count()} advisories, {AffectedPackage.objects.count()}"
    )
    assert f"  Mixed/all.zip: {count} advisories, imported 20" in out
    data = json.loads(run("status", "--json")[0])
    assert data["advisory_count"] == len(FIXTURE_RECORDS)
    [source] = data["sources"]
    assert source["location"] == str(archive) and source["last_error"] == ""


def test_command_lists_skipped_records(tmp_path):
    (tmp_path / "bad.json").write_text("{")
    write_record(tmp_path, json.loads((FIXTURES / "npm" / "GHSA-35jh-r3h4-6jhm.json").read_text()))
    out, err = run("import", "--source", "mine", str(tmp_path))
    assert "mine: 1 records, 1 written, 0 unchanged, 1 skipped" in out
    assert "skipped " in err and "bad.json" in err
    assert "1 records skipped" in run("status")[0]


def test_command_fails_on_a_missing_file(tmp_path):
    with pytest.raises(CommandError, match="does not exist"):
        run("import", str(tmp_path / "missing.zip"))
    assert "last error: " in run("status")[0]


def test_configured_sources_and_scheduled_refresh(settings, tmp_path):
    settings.VULNDB_SOURCES = [f"local-osv={FIXTURES}", f"gone={tmp_path / 'gone.zip'}"]
    summary = refresh_vulndb.apply().get()  # as the worker runs it
    assert summary["local-osv"] == f"{len(FIXTURE_RECORDS)} written"
    assert "does not exist" in summary["SourceError"]
    assert set(VulnSource.objects.values_list("name", flat=True)) == {"local-osv", "gone"}
    with pytest.raises(CommandError, match="1 of 2 sources failed"):
        run("import")
    assert VulnSource.objects.get(name="local-osv").last_error == ""


def test_ecosystem_names_become_osv_urls(settings):
    settings.VULNDB_SOURCES = ["Rocky Linux", "PyPI", "mirror=https://mirror.example/osv/Go/all.zip", ""]
    assert [(c.name, c.location, c.ecosystem) for c in configured()] == [
        (
            "Rocky Linux",
            "https://osv-vulnerabilities.storage.googleapis.com/Rocky%20Linux/all.zip",
            "Rocky Linux",
        ),
        ("PyPI", "https://osv-vulnerabilities.storage.googleapis.com/PyPI/all.zip", "PyPI"),
        ("mirror", "https://mirror.example/osv/Go/all.zip", ""),
    ]


def test_refresh_is_on_the_beat_schedule():
    entry = settings.CELERY_BEAT_SCHEDULE["refresh-vulnerability-database"]
    assert entry["task"] == "scanning.refresh_vulndb"
    assert entry["schedule"] == settings.VULNDB_REFRESH_HOURS * 3600 == 24 * 3600
    app.loader.import_default_modules()
    assert "scanning.refresh_vulndb" in app.tasks


def test_status_api_for_authenticated_users(vulndb, user_client):  # noqa: F811
    alice = user_client("alice")
    response = alice.get("/api/v2.0/vulndb/status")
    assert response.status_code == 200
    body = response.json()
    assert body["advisory_count"] == len(FIXTURE_RECORDS)
    assert body["affected_package_count"] == AffectedPackage.objects.count()
    assert body["updated_at"] is not None
    assert body["newest_advisory_modified_at"].startswith("2025-01-09")
    assert body["sources"] == [
        {
            "name": "fixtures",
            "location": str(FIXTURES),
            "ecosystem": "",
            "advisory_count": len(FIXTURE_RECORDS),
            "last_import_at": body["updated_at"],
            "last_attempt_at": body["updated_at"],
            "last_error": "",
            "skipped_count": 0,
            "warnings": [],
        }
    ]


def test_status_api_refuses_anonymous(vulndb):
    response = Client().get("/api/v2.0/vulndb/status")
    assert response.status_code == 401
    assert response.json()["errors"][0]["code"] == "UNAUTHORIZED"


def test_status_api_on_an_empty_database(user_client, django_assert_max_num_queries):  # noqa: F811
    alice = user_client("alice")
    with django_assert_max_num_queries(8):  # four to authenticate, then the four status queries
        body = alice.get("/api/v2.0/vulndb/status").json()
    assert body == {
        "advisory_count": 0,
        "affected_package_count": 0,
        "updated_at": None,
        "newest_advisory_modified_at": None,
        "sources": [],
    }


def test_admin_is_read_only_and_finds_advisories_by_cve(vulndb, admin_user):
    client = Client()
    client.force_login(User.objects.get(username=admin_user.username))
    page = client.get("/admin/scanning/advisory/", {"q": "CVE-2021-44228"})
    assert page.status_code == 200
    assert b"GHSA-jfh8-c2jp-5v3q" in page.content and b"GHSA-7rjr-3q55-vv33" not in page.content
    detail = client.get("/admin/scanning/advisory/GHSA-jfh8-c2jp-5v3q/change/")
    assert detail.status_code == 200 and b"org.apache.logging.log4j:log4j-core" in detail.content
    assert client.get("/admin/scanning/advisory/add/").status_code == 403
    assert client.get("/admin/scanning/vulnsource/").status_code == 200
    assert client.get("/admin/scanning/vulnsource/add/").status_code == 403
