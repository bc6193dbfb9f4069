"""One small HTTP client for `/api/v2.0`: Basic auth, Harbor's error envelope, paging.

Commands never look at status codes: a failed call raises `APIError` with a
one-line message (from `{"errors":[{"code","message"}]}`, or a message the
command supplied for a 404 such as `project "foo" not found`) and the matching
exit code. Network trouble becomes exit code 5 with the server's URL, never the
credentials.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote, urljoin, urlsplit

import httpx

from . import __version__
from .config import Credentials
from .errors import APIError, ExitCode, HarborctlError

API_PREFIX = "/api/v2.0"
MAX_PAGE_SIZE = 100  # Harbor refuses larger pages
_LINK_ENTRY = re.compile(r'<([^>]*)>\s*;\s*rel="?([^";]+)"?')


def segment(value: str) -> str:
    """One path segment, percent-encoded (a `/` inside it included)."""
    return quote(str(value), safe="")


def repository_segment(name: str) -> str:
    """Harbor wants a repository name inside a path encoded twice (`a/b` -> `a%252Fb`), as its
    own clients do, so that the name's slashes survive the router."""
    return quote(quote(name, safe=""), safe="")


def reference_segment(reference: str) -> str:
    """A tag or digest; `:` of `sha256:...` may stay readable."""
    return quote(reference, safe=":")


def parse_link_header(value: str | None) -> dict[str, str]:
    """`<url>; rel="prev" , <url>; rel="next"` -> {"prev": url, "next": url}."""
    links: dict[str, str] = {}
    for match in _LINK_ENTRY.finditer(value or ""):
        links[match.group(2).strip()] = match.group(1).strip()
    return links


def error_message(response: httpx.Response) -> tuple[str, str]:
    """Harbor's first error code and all messages joined; a non-Harbor body (a proxy's HTML
    page, an empty 404 of a route not yet implemented) falls back to the status text."""
    code, messages = "", []
    try:
        body = response.json()
    except ValueError:
        body = None
    if isinstance(body, dict) and isinstance(body.get("errors"), list):
        for error in body["errors"]:
            if isinstance(error, dict):
                code = code or str(error.get("code", ""))
                if error.get("message"):
                    messages.append(str(error["message"]))
    if not messages:
        messages.append(f"{response.status_code} {response.reason_phrase}".strip())
    return code or response.reason_phrase.upper().replace(" ", "_"), "; ".join(messages)


@dataclass
class Page:
    """A list answer: the items, the total the server announced (`X-Total-Count`), and whether
    more pages exist (`Link: rel="next"`)."""

    items: list[Any]
    total: int | None
    has_next: bool


