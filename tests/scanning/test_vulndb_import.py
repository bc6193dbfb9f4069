"""Importing OSV feeds: directories, zips and URLs; incremental re-import; bad records skipped."""

from __future__ import annotations

import functools
import json
import socket
import threading
import zipfile
from collections.abc import Iterator
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import connection
from django.test.utils import CaptureQueriesContext

from scanning.models import Advisory, AffectedPackage, VulnSource
from scanning.vulndb.importer import import_source, source_for
from scanning.vulndb.sources import SourceError

from .conftest import FIXTURE_RECORDS, FIXTURES, fixture_ids, make_zip, write_record

pytestmark = pytest.mark.django_db


def _writes(queries: list[dict[str, str]]) -> list[str]:
    return [
        q["sql"]
        for q in queries
        if q["sql"].lstrip().upper().startswith(("INSERT", "UPDATE", "DELETE"))
        and ("scanning_advisory" in q["sql"] or "scanning_affectedpackage" in q["sql"])
    ]


def test_directory_import_stores_every_record_with_its_ratings(vulndb):
    assert set(Advisory.objects.values_list("osv_id", flat=True)) == fixture_ids()
    log4shell = Advisory.objects.get(osv_id="GHSA-jfh8-c2jp-5v3q")
    assert log4shell.cve_ids == ["CVE-2021-44228"]
    assert (log4shell.severity, log4shell.cvss_score) == ("Critical", 10.0)
    assert log4shell.cvss_vector.startswith("CVSS:3.1/AV:N")
    assert log4shell.published.year == 2021
    assert log4shell.cwe_ids == ["CWE-20", "CWE-400", "CWE-502", "CWE-917"]
    assert "https://nvd.nist.gov/vuln/detail/CVE-2021-44228" in log4shell.references
    ranges = AffectedPackage.objects.filter(advisory=log4shell).values_list("package_key", "ranges")
    assert {key for key, _ in ranges} == {"org.apache.logging.log4j:log4j-core"}
    assert {"type": "ECOSYSTEM", "events": [{"introduced": "2.13.0"}, {"fixed": "2.15.0"}]} in [
        r for _, rs in ranges for r in rs
    ]
    # A Debian DSA names the CVEs it fixes under `related`; DEBIAN-CVE records under `upstream`.
    assert Advisory.objects.get(osv_id="DSA-5532-1").cve_ids == ["CVE-2023-5363"]
    assert Advisory.objects.get(osv_id="DEBIAN-CVE-2023-5678").cve_ids == ["CVE-2023-5678"]
    # Ubuntu's own priority wins over the CVSS vector it carries too; Alma's "Important" is High.
    assert Advisory.objects.get(osv_id="UBUNTU-CVE-2023-4911").severity == "High"
    assert Advisory.objects.get(osv_id="ALSA-2023:5453").severity == "High"
    # GitHub's 5.9 vector (MODERATE label) is Medium; Go's records carry no rating.
    assert Advisory.objects.get(osv_id="GHSA-v845-jxx5-vc9f").severity == "Medium"
    assert Advisory.objects.get(osv_id="GO-2023-2102").severity == "Unknown"
    # Debian's per-package urgency is kept on the affected row.
    urgency = AffectedPackage.objects.get(advisory_id="DEBIAN-CVE-2023-5678", ecosystem="Debian:12")
    assert urgency.severity == "Low"
    assert AffectedPackage.objects.get(advisory_id="GHSA-h5c8-rqwp-cp95").package_key == "jinja2"
    source = VulnSource.objects.get(name="fixtures")
    assert source.advisory_count == len(FIXTURE_RECORDS)
    assert source.last_import_at is not None and source.last_error == "" and source.warnings == []


