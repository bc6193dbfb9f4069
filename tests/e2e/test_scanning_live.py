"""Scanning end to end: a live server, a real Celery worker (both queues, on the broker the
settings select), skopeo pushing and pulling, and a scanner adapter pulling with its robot.

Scan on push, the built-in scanner's report, the vulnerability pull policy refusing skopeo,
allowing it once the CVE is allowlisted, refusing again once the allowlist expires; an SBOM
generated and listed as a referrer; a remote adapter whose robot pulls through the policy.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from tests.scanner_adapter import API_KEY, running_adapter
from tests.scanning.images import OS_RELEASE, dpkg_status
from tests.scanning.layers import file, tar_of
from tests.server import ADMIN_PASSWORD, ROOT, LiveRegistry, live_registry

from .conftest import require
from .oci_layout import write_tar_layout

pytestmark = pytest.mark.e2e

AUTH = ("admin", ADMIN_PASSWORD)
OSV_FIXTURES = ROOT / "tests" / "fixtures" / "osv"
VULN = "application/vnd.security.vulnerability.report; version=1.1"


@pytest.fixture(scope="module")
def scanning_registry(tmp_path_factory) -> Iterator[LiveRegistry]:
    """A server of its own (its vulnerability database holds the fixture advisories) and a worker."""
    with live_registry(tmp_path_factory.mktemp("scan"), extra_env={"HARBOR_VULNDB_SOURCES": ""}) as server:
        server.manage("vulndb", "import", "--source", "fixtures", str(OSV_FIXTURES))
        worker = subprocess.Popen(
            [
                sys.executable,
                "-m",
                "celery",
                "-A",
                "harbor_site",
                "worker",
                "--queues=celery,scan_all",
                "--concurrency=1",
                "--loglevel=INFO",
            ],
            cwd=ROOT,
            env=server.env,
            stdout=open(server.data_dir / "worker.log", "wb"),  # noqa: SIM115 - the process owns it
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        try:
            yield server
        finally:
            os.killpg(worker.pid, signal.SIGTERM)
            worker.wait(timeout=30)


def skopeo(*args: str) -> subprocess.CompletedProcess:
    require("skopeo")
    return subprocess.run(["skopeo", *args], capture_output=True, text=True, timeout=300)


def api(server: LiveRegistry, method: str, path: str, **kwargs) -> httpx.Response:
    return httpx.request(method, f"{server.url}/api/v2.0{path}", auth=AUTH, timeout=30, **kwargs)


def push(server: LiveRegistry, tmp: Path, reference: str) -> str:
    tar = tar_of(
        [file("etc/os-release", OS_RELEASE), file("var/lib/dpkg/status", dpkg_status("3.0.11-1~deb12u1"))]
    )
    digest = write_tar_layout(tmp, "v1", [tar])
    pushed = skopeo(
        "copy",
        "--dest-tls-verify=false",
        f"--dest-creds=admin:{ADMIN_PASSWORD}",
        f"oci:{tmp}:v1",
        f"docker://{server.host}/{reference}",
    )
    assert pushed.returncode == 0, pushed.stderr
    return digest


def pull(server: LiveRegistry, tmp: Path, reference: str) -> subprocess.CompletedProcess:
    target = tmp / f"pulled-{time.monotonic_ns()}"
    return skopeo(
        "copy",
        "--src-tls-verify=false",
        f"--src-creds=admin:{ADMIN_PASSWORD}",
        f"docker://{server.host}/{reference}",
        f"oci:{target}:v1",
    )


def wait_for_overview(server: LiveRegistry, path: str, key: str, status: str = "Success") -> dict:
    deadline = time.monotonic() + 120
    while True:
        body = api(server, "GET", f"{path}?with_scan_overview=true&with_sbom_overview=true").json()
        overview = (body.get("scan_overview") or {}).get(VULN) if key == "scan" else body.get("sbom_overview")
        if overview and overview["scan_status"] == status:
            return overview
        assert time.monotonic() < deadline, (
            f"no {status} {key} scan: {body}\n" + (server.data_dir / "worker.log").read_text()[-3000:]
        )
        time.sleep(0.5)


def test_scan_on_push_policy_allowlist_and_sbom(scanning_registry, tmp_path):
    server = scanning_registry
    metadata = {"auto_scan": "true", "prevent_vul": "true", "severity": "low"}
    assert (
        api(server, "POST", "/projects", json={"project_name": "scanned", "metadata": metadata}).status_code
        == 201
    )
    digest = push(server, tmp_path / "image", "scanned/app:v1")

    artifact = "/projects/scanned/repositories/app/artifacts/v1"
    overview = wait_for_overview(server, artifact, "scan")  # scanned on push by the worker
    assert overview["summary"] == {"total": 2, "fixable": 2, "summary": {"Low": 1, "Unknown": 1}}
    report = api(server, "GET", f"{artifact}/additions/vulnerabilities").json()[VULN]
    assert {v["id"]: v["fix_version"] for v in report["vulnerabilities"]} == {
        "CVE-2023-5363": "3.0.11-1~deb12u2",
        "CVE-2023-5678": "3.0.13-1~deb12u1",
    }

    refused = pull(server, tmp_path, "scanned/app:v1")
    assert refused.returncode != 0
    assert "current image with 2 vulnerabilities cannot be pulled due to configured policy" in refused.stderr

    allowlist = {"items": [{"cve_id": "CVE-2023-5678"}], "expires_at": int(time.time()) + 4}
    assert api(server, "PUT", "/projects/scanned", json={"cve_allowlist": allowlist}).status_code == 200
    allowed = pull(server, tmp_path, "scanned/app:v1")
    assert allowed.returncode == 0, allowed.stderr
    time.sleep(max(0.0, allowlist["expires_at"] + 1 - time.time()))
    again = pull(server, tmp_path, "scanned/app:v1")
    assert again.returncode != 0 and "cannot be pulled due to configured policy" in again.stderr

    assert api(server, "POST", f"{artifact}/scan", json={"scan_type": "sbom"}).status_code == 202
    sbom = wait_for_overview(server, artifact, "sbom")
    referrers = httpx.get(f"{server.url}/v2/scanned/app/referrers/{digest}", auth=AUTH).json()["manifests"]
    assert [(m["digest"], m["artifactType"]) for m in referrers] == [
        (sbom["sbom_digest"], "application/vnd.goharbor.harbor.sbom.v1")
    ]


def test_remote_adapter_pulls_through_the_policy_with_its_robot(scanning_registry, tmp_path):
    server = scanning_registry
    metadata = {"prevent_vul": "true", "severity": "low"}
    assert (
        api(server, "POST", "/projects", json={"project_name": "remote", "metadata": metadata}).status_code
        == 201
    )
    push(server, tmp_path / "image", "remote/app:v1")
    with running_adapter(pull=True) as adapter:
        body = {
            "name": "adapter",
            "url": adapter.url,
            "auth": "X-ScannerAdapter-API-Key",
            "access_credential": API_KEY,
            "use_internal_addr": True,
        }
        created = api(server, "POST", "/scanners", json=body)
        assert created.status_code == 201, created.text
        uuid = created.headers["Location"].rsplit("/", 1)[1]
        assert api(server, "PUT", "/projects/remote/scanner", json={"uuid": uuid}).status_code == 200
        artifact = "/projects/remote/repositories/app/artifacts/v1"
        assert api(server, "POST", f"{artifact}/scan", json={}).status_code == 202
        overview = wait_for_overview(server, artifact, "scan")
    assert overview["scanner"] == {"name": "TestAdapter", "vendor": "Tests", "version": "0.1.0"}
    assert (overview["severity"], overview["summary"]["summary"]) == ("High", {"High": 1, "Medium": 1})
    assert adapter.state.pulls == [200]  # the scanner robot's pull passed the policy
    robots = api(server, "GET", "/robots").json()
    assert [r["name"] for r in robots if "scanner-" in r["name"]] == []  # deleted after the scan
    refused = pull(server, tmp_path, "remote/app:v1")
    assert "current image with 2 vulnerabilities cannot be pulled" in refused.stderr


def test_scan_all_runs_on_its_own_queue(scanning_registry, tmp_path):
    server = scanning_registry
    assert api(server, "POST", "/projects", json={"project_name": "every", "metadata": {}}).status_code == 201
    push(server, tmp_path / "image", "every/app:v1")
    started = api(server, "POST", "/system/scanAll/schedule", json={"schedule": {"type": "Manual"}})
    assert started.status_code == 201, started.text
    deadline = time.monotonic() + 120
    while True:
        metrics = api(server, "GET", "/scans/all/metrics").json()
        if metrics["total"] and not metrics["ongoing"]:
            break
        assert time.monotonic() < deadline, metrics
        time.sleep(0.5)
    # One report per (digest, project's scanner) over the server's images, this one included (the
    # other tests' images share its digest; the remote project's adapter has gone, so that scan
    # ends in Error, and counts as completed all the same).
    assert metrics["trigger"] == "Manual" and metrics["completed"] == metrics["total"] >= 1
    assert metrics["metrics"]["Success"] >= 1
    overview = wait_for_overview(server, "/projects/every/repositories/app/artifacts/v1", "scan")
    assert overview["summary"]["total"] == 2
