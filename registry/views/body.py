"""Reading request bodies as a stream, never whole into memory."""

from __future__ import annotations

from collections.abc import Iterator

from django.http import HttpRequest

from ..oci.errors import BlobUploadInvalid

READ_SIZE = 1024 * 1024


def declared_length(request: HttpRequest) -> int | None:
    value = request.META.get("CONTENT_LENGTH")
    if value in (None, ""):
        return None
    try:
        length = int(value)
    except ValueError:
        raise BlobUploadInvalid(f"invalid Content-Length {value!r}") from None
    if length < 0:
        raise BlobUploadInvalid(f"invalid Content-Length {value!r}")
    return length


def body_chunks(request: HttpRequest) -> Iterator[bytes]:
    """The request body in 1 MiB pieces.

    Django only reads Content-Length bytes; a chunked (Transfer-Encoding) body,
    as Docker sends on PATCH, is read from the WSGI input, which the server has
    already de-chunked and ends at the body's end.
    """
    if declared_length(request) is not None:
        stream = request
    elif "chunked" in request.META.get("HTTP_TRANSFER_ENCODING", "").lower():
        stream = request.META["wsgi.input"]
    else:
        return
    while chunk := stream.read(READ_SIZE):
        yield chunk


def read_limited(request: HttpRequest, limit: int) -> bytes:
    """The whole body when it is at most `limit` bytes; `limit + 1` bytes tell it is larger."""
    data = bytearray()
    for chunk in body_chunks(request):
        data += chunk
        if len(data) > limit:
            break
    return bytes(data)
