"""The OCI distribution error codes, one exception class each with its HTTP status.

Views render any `RegistryError` as the spec's envelope
`{"errors": [{"code", "message", "detail"}]}`; nothing else builds that body.
"""

from __future__ import annotations

from typing import Any


class RegistryError(Exception):
    code = "UNKNOWN"
    status = 500
    message = "unknown error"

    def __init__(self, message: str | None = None, detail: Any = None, headers: dict[str, str] | None = None):
        super().__init__(message or self.message)
        self.message = message or self.message
        self.detail = detail
        self.headers = headers or {}

    def as_dict(self) -> dict[str, Any]:
        body: dict[str, Any] = {"code": self.code, "message": self.message}
        if self.detail is not None:
            body["detail"] = self.detail
        return body


class BlobUnknown(RegistryError):
    code, status, message = "BLOB_UNKNOWN", 404, "blob unknown to registry"


class BlobUploadInvalid(RegistryError):
    code, status, message = "BLOB_UPLOAD_INVALID", 400, "blob upload invalid"


class BlobUploadUnknown(RegistryError):
    code, status, message = "BLOB_UPLOAD_UNKNOWN", 404, "blob upload unknown to registry"


class RangeNotSatisfiable(RegistryError):
    """A chunk that does not start where the upload stands (out of order or repeated)."""

    code, status, message = "BLOB_UPLOAD_INVALID", 416, "requested range not satisfiable"


class DigestInvalid(RegistryError):
    code, status, message = "DIGEST_INVALID", 400, "provided digest did not match uploaded content"


class ManifestBlobUnknown(RegistryError):
    code, status, message = (
        "MANIFEST_BLOB_UNKNOWN",
        404,
        "manifest references a blob unknown to the repository",
    )


class ManifestInvalid(RegistryError):
    code, status, message = "MANIFEST_INVALID", 400, "manifest invalid"


class ManifestUnknown(RegistryError):
    code, status, message = "MANIFEST_UNKNOWN", 404, "manifest unknown"


class ManifestTooLarge(RegistryError):
    code, status, message = "SIZE_INVALID", 413, "manifest too large"


class NameInvalid(RegistryError):
    code, status, message = "NAME_INVALID", 400, "invalid repository name"


class NameUnknown(RegistryError):
    code, status, message = "NAME_UNKNOWN", 404, "repository name not known to registry"


class SizeInvalid(RegistryError):
    code, status, message = "SIZE_INVALID", 400, "provided length did not match content length"


class Unauthorized(RegistryError):
    code, status, message = "UNAUTHORIZED", 401, "authentication required"


class Denied(RegistryError):
    code, status, message = "DENIED", 403, "requested access to the resource is denied"


class Unsupported(RegistryError):
    code, status, message = "UNSUPPORTED", 405, "the operation is unsupported"


class TagInvalid(RegistryError):
    code, status, message = "TAG_INVALID", 400, "manifest tag did not match URI"


class BadRequest(RegistryError):
    code, status, message = "BAD_REQUEST", 400, "bad request"


class PreconditionFailed(RegistryError):
    """Harbor's 412 for deleting a manifest that an index still references."""

    code, status, message = "VIOLATE_FOREIGN_KEY_CONSTRAINT", 412, "the manifest is referenced by an index"


class TooManyRequests(RegistryError):
    code, status, message = "TOOMANYREQUESTS", 429, "too many requests"


class ProjectPolicyViolation(RegistryError):
    """Harbor's 412 for a pull that a project policy refuses (an unsigned image, say)."""

    code, status, message = "PROJECTPOLICYVIOLATION", 412, "the project's policy refuses this pull"