def test_zip_import_reads_the_same_records(tmp_path):
    archive = make_zip(FIXTURES, tmp_path / "all.zip")
    result = import_source(source_for("osv-zip", str(archive)))
    assert (result.records, result.written, result.warnings) == (
        len(FIXTURE_RECORDS),
        len(FIXTURE_RECORDS),
        [],
    )
    assert set(Advisory.objects.values_list("osv_id", flat=True)) == fixture_ids()
    assert AffectedPackage.objects.filter(ecosystem="Alpine:v3.19", package_key="openssl").count() == 2


def test_reimport_writes_nothing_unchanged_and_rewrites_a_modified_record(osv_dir, tmp_path):
    source = source_for("local", str(osv_dir))
    import_source(source)
    before = {a.osv_id: a.modified for a in Advisory.objects.all()}

    with CaptureQueriesContext(connection) as queries:
        again = import_source(source)
    assert (again.written, again.unchanged) == (0, len(FIXTURE_RECORDS))
    assert _writes(queries.captured_queries) == []
    assert {a.osv_id: a.modified for a in Advisory.objects.all()} == before

    # The advisory is revised upstream: a later `modified` and a corrected fix version.
    path = osv_dir / "PyPI" / "GHSA-h5c8-rqwp-cp95.json"
    record = json.loads(path.read_text())
    record["modified"] = "2025-01-01T00:00:00Z"
    record["affected"][0]["ranges"][0]["events"][1] = {"fixed": "3.1.4"}
    path.write_text(json.dumps(record))
    with CaptureQueriesContext(connection) as queries:
        revised = import_source(source)
    assert (revised.written, revised.unchanged) == (1, len(FIXTURE_RECORDS) - 1)
    assert _writes(queries.captured_queries)  # the one record, and only it
    row = AffectedPackage.objects.get(advisory_id="GHSA-h5c8-rqwp-cp95")
    assert row.ranges[0]["events"][1] == {"fixed": "3.1.4"}
    assert Advisory.objects.get(osv_id="GHSA-h5c8-rqwp-cp95").modified.year == 2025
    # An older copy of a record (a stale mirror) does not overwrite a newer one.
    record["modified"] = "2020-01-01T00:00:00Z"
    record["affected"][0]["ranges"][0]["events"][1] = {"fixed": "9.9.9"}
    path.write_text(json.dumps(record))
    import_source(source)
    assert AffectedPackage.objects.get(advisory_id="GHSA-h5c8-rqwp-cp95").ranges[0]["events"][1] == {
        "fixed": "3.1.4"
    }


def test_malformed_records_are_skipped_with_warnings(osv_dir):
    (osv_dir / "broken.json").write_text('{"id": "GHSA-xxxx", "modified": ')
    (osv_dir / "list.json").write_text("[1, 2]")
    write_record(osv_dir, {"id": "NO-MODIFIED-1", "affected": []})
    write_record(
        osv_dir,
        {
            "id": "BAD-EVENT-1",
            "modified": "2024-01-01T00:00:00Z",
            "affected": [
                {
                    "package": {"ecosystem": "PyPI", "name": "x"},
                    "ranges": [{"type": "ECOSYSTEM", "events": [{"introduced": "0", "fixed": "1.0"}]}],
                }
            ],
        },
    )
    write_record(osv_dir, {"id": "BAD-TIME-1", "modified": "yesterday"})
    write_record(osv_dir, {"id": "NUL-1", "modified": "2024-01-01T00:00:00Z", "summary": "a\x00b"})
    (osv_dir / "nul-id.json").write_text(json.dumps({"id": "NUL\x00ID", "modified": "2024-01-01T00:00:00Z"}))
    write_record(
        osv_dir,
        {
            "id": "LONG-NAME-1",
            "modified": "2024-01-01T00:00:00Z",
            "affected": [{"package": {"ecosystem": "npm", "name": "x" * 600}}],
        },
    )
    result = import_source(source_for("local", str(osv_dir)))
    assert result.records == len(FIXTURE_RECORDS)
    assert set(Advisory.objects.values_list("osv_id", flat=True)) == fixture_ids()
    assert len(result.warnings) == 8
    text = "\n".join(result.warnings)
    assert "broken.json" in text and "list.json: an OSV record is a JSON object" in text
    assert "NO-MODIFIED-1: modified must be an RFC 3339 time" in text
    assert "BAD-EVENT-1: each range event has exactly one of" in text
    assert "BAD-TIME-1: modified 'yesterday' is not an RFC 3339 time" in text
    assert "NUL-1: holds a NUL character" in text
    assert "nul-id.json: NUL\\x00ID: holds a NUL character" in text
    assert "LONG-NAME-1: affected[].package: ecosystem or name too long" in text
    source = VulnSource.objects.get(name="local")
    assert source.warnings == result.warnings and source.last_error == ""


