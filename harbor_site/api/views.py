"""The base of every `/api/v2.0/` view."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from django.core.exceptions import ImproperlyConfigured
from django.db.models import QuerySet
from rest_framework.request import Request
from rest_framework.response import Response
from rest_framework.views import APIView

from projects.models import Project

from .errors import BadRequest, NotFound
from .pagination import HarborPagination
from .query import Field, filter_by_q, parse_sort


class HarborAPIView(APIView):
    """Thin views: each handler asks `permissions.require()` (or says `allow_anyone`) before
    touching data; a successful response from a handler that did neither is a bug, and
    this base refuses to send it."""

    q_fields: dict[str, Field] = {}
    sort_fields: dict[str, str] = {}
    default_ordering: list[str] = ["-id"]
    pagination = HarborPagination()

    def initial(self, request: Request, *args: Any, **kwargs: Any) -> None:
        """No name holds a NUL character, and PostgreSQL cannot compare one: a path holding one
        names nothing (404), a query parameter holding one is a 400, on every database alike
        (bodies: `parsers.HarborJSONParser`)."""
        super().initial(request, *args, **kwargs)
        if "\x00" in request.path:
            raise NotFound(f"no resource at {request.path!r}")
        for name, value in request.query_params.lists():
            if "\x00" in name or any("\x00" in item for item in value):
                raise BadRequest(f"the query parameter {name!r} must not hold a NUL character")

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        if response.status_code < 400 and not getattr(request, "permission_checked", False):
            raise ImproperlyConfigured(f"{type(self).__name__} answered without a permission check")
        return super().finalize_response(request, response, *args, **kwargs)

    def filtered(self, request: Request, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Apply `q` and `sort` as this view allows them."""
        queryset = filter_by_q(queryset, request.query_params.get("q"), self.q_fields)
        return queryset.order_by(
            *parse_sort(request.query_params.get("sort"), self.sort_fields, self.default_ordering)
        )

    def paged(
        self, request: Request, queryset: QuerySet[Any] | list[Any], serialize: Callable[[Iterable[Any]], Any]
    ) -> Response:
        return self.pagination.response(request, queryset, serialize)


def query_int(request: Request, name: str) -> int | None:
    """An integer query parameter (absent or empty: None). Anything else is a 400 here, rather
    than a ValueError from the database lookup it is meant for."""
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return None
    try:
        return int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be an integer, not {raw!r}") from None


def project_from_path(request: Request, name_or_id: str) -> Project:
    """`{project_name_or_id}`: an id when numeric unless `X-Is-Resource-Name: true`."""
    by_name = request.headers.get("X-Is-Resource-Name", "").lower() == "true" or not name_or_id.isdigit()
    project = (
        Project.objects.filter(name=name_or_id).first()
        if by_name
        else Project.objects.filter(pk=int(name_or_id)).first()
    )
    if project is None:
        raise NotFound(f"project {name_or_id} not found")
    return project
