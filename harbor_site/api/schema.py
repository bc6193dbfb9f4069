"""What every part of the OpenAPI document shares: authentication, Harbor's error body,
paging and query parameters, list headers, and the hooks that finish the document.

Each app describes its own resources next to its API (`projects/api_schema.py`,
`registry/api/schema.py`, `accounts/api/schema.py`, `events/api_schema.py`); the
views only name those descriptions in `@extend_schema`. The document is what
schemathesis checks the running server against (tests/e2e/test_openapi_schemathesis.py),
so a description that drifts from what a view returns fails the suite.
"""

from __future__ import annotations

from typing import Any

from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema, extend_schema_serializer
from drf_spectacular.views import SpectacularAPIView
from rest_framework import serializers
from rest_framework.renderers import JSONRenderer

from .pagination import DEFAULT_PAGE_SIZE, MAX_PAGE_SIZE


class BasicScheme(OpenApiAuthenticationExtension):
    target_class = "harbor_site.api.authentication.BasicAuthentication"
    name = "basic"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "http", "scheme": "basic"}


class SessionScheme(OpenApiAuthenticationExtension):
    target_class = "harbor_site.api.authentication.SessionAuthentication"
    name = "session"

    def get_security_definition(self, auto_schema: Any) -> dict[str, str]:
        return {"type": "apiKey", "in": "cookie", "name": "sessionid"}


# --- Harbor's error body ------------------------------------------------------------------------


@extend_schema_serializer(component_name="Error")
class ErrorSerializer(serializers.Serializer):
    code = serializers.CharField(help_text="Harbor's error code, e.g. NOT_FOUND, BAD_REQUEST, CONFLICT")
    message = serializers.CharField(help_text="what went wrong, for people")


@extend_schema_serializer(component_name="Errors")
class ErrorsSerializer(serializers.Serializer):
    errors = ErrorSerializer(many=True)


_ERROR_MEANINGS = {
    400: "Bad request: a parameter or the body is invalid.",
    401: "Unauthorized: no credentials where they are needed, or wrong ones.",
    403: "Forbidden: the caller may not do this.",
    404: "Not found.",
    409: "Conflict: the name is taken.",
    412: "Precondition failed.",
    422: "Unprocessable: the request cannot apply to this resource.",
    429: "Too many failed logins for this user from this address; try again later.",
    415: "Unsupported media type: the body is not JSON.",
}


def errors(*statuses: int) -> dict[int, OpenApiResponse]:
    """Responses with Harbor's error body for these statuses (see `add_common_errors` for those
    every operation gets)."""
    return {
        status: OpenApiResponse(ErrorsSerializer, description=_ERROR_MEANINGS[status]) for status in statuses
    }


def ok(serializer: Any = None, description: str = "Success", status: int = 200) -> dict[int, Any]:
    """A success response (`serializer` None: no body, as most of Harbor's writes answer)."""
    return {status: OpenApiResponse(serializer, description=description)}


# --- parameters -------------------------------------------------------------------------------

PAGE = OpenApiParameter(
    "page",
    {"type": "integer", "format": "int64", "minimum": 1, "default": 1},
    description="The page number, from 1.",
)
PAGE_SIZE = OpenApiParameter(
    "page_size",
    {
        "type": "integer",
        "format": "int64",
        "minimum": 1,
        "maximum": MAX_PAGE_SIZE,
        "default": DEFAULT_PAGE_SIZE,
    },
    description=f"The size of a page (at most {MAX_PAGE_SIZE}).",
)
# `q` and `sort` get the keys and fields of each view from `autoschema.HarborAutoSchema`.
Q = OpenApiParameter(
    "q",
    str,
    description=(
        "Harbor's query: comma-separated `key=value` terms; a value is exact (`v`), fuzzy (`~v`), "
        "a range (`[min~max]`), an OR list (`{a b}`) or an AND list (`(a b)`). Unknown keys are a 400."
    ),
)
SORT = OpenApiParameter("sort", str, description="Comma-separated fields to sort by; `-field` descending.")
TOTAL_COUNT = OpenApiParameter(
    "X-Total-Count",
    {"type": "integer", "format": "int64"},
    location=OpenApiParameter.HEADER,
    response=[200],
    required=True,
    description="How many items the whole list has.",
)
LINK = OpenApiParameter(
    "Link",
    str,
    location=OpenApiParameter.HEADER,
    response=[200],
    description='Links to the previous and next pages: `<url>; rel="prev" , <url>; rel="next"`.',
)
LOCATION = OpenApiParameter(
    "Location",
    str,
    location=OpenApiParameter.HEADER,
    response=[201],
    required=True,
    description="The URL of the created resource.",
)
IS_RESOURCE_NAME = OpenApiParameter(
    "X-Is-Resource-Name",
    bool,
    location=OpenApiParameter.HEADER,
    default=False,
    description="`true`: `project_name_or_id` is a name even when it is all digits.",
)
PROJECT_NAME_OR_ID = OpenApiParameter(
    "project_name_or_id",
    str,
    location=OpenApiParameter.PATH,
    description="The project's name, or its id when numeric (unless `X-Is-Resource-Name: true`).",
)
PROJECT_PATH = [PROJECT_NAME_OR_ID, IS_RESOURCE_NAME]