def test_corrupt_zip_member_is_skipped_and_other_records_import(tmp_path):
    archive = make_zip(FIXTURES, tmp_path / "all.zip")
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_STORED) as zf:
        zf.writestr("GHSA-corrupt.json", b"\x00garbage")
    result = import_source(source_for("zip", str(archive)))
    assert result.records == len(FIXTURE_RECORDS)
    assert len(result.warnings) == 1 and result.warnings[0].startswith("GHSA-corrupt.json:")


def test_missing_path_is_recorded_as_the_source_error(tmp_path):
    source = source_for("gone", str(tmp_path / "nothing-here"))
    with pytest.raises(SourceError, match="does not exist"):
        import_source(source)
    source.refresh_from_db()
    assert "does not exist" in source.last_error
    assert source.last_import_at is None and source.last_attempt_at is not None


@pytest.fixture
def feed_server(tmp_path) -> Iterator[tuple[str, list[dict[str, str]]]]:
    """A real HTTP server publishing `Debian/all.zip` with Last-Modified (and answering
    If-Modified-Since with 304), as a static mirror of OSV's bucket would; it records headers."""
    root = tmp_path / "bucket"
    (root / "Debian").mkdir(parents=True)
    make_zip(FIXTURES / "Debian", root / "Debian" / "all.zip")
    (root / "Captive").mkdir()
    (root / "Captive" / "all.zip").write_text("<html>Please log in to the Wi-Fi</html>")
    seen: list[dict[str, str]] = []

    class Handler(SimpleHTTPRequestHandler):
        def do_GET(self) -> None:
            seen.append(dict(self.headers))
            super().do_GET()

        def log_message(self, *args: object) -> None:
            pass

    server = ThreadingHTTPServer(("127.0.0.1", 0), functools.partial(Handler, directory=str(root)))
    thread = threading.Thread(target=server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}", seen
    server.shutdown()
    server.server_close()


def test_url_import_and_conditional_refresh(feed_server, data_dir):
    base, seen = feed_server
    source = source_for("Debian", f"{base}/Debian/all.zip")
    first = import_source(source)
    debian = [p for p in FIXTURE_RECORDS if p.parent.name == "Debian"]
    assert (first.records, first.written) == (len(debian), len(debian))
    assert list((data_dir / "tmp").iterdir()) == []  # the spooled download is gone
    source.refresh_from_db()
    assert source.last_modified  # the server's validator is kept for the next refresh
    second = import_source(source)
    assert second.not_modified
    assert seen[-1].get("If-Modified-Since") == source.last_modified
    source.refresh_from_db()
    assert source.advisory_count == len(debian)  # a 304 keeps the last count


def test_a_download_that_is_not_a_zip_fails_the_import(feed_server):
    base, _ = feed_server
    source = source_for("captive", f"{base}/Captive/all.zip")
    with pytest.raises(SourceError, match="not a zip archive"):
        import_source(source)
    source.refresh_from_db()
    assert source.last_error == "the download is not a zip archive" and source.last_import_at is None


def test_an_oversized_download_is_abandoned_and_removed(feed_server, settings, data_dir):
    base, _ = feed_server
    settings.VULNDB_MAX_DOWNLOAD_BYTES = 1000  # the Debian fixture zip is several KiB
    source = source_for("Debian", f"{base}/Debian/all.zip")
    with pytest.raises(SourceError, match="larger than 1000 bytes"):
        import_source(source)
    assert list((data_dir / "tmp").iterdir()) == []
    assert VulnSource.objects.get(name="Debian").last_error.endswith("larger than 1000 bytes")


