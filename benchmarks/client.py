"""The push client: the standard library's http.client, streaming bodies from files.

http.client is the thinnest HTTP client at hand (no pool, no async layer), so it
takes little CPU from the server on a 2-core machine, and with a 1 MiB
`blocksize` it sends a file body in 1 MiB `sendall()` calls without reading the
file into memory. Both servers are driven by this same code.
"""

from __future__ import annotations

import http.client
from dataclasses import dataclass
from typing import BinaryIO
from urllib.parse import urlsplit

from blobs import BlobFile

BLOCK_SIZE = 1024 * 1024
TIMEOUT = 900.0


@dataclass(frozen=True, slots=True)
class Response:
    status: int
    headers: dict[str, str]
    body: bytes


class UnexpectedResponse(RuntimeError):
    pass


class Client:
    """One HTTP/1.1 connection to a server, reopened whenever the server closes it.

    gunicorn's sync workers close after every response; distribution keeps the
    connection alive. http.client follows either.
    """

    def __init__(self, base_url: str, headers: dict[str, str] | None = None) -> None:
        parts = urlsplit(base_url)
        self.host, self.port = parts.hostname or "127.0.0.1", parts.port or 80
        self.headers = dict(headers or {})
        self.connection = http.client.HTTPConnection(
            self.host, self.port, timeout=TIMEOUT, blocksize=BLOCK_SIZE
        )

    def request(
        self,
        method: str,
        target: str,
        body: bytes | BinaryIO | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """Send one request; `target` may be a path or an absolute URL (as in a Location)."""
        parts = urlsplit(target)
        path = parts.path + (f"?{parts.query}" if parts.query else "")
        all_headers = {**self.headers, **(headers or {})}
        self.connection.request(method, path, body=body, headers=all_headers)
        response = self.connection.getresponse()
        data = response.read()
        return Response(response.status, {k.lower(): v for k, v in response.getheaders()}, data)

    def expect(
        self,
        status: int,
        method: str,
        target: str,
        body: bytes | BinaryIO | None = None,
        headers: dict[str, str] | None = None,
    ) -> Response:
        """`request()`, failing loudly on any other status: a benchmark of errors measures nothing."""
        response = self.request(method, target, body, headers)
        if response.status != status:
            raise UnexpectedResponse(
                f"{method} {target}: {response.status} (wanted {status}) {response.body[:300]!r}"
            )
        return response

    def close(self) -> None:
        self.connection.close()


def with_digest(location: str, digest: str) -> str:
    """The upload URL with `digest=` added (distribution's Location already has a query)."""
    return f"{location}{'&' if '?' in location else '?'}digest={digest}"


def start_upload(client: Client, repository: str) -> str:
    return client.expect(202, "POST", f"/v2/{repository}/blobs/uploads/").headers["location"]


def push_monolithic(client: Client, repository: str, blob: BlobFile) -> None:
    """POST, then one PUT carrying the whole body (what skopeo and containerd do)."""
    location = start_upload(client, repository)
    with open(blob.path, "rb") as body:
        client.expect(
            201,
            "PUT",
            with_digest(location, blob.digest),
            body=body,
            headers={"Content-Type": "application/octet-stream", "Content-Length": str(blob.size)},
        )


def push_chunked(client: Client, repository: str, blob: BlobFile, chunk_size: int) -> None:
    """POST, PATCHes of `chunk_size` bytes with Content-Range, then an empty PUT with the digest."""
    location = start_upload(client, repository)
    offset = 0
    with open(blob.path, "rb") as source:
        while chunk := source.read(chunk_size):
            headers = {
                "Content-Type": "application/octet-stream",
                "Content-Length": str(len(chunk)),
                "Content-Range": f"{offset}-{offset + len(chunk) - 1}",
            }
            location = client.expect(202, "PATCH", location, body=chunk, headers=headers).headers["location"]
            offset += len(chunk)
    client.expect(201, "PUT", with_digest(location, blob.digest), body=b"", headers={"Content-Length": "0"})


def push_bytes(client: Client, repository: str, data: bytes, digest: str) -> None:
    """A small blob (config, tiny layer) in one POST+PUT."""
    location = start_upload(client, repository)
    client.expect(
        201, "PUT", with_digest(location, digest), body=data, headers={"Content-Length": str(len(data))}
    )


def put_manifest(client: Client, repository: str, tag: str, manifest: bytes, media_type: str) -> None:
    client.expect(
        201,
        "PUT",
        f"/v2/{repository}/manifests/{tag}",
        body=manifest,
        headers={"Content-Type": media_type, "Content-Length": str(len(manifest))},
    )
