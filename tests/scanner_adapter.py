"""A scanner adapter speaking Harbor's pluggable scanner API v1.2, for tests.

It stands in for Trivy or any third-party adapter: a real HTTP server on a free port, in a
thread, that checks what Harbor sends (MIME types, its own API key, the scan request's shape),
answers the first report polls with 302 + `Refresh-After`, then a fixed report from its own
data. With `pull=True` it also fetches the artifact's manifest from the registry with the
credential of the scan request, as a real adapter would, and records the status it got.
"""

from __future__ import annotations

import json
import threading
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import parse_qs, urlsplit

import httpx

API_KEY = "adapter-test-key"
VULN_REPORT = "application/vnd.security.vulnerability.report; version=1.1"
NATIVE_REPORT = "application/vnd.scanner.adapter.vuln.report.harbor+json; version=1.0"
SBOM_REPORT = "application/vnd.security.sbom.report+json; version=1.0"
SCAN_REQUEST_TYPES = (
    "application/vnd.scanner.adapter.scan.request+json; version=1.0",
    "application/vnd.scanner.adapter.scan.request+json; version=1.1",
)
# The adapter's own findings, whatever the image: what a third-party scanner would report.
VULNERABILITIES = [
    {
        "id": "CVE-2023-5363",
        "package": "libssl3",
        "version": "3.0.11-1~deb12u1",
        "fix_version": "3.0.11-1~deb12u2",
        "severity": "High",
        "description": "Incorrect cipher key and IV length processing",
        "links": ["https://nvd.nist.gov/vuln/detail/CVE-2023-5363"],
        "preferred_cvss": {"score_v3": 7.5, "vector_v3": "CVSS:3.1/AV:N/AC:L/PR:N/UI:N/S:U/C:H/I:N/A:N"},
        "cwe_ids": ["CWE-325"],
        "vendor_attributes": {},
    },
    {
        "id": "CVE-2023-5678",
        "package": "libssl3",
        "version": "3.0.11-1~deb12u1",
        "fix_version": "",
        "severity": "Medium",
        "description": "Excessive time spent in DH check / generation with large Q parameter value",
        "links": [],
        "preferred_cvss": {},
        "cwe_ids": [],
        "vendor_attributes": {},
    },
]


@dataclass
class AdapterState:
    pending_polls: int = 2  # 302 answers before each report is ready
    requests: list[dict[str, Any]] = field(default_factory=list)
    polls: dict[str, int] = field(default_factory=dict)
    pulls: list[int] = field(default_factory=list)  # registry statuses, with pull=True
    pull: bool = False
    refresh_after: str = "0"
    vulnerability_types: tuple[str, ...] = (VULN_REPORT,)  # what its metadata says it produces


