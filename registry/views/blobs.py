"""`/v2/<name>/blobs/<digest>`: GET (with Range), HEAD and DELETE (end-2, end-10)."""

from __future__ import annotations

import re

from django.http import FileResponse, HttpRequest, HttpResponse, HttpResponseRedirect

from projects.rbac import Action

from ..oci.digest import parse_digest
from ..oci.errors import RegistryError
from ..services.blobs import linked_blob_size, unlink_blob
from ..storage import blob_store
from .base import RegistryView

_RANGE = re.compile(r"^bytes=(\d*)-(\d*)$")
BLOCK_SIZE = 1024 * 1024  # servers without sendfile stream in large blocks


class RangeNotSatisfiableForBlob(RegistryError):
    code, status, message = "BLOB_UNKNOWN", 416, "requested range not satisfiable"


def parse_range(header: str, size: int) -> tuple[int, int] | None:
    """(start, length) of a single `bytes=` range, None for no or an ignorable Range header."""
    match = _RANGE.match(header.strip())
    if not match or match.groups() == ("", ""):
        return None
    first, last = match.groups()
    if first == "":
        length = min(int(last), size)
        start = size - length
    else:
        start = int(first)
        end = min(int(last), size - 1) if last else size - 1
        length = end - start + 1
    if start >= size or length <= 0:
        raise RangeNotSatisfiableForBlob(headers={"Content-Range": f"bytes */{size}"})
    return start, length


class BlobView(RegistryView):
    def _size(self, name: str, digest: str) -> int:
        self.authorize(name, Action.PULL)
        parse_digest(digest)
        return linked_blob_size(name, digest)

    def head(self, request: HttpRequest, name: str, digest: str) -> HttpResponse:
        size = self._size(name, digest)
        response = HttpResponse(status=200, content_type="application/octet-stream")
        response["Content-Length"] = str(size)
        response["Docker-Content-Digest"] = digest
        response["Accept-Ranges"] = "bytes"
        return response

    def get(self, request: HttpRequest, name: str, digest: str) -> HttpResponse:
        size = self._size(name, digest)
        byte_range = parse_range(request.META.get("HTTP_RANGE", ""), size)
        start, length = byte_range if byte_range else (0, None)
        download = blob_store().download(digest, start, length)
        if download.redirect_url:
            response: HttpResponse = HttpResponseRedirect(download.redirect_url)
            response.status_code = 307
        else:
            response = FileResponse(download.file, content_type="application/octet-stream")
            response.block_size = BLOCK_SIZE
            response["Content-Length"] = str(download.length)
            if byte_range:
                response.status_code = 206
                response["Content-Range"] = f"bytes {start}-{start + download.length - 1}/{size}"
        response["Docker-Content-Digest"] = digest
        response["Accept-Ranges"] = "bytes"
        return response

    def delete(self, request: HttpRequest, name: str, digest: str) -> HttpResponse:
        self.authorize(name, Action.DELETE)
        parse_digest(digest)
        unlink_blob(name, digest)
        return HttpResponse(status=202)