def test_a_moved_source_forgets_the_old_validators(feed_server):
    base, seen = feed_server
    source = source_for("Debian", f"{base}/Debian/all.zip")
    import_source(source)
    assert VulnSource.objects.get(name="Debian").last_modified
    moved = source_for("Debian", f"{base}/Debian/all.zip?mirror=2")
    assert (moved.etag, moved.last_modified) == ("", "")
    assert import_source(moved).written == 0  # downloaded again (no 304), records unchanged
    assert "If-Modified-Since" not in seen[-1]


def test_unreachable_url_fails_cleanly():
    with socket.socket() as probe:  # a port nobody listens on
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    source = source_for("offline", f"http://127.0.0.1:{port}/PyPI/all.zip")
    with pytest.raises(SourceError, match="failed"):
        import_source(source)
    source.refresh_from_db()
    assert source.last_error.startswith(f"GET http://127.0.0.1:{port}/PyPI/all.zip failed")


def test_missing_url_is_an_error_with_the_status(feed_server):
    base, _ = feed_server
    source = source_for("nope", f"{base}/Nope/all.zip")
    with pytest.raises(SourceError, match="answered 404"):
        import_source(source)


def test_withdrawn_advisory_is_stored_but_flagged(osv_dir):
    path = osv_dir / "npm" / "GHSA-p6mc-m468-83gw.json"
    record = json.loads(path.read_text())
    record["withdrawn"] = "2024-06-01T00:00:00Z"
    path.write_text(json.dumps(record))
    import_source(source_for("local", str(osv_dir)))
    assert Advisory.objects.get(osv_id="GHSA-p6mc-m468-83gw").withdrawn is not None


def test_unknown_source_name_is_refused():
    with pytest.raises(SourceError, match="no source named 'nosuch'"):
        source_for("nosuch")


def test_oversized_zip_member_is_skipped_without_reading_it(tmp_path):
    """A member claiming (or inflating to) more than 16 MiB is no OSV record: a zip bomb."""
    archive = make_zip(FIXTURES / "Go", tmp_path / "all.zip")
    with zipfile.ZipFile(archive, "a", zipfile.ZIP_DEFLATED) as zf:
        zf.writestr("GHSA-huge.json", b" " * (17 * 1024 * 1024))  # compresses to ~17 KiB
    assert archive.stat().st_size < 200_000
    result = import_source(source_for("zip", str(archive)))
    assert result.records == 2
    assert result.warnings == ["GHSA-huge.json: larger than 16777216 bytes"]


def test_skipped_count_is_exact_when_reasons_are_capped(osv_dir):
    for index in range(105):
        (osv_dir / f"bad{index:03d}.json").write_text("nope")
    result = import_source(source_for("local", str(osv_dir)))
    assert result.skipped == 105 and result.records == len(FIXTURE_RECORDS)
    source = VulnSource.objects.get(name="local")
    assert source.skipped_count == 105 and len(source.warnings) == 100
    assert source.warnings[0].endswith("bad000.json: not JSON (Expecting value: line 1 column 1 (char 0))")


def test_command_imports_a_url_named_after_it(feed_server):
    base, _ = feed_server
    out = StringIO()
    call_command("vulndb", "import", f"{base}/Debian/all.zip", stdout=out)
    debian = len([p for p in FIXTURE_RECORDS if p.parent.name == "Debian"])
    assert (
        out.getvalue().strip()
        == f"Debian/all.zip: {debian} records, {debian} written, 0 unchanged, 0 skipped"
    )
    out = StringIO()
    call_command("vulndb", "import", "--source", "Debian/all.zip", stdout=out)
    assert out.getvalue().strip() == "Debian/all.zip: not modified since the last import"