def _handler(state: AdapterState) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        def log_message(self, *args: Any) -> None:
            pass

        def _send(
            self, status: int, body: Any = None, content_type: str = "application/json", **headers: str
        ) -> None:
            data = json.dumps(body).encode() if body is not None else b""
            self.send_response(status)
            if data:
                self.send_header("Content-Type", content_type)
            for name, value in headers.items():
                self.send_header(name.replace("_", "-"), value)
            self.send_header("Content-Length", str(len(data)))
            self.end_headers()
            self.wfile.write(data)

        def _error(self, status: int, message: str) -> None:
            error_type = "application/vnd.scanner.adapter.error+json; version=1.0"
            self._send(status, {"error": {"message": message}}, error_type)

        def _authorized(self) -> bool:
            if self.headers.get("X-ScannerAdapter-API-Key") != API_KEY:
                self._error(401, "missing or wrong API key")
                return False
            return True

        def do_GET(self) -> None:
            if not self._authorized():
                return
            url = urlsplit(self.path)
            if url.path == "/api/v1/metadata":
                return self._send(
                    200, _metadata(state), "application/vnd.scanner.adapter.metadata+json; version=1.1"
                )
            parts = url.path.split("/")
            if len(parts) == 6 and parts[:4] == ["", "api", "v1", "scan"] and parts[5] == "report":
                return self._report(parts[4], parse_qs(url.query))
            self._error(404, f"no route {url.path}")

        def _report(self, scan_id: str, query: dict[str, list[str]]) -> None:
            request = next((r for r in state.requests if r["id"] == scan_id), None)
            if request is None:
                return self._error(404, f"unknown scan request {scan_id}")
            accept = self.headers.get("Accept", "")
            if accept == SBOM_REPORT and not query.get("sbom_media_type"):
                return self._error(400, "sbom_media_type is required")
            if accept not in (*state.vulnerability_types, SBOM_REPORT):
                return self._error(501, f"unsupported report type {accept}")
            state.polls[scan_id] = state.polls.get(scan_id, 0) + 1
            if state.polls[scan_id] <= state.pending_polls:
                return self._send(302, None, Refresh_After=state.refresh_after)
            self._send(200, _report_for(request["body"], accept, query), accept)

        def do_POST(self) -> None:
            if not self._authorized():
                return
            if self.path != "/api/v1/scan":
                return self._error(404, f"no route {self.path}")
            if self.headers.get("Content-Type") not in SCAN_REQUEST_TYPES:
                return self._error(400, f"unexpected content type {self.headers.get('Content-Type')}")
            try:
                body = json.loads(self.rfile.read(int(self.headers.get("Content-Length", 0))))
                artifact, registry = body["artifact"], body["registry"]
                assert artifact["repository"] and artifact["digest"].startswith("sha256:")
                assert registry["url"] and registry["authorization"].startswith("Basic ")
            except (ValueError, KeyError, TypeError, AssertionError):
                return self._error(422, "invalid scan request")
            if state.pull:
                state.pulls.append(_pull(registry, artifact))
            scan_id = uuid.uuid4().hex
            state.requests.append({"id": scan_id, "body": body})
            self._send(
                202, {"id": scan_id}, "application/vnd.scanner.adapter.scan.response+json; version=1.0"
            )

    return Handler


def _pull(registry: dict[str, str], artifact: dict[str, str]) -> int:
    response = httpx.get(
        f"{registry['url']}/v2/{artifact['repository']}/manifests/{artifact['digest']}",
        headers={"Authorization": registry["authorization"], "Accept": artifact["mime_type"]},
        timeout=30,
    )
    return response.status_code


def _report_for(body: dict[str, Any], accept: str, query: dict[str, list[str]]) -> dict[str, Any]:
    artifact = body["artifact"]
    base = {
        "generated_at": "2026-01-01T00:00:00Z",
        "artifact": artifact,
        "scanner": METADATA["scanner"],
    }
    if accept == SBOM_REPORT:
        document = {"spdxVersion": "SPDX-2.3", "name": artifact["repository"], "packages": []}
        return {**base, "vendor_attributes": {}, "media_type": query["sbom_media_type"][0], "sbom": document}
    return {**base, "severity": "High", "vulnerabilities": VULNERABILITIES}


METADATA: dict[str, Any] = {
    "scanner": {"name": "TestAdapter", "vendor": "Tests", "version": "0.1.0"},
    "capabilities": [
        {
            "type": "vulnerability",
            "consumes_mime_types": [
                "application/vnd.oci.image.manifest.v1+json",
                "application/vnd.docker.distribution.manifest.v2+json",
            ],
            "produces_mime_types": [VULN_REPORT],
        },
        {
            "type": "sbom",
            "consumes_mime_types": ["application/vnd.oci.image.manifest.v1+json"],
            "produces_mime_types": [SBOM_REPORT],
            "additional_attributes": {"sbom_media_types": ["application/spdx+json"]},
        },
    ],
    "properties": {"harbor.scanner-adapter/scanner-type": "os-package-vulnerability"},
}


def _metadata(state: AdapterState) -> dict[str, Any]:
    vulnerability, sbom = METADATA["capabilities"]
    return {
        **METADATA,
        "capabilities": [{**vulnerability, "produces_mime_types": list(state.vulnerability_types)}, sbom],
    }


@dataclass
class RunningAdapter:
    url: str
    state: AdapterState


@contextmanager
def running_adapter(**options: Any) -> Iterator[RunningAdapter]:
    state = AdapterState(**options)
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(state))
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield RunningAdapter(f"http://127.0.0.1:{server.server_address[1]}", state)
    finally:
        server.shutdown()
        server.server_close()
        thread.join(timeout=5)