def path_id(name: str, description: str) -> OpenApiParameter:
    """A numeric id in the path (Django's `<int:...>`: anything else is an unknown path, a 404)."""
    return OpenApiParameter(name, int, location=OpenApiParameter.PATH, description=description)


def paging(*, query: bool = True, sort: bool = True) -> list[OpenApiParameter]:
    """The parameters and headers of a paged list (`q` and `sort` where the list takes them)."""
    return [*([Q] if query else []), *([SORT] if sort else []), PAGE, PAGE_SIZE, TOTAL_COUNT, LINK]


def flag(name: str, default: bool | None, description: str) -> OpenApiParameter:
    """A boolean query flag, read as go-swagger reads it (None: absent means no filter)."""
    return OpenApiParameter(name, bool, default=default, description=description)


# --- the document's own view and hooks --------------------------------------------------------


@extend_schema(exclude=True)
class OpenAPIDocumentView(SpectacularAPIView):
    """`/api/v2.0/openapi.json`: the document, as JSON whatever `Accept` says (the stock view
    answers YAML first), and not describing itself."""

    renderer_classes = [JSONRenderer]


def include_head_operations(endpoints: list[tuple[str, str, str, Any]]) -> list[tuple[str, str, str, Any]]:
    """drf-spectacular leaves HEAD out; a view that answers HEAD itself (Harbor's `headProject`)
    has an operation of its own, so it is described too. Views where Django answers HEAD with
    their GET are not: that HEAD is GET without the body."""
    result = []
    for path, regex, method, callback in endpoints:
        result.append((path, regex, method, callback))
        view = getattr(callback, "cls", None)
        if method == "GET" and view is not None and any("head" in vars(k) for k in view.__mro__):
            result.append((path, regex, "HEAD", callback))
    return result


_CLOSED_COMPONENTS: set[str] = set()


def closed(component_name: str) -> None:
    """Say that an object refuses keys it does not list (`additionalProperties: false`), which
    serializers cannot express; `close_components` writes it into the document."""
    _CLOSED_COMPONENTS.add(component_name)


def close_components(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    schemas = result.get("components", {}).get("schemas", {})
    for name in _CLOSED_COMPONENTS & set(schemas):
        schemas[name]["additionalProperties"] = False
    return result


def add_common_errors(result: dict[str, Any], generator: Any, request: Any, public: bool) -> dict[str, Any]:
    """What every view can answer whatever it does, said once here rather than on each view:
    401 (wrong credentials are refused before any view runs), 429 (a locked-out login), and,
    where an operation takes query parameters or a body, 400 (`HarborAPIView` refuses NUL
    characters in them; a path holding one is a 404), and where it takes a body, 415 (a
    Content-Type other than JSON)."""
    for operations in result.get("paths", {}).values():
        for method, operation in operations.items():
            responses = operation.setdefault("responses", {})
            statuses = [401, 429]
            if "requestBody" in operation or any(p["in"] == "query" for p in operation.get("parameters", [])):
                statuses.append(400)
            if "requestBody" in operation:
                statuses.append(415)
            for status in statuses:
                response: dict[str, Any] = {"description": _ERROR_MEANINGS[status]}
                if method != "head":  # a HEAD answer never has a body
                    response["content"] = {"application/json": {"schema": {"$ref": _ERRORS_REF}}}
                responses.setdefault(str(status), response)
    return result


_ERRORS_REF = "#/components/schemas/Errors"