class HarborClient:
    """A thin wrapper over `httpx.Client` bound to one server and one set of credentials."""

    def __init__(
        self,
        credentials: Credentials,
        *,
        timeout: float = 60.0,
        transport: httpx.BaseTransport | None = None,
    ) -> None:
        self.credentials = credentials
        self.base_url = credentials.url
        auth = (credentials.username, credentials.password) if credentials.has_auth else None
        self._http = httpx.Client(
            base_url=credentials.url,
            auth=auth,  # type: ignore[arg-type]
            verify=not credentials.insecure,
            timeout=timeout,
            transport=transport,
            headers={
                "User-Agent": f"harborctl/{__version__}",
                "Accept": "application/json",
                # harborctl takes project names, so a project named "123" is a name, not an id.
                "X-Is-Resource-Name": "true",
            },
        )

    def close(self) -> None:
        self._http.close()

    def __enter__(self) -> HarborClient:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # -- requests -----------------------------------------------------------------------------

    def request(
        self,
        method: str,
        path: str,
        *,
        params: dict[str, Any] | None = None,
        json: Any = None,
        headers: dict[str, str] | None = None,
        not_found: str | None = None,
    ) -> httpx.Response:
        """Send one request; `path` is below `/api/v2.0` unless it starts with `/api/` or `/v2/`.
        `not_found` names the thing the path points at (`project "foo"`), for the 404 message."""
        url = path if path.startswith(("/api/", "/v2/", "http://", "https://")) else API_PREFIX + path
        clean = {k: v for k, v in (params or {}).items() if v is not None}
        try:
            # None, not {}: httpx replaces a URL's own query (a `Link` target's) with any params given.
            response = self._http.request(method, url, params=clean or None, json=json, headers=headers)
        except httpx.TimeoutException:
            raise HarborctlError(f"timed out waiting for {self.base_url}", ExitCode.SERVER) from None
        except httpx.ConnectError as exc:
            hint = " (use 'harborctl login --insecure' for a self-signed certificate)" if _is_tls(exc) else ""
            raise HarborctlError(
                f"cannot connect to {self.base_url}: {_reason(exc)}{hint}", ExitCode.SERVER
            ) from None
        except httpx.HTTPError as exc:
            raise HarborctlError(
                f"request to {self.base_url} failed: {_reason(exc)}", ExitCode.SERVER
            ) from None
        if response.status_code >= 400:
            raise self._error(response, not_found)
        return response

    def _error(self, response: httpx.Response, not_found: str | None) -> APIError:
        status = response.status_code
        code, message = error_message(response)
        if status == 404 and not_found:
            message = f"{not_found} not found"
        elif status == 401:
            hint = "" if self.credentials.has_auth else " (run 'harborctl login URL -u USER')"
            message = f"unauthorized: {message}{hint}"
        elif status == 403:
            message = f"forbidden: {message}"
        elif status >= 500:
            message = f"server error ({status}): {message}"
        return APIError(status, code, message)

    def get(self, path: str, **kwargs: Any) -> Any:
        """GET and decode JSON (text for endpoints such as `/ping` that answer plain text)."""
        response = self.request("GET", path, **kwargs)
        if "json" in response.headers.get("content-type", ""):
            return response.json()
        return response.text

    def post(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("POST", path, json=json, **kwargs)

    def put(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("PUT", path, json=json, **kwargs)

    def patch(self, path: str, json: Any = None, **kwargs: Any) -> httpx.Response:
        return self.request("PATCH", path, json=json, **kwargs)

    def delete(self, path: str, **kwargs: Any) -> httpx.Response:
        return self.request("DELETE", path, **kwargs)

    def exists(self, path: str, params: dict[str, Any] | None = None) -> bool:
        """HEAD: 200 -> True, 404 -> False, anything else is an error."""
        try:
            self.request("HEAD", path, params=params)
        except APIError as exc:
            if exc.status == 404:
                return False
            raise
        return True

    # -- lists --------------------------------------------------------------------------------

    def page(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        page: int | None = None,
        page_size: int | None = None,
        not_found: str | None = None,
    ) -> Page:
        """One page of a list endpoint."""
        query = dict(params or {})
        if page is not None:
            query["page"] = page
        if page_size is not None:
            query["page_size"] = page_size
        response = self.request("GET", path, params=query, not_found=not_found)
        return Page(
            _items(response), _total(response), "next" in parse_link_header(response.headers.get("link"))
        )

    def iterate(
        self,
        path: str,
        params: dict[str, Any] | None = None,
        *,
        page_size: int = MAX_PAGE_SIZE,
        not_found: str | None = None,
        on_page: Callable[[int, int | None], None] | None = None,
    ) -> Iterator[Any]:
        """Every item of a list endpoint, following `Link: rel="next"` until the last page.
        `on_page(items so far, total)` lets a caller drive a progress bar."""
        query = {**(params or {}), "page": 1, "page_size": page_size}
        response = self.request("GET", path, params=query, not_found=not_found)
        seen: set[str] = set()
        fetched = 0
        while True:
            items = _items(response)
            fetched += len(items)
            if on_page:
                on_page(fetched, _total(response))
            yield from items
            next_url = parse_link_header(response.headers.get("link")).get("next")
            if not next_url or not items or next_url in seen:
                return  # the last page, or a server that would make us loop forever
            seen.add(next_url)
            response = self.request("GET", self._same_server(next_url), not_found=not_found)

    def _same_server(self, link: str) -> str:
        """A `Link` target as a path on our server; a link to another host is refused so the
        credentials never follow it there."""
        absolute = urljoin(self.base_url + "/", link)
        ours, theirs = urlsplit(self.base_url), urlsplit(absolute)
        if (theirs.scheme, theirs.netloc) != (ours.scheme, ours.netloc):
            raise HarborctlError(
                f"the server sent a paging link to another host: {theirs.netloc}", ExitCode.SERVER
            )
        return theirs.path + (f"?{theirs.query}" if theirs.query else "")


def _items(response: httpx.Response) -> list[Any]:
    body = response.json() if response.content else []
    if body is None:
        return []
    if not isinstance(body, list):
        raise HarborctlError(f"expected a list from {response.request.url.path}", ExitCode.SERVER)
    return body


def _total(response: httpx.Response) -> int | None:
    raw = response.headers.get("x-total-count")
    try:
        return int(raw) if raw is not None else None
    except ValueError:
        return None


def _reason(exc: Exception) -> str:
    text = str(exc) or type(exc).__name__
    return text.splitlines()[0]


def _is_tls(exc: Exception) -> bool:
    return any(word in str(exc) for word in ("SSL", "CERTIFICATE", "certificate"))
