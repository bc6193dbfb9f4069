"""Speaking to a scanner adapter: metadata, scan requests, and polling for the report.

Errors of every kind (refused connection, TLS, a 4xx/5xx with the adapter's error body, a body
that is not JSON) become one `AdapterError` whose message says which call failed and why, since
that message ends up in the scan's log and in `POST /scanners/ping`'s answer.
"""

from __future__ import annotations

import base64
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import httpx

from . import mimetypes as mime

CONNECT_TIMEOUT = 5.0
READ_TIMEOUT = 30.0
DEFAULT_REFRESH_AFTER = 5.0  # Harbor's wait when an adapter's 302 names none
MAX_REFRESH_AFTER = 60.0


class AdapterError(Exception):
    """A call to the adapter failed; the message is for people."""


@dataclass(frozen=True)
class ScanRequest:
    registry_url: str
    authorization: str  # "Basic base64(robot:secret)"
    repository: str
    digest: str
    tag: str = ""
    mime_type: str = mime.ARTIFACT_TYPES[0]
    capabilities: list[dict[str, Any]] = field(default_factory=list)

    def body(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "registry": {"url": self.registry_url, "authorization": self.authorization},
            "artifact": {
                "repository": self.repository,
                "digest": self.digest,
                "tag": self.tag,
                "mime_type": self.mime_type,
            },
        }
        if self.capabilities:
            body["enabled_capabilities"] = self.capabilities
        return body


def auth_headers(auth: str, credential: str) -> dict[str, str]:
    """The registration's `auth` as the spec defines it (Basic credentials are `user:password`)."""
    if auth == "Basic":
        return {"Authorization": "Basic " + base64.b64encode(credential.encode()).decode()}
    if auth == "Bearer":
        return {"Authorization": f"Bearer {credential}"}
    if auth == "X-ScannerAdapter-API-Key":
        return {"X-ScannerAdapter-API-Key": credential}
    return {}


def _error_text(response: httpx.Response) -> str:
    try:
        body = response.json()
        message = body["error"]["message"]
        if isinstance(message, str) and message:
            return message
    except (ValueError, KeyError, TypeError):
        pass
    return response.text[:500] or response.reason_phrase


class AdapterClient:
    def __init__(
        self,
        base_url: str,
        auth: str = "",
        credential: str = "",
        verify: bool = True,
        sleep: Callable[[float], None] = time.sleep,
    ) -> None:
        self.base = base_url.rstrip("/") + "/api/v1"
        self._client = httpx.Client(
            headers=auth_headers(auth, credential),
            verify=verify,
            timeout=httpx.Timeout(READ_TIMEOUT, connect=CONNECT_TIMEOUT),
            follow_redirects=False,
        )
        self._sleep = sleep

    def __enter__(self) -> AdapterClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self._client.close()

    def _call(self, what: str, method: str, url: str, **kwargs: Any) -> httpx.Response:
        try:
            return self._client.request(method, url, **kwargs)
        except httpx.HTTPError as error:
            raise AdapterError(f"{what}: {type(error).__name__}: {error}") from error

    @staticmethod
    def _json(what: str, response: httpx.Response) -> Any:
        try:
            return response.json()
        except ValueError:
            raise AdapterError(f"{what}: the adapter's answer is not JSON") from None

    def metadata(self) -> dict[str, Any]:
        what = f"GET {self.base}/metadata"
        response = self._call(what, "GET", f"{self.base}/metadata", headers={"Accept": mime.METADATA})
        if response.status_code != 200:
            raise AdapterError(f"{what}: {response.status_code}: {_error_text(response)}")
        body = self._json(what, response)
        if not isinstance(body, dict) or not isinstance(body.get("scanner"), dict):
            raise AdapterError(f"{what}: the answer has no scanner object")
        return body

    def scan(self, request: ScanRequest) -> str:
        """Submit a scan; the adapter's scan request id."""
        what = f"POST {self.base}/scan"
        headers = {
            "Content-Type": mime.SCAN_REQUEST_V1_1 if request.capabilities else mime.SCAN_REQUEST,
            "Accept": mime.SCAN_RESPONSE,
        }
        response = self._call(what, "POST", f"{self.base}/scan", json=request.body(), headers=headers)
        if response.status_code != 202:
            raise AdapterError(f"{what}: {response.status_code}: {_error_text(response)}")
        body = self._json(what, response)
        if not isinstance(body, dict) or not isinstance(body.get("id"), str) or not body["id"]:
            raise AdapterError(f"{what}: the answer has no scan request id")
        return body["id"]

    def report(
        self,
        scan_id: str,
        mime_type: str,
        deadline: float,
        params: dict[str, str] | None = None,
        keep_going: Callable[[], bool] = lambda: True,
    ) -> Any:
        """Poll until the report is ready (302 + `Refresh-After` means not yet), the deadline
        (a `time.monotonic()` value) passes, or `keep_going` says the scan was stopped."""
        url = f"{self.base}/scan/{scan_id}/report"
        what = f"GET {url}"
        while True:
            response = self._call(what, "GET", url, headers={"Accept": mime_type}, params=params or {})
            if response.status_code == 200:
                return self._json(what, response)
            if response.status_code != 302:
                raise AdapterError(f"{what}: {response.status_code}: {_error_text(response)}")
            wait = _refresh_after(response)
            if time.monotonic() + wait > deadline:
                raise AdapterError(f"{what}: the report was not ready before the scan timed out")
            if not keep_going():
                raise AdapterError("the scan was stopped")
            self._sleep(wait)


def _refresh_after(response: httpx.Response) -> float:
    try:
        seconds = float(response.headers.get("Refresh-After", DEFAULT_REFRESH_AFTER))
    except ValueError:
        seconds = DEFAULT_REFRESH_AFTER
    return min(max(seconds, 0.0), MAX_REFRESH_AFTER)
