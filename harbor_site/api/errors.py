"""Harbor's API error body `{"errors":[{"code","message"}]}`, one class per code."""

from __future__ import annotations

from typing import Any

from django.http import Http404
from rest_framework import exceptions
from rest_framework.response import Response


class APIError(exceptions.APIException):
    status_code = 500
    code = "UNKNOWN"

    def __init__(self, message: str | None = None) -> None:
        super().__init__(detail=message or self.default_detail)


class BadRequest(APIError):
    status_code, code, default_detail = 400, "BAD_REQUEST", "bad request"


class Unauthorized(APIError):
    status_code, code, default_detail = 401, "UNAUTHORIZED", "unauthorized"


class Forbidden(APIError):
    status_code, code, default_detail = 403, "FORBIDDEN", "forbidden"


class Denied(APIError):
    """Harbor's 403 for registry-level refusals (quota, read-only mode, copying an accessory)."""

    status_code, code, default_detail = 403, "DENIED", "denied"


class NotFound(APIError):
    status_code, code, default_detail = 404, "NOT_FOUND", "not found"


class Conflict(APIError):
    status_code, code, default_detail = 409, "CONFLICT", "conflict"


class PreconditionFailed(APIError):
    status_code, code, default_detail = 412, "PRECONDITION", "precondition failed"


class Unprocessable(APIError):
    """Harbor's 422: the request is well formed but names something it cannot apply to (scanning
    an artifact no scanner can read)."""

    status_code, code, default_detail = 422, "UNPROCESSABLE_ENTITY", "unprocessable entity"


class ForeignKeyViolation(APIError):
    status_code, code, default_detail = (
        412,
        "VIOLATE_FOREIGN_KEY_CONSTRAINT",
        "the resource is still referenced",
    )


_DRF_CODES = {
    exceptions.ValidationError: "BAD_REQUEST",
    exceptions.ParseError: "BAD_REQUEST",
    exceptions.NotAuthenticated: "UNAUTHORIZED",
    exceptions.AuthenticationFailed: "UNAUTHORIZED",
    exceptions.PermissionDenied: "FORBIDDEN",
    exceptions.NotFound: "NOT_FOUND",
    exceptions.MethodNotAllowed: "METHOD_NOT_ALLOWED",
    exceptions.NotAcceptable: "NOT_ACCEPTABLE",
    exceptions.UnsupportedMediaType: "UNSUPPORTED_MEDIA_TYPE",
    exceptions.Throttled: "TOO_MANY_REQUEST",
}


def _message(detail: Any) -> str:
    """Flatten DRF's nested validation details into one readable line."""
    if isinstance(detail, dict):
        return "; ".join(
            f"{field}: {_message(value)}" if field != "non_field_errors" else _message(value)
            for field, value in detail.items()
        )
    if isinstance(detail, list):
        return "; ".join(_message(item) for item in detail)
    return str(detail)


def error_body(code: str, message: str) -> dict[str, Any]:
    return {"errors": [{"code": code, "message": message}]}


def exception_handler(exc: Exception, context: dict[str, Any]) -> Response | None:
    """DRF's handler, with every error in Harbor's envelope and code."""
    # Imported here: rest_framework.views imports the authentication classes, which import us.
    from rest_framework.views import exception_handler as drf_exception_handler

    if isinstance(exc, Http404):
        exc = NotFound(str(exc) or "not found")
    response = drf_exception_handler(exc, context)
    if response is None:
        return None
    if isinstance(exc, APIError):
        code = exc.code
    else:
        code = next((c for kind, c in _DRF_CODES.items() if isinstance(exc, kind)), "UNKNOWN")
    detail = getattr(exc, "detail", str(exc))
    message = _message(detail) if response.status_code < 500 else "internal server error"
    response.data = error_body(code, message)
    return response
