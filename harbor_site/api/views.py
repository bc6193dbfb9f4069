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

from .errors import NotFound
from .pagination import HarborPagination
from .query import Field, parse_q, parse_sort


class HarborAPIView(APIView):
    """Thin views: each handler asks `permissions.require()` (or says `allow_anyone`) before
    touching data; a successful response from a handler that did neither is a bug, and
    this base refuses to send it."""

    q_fields: dict[str, Field] = {}
    sort_fields: dict[str, str] = {}
    default_ordering: list[str] = ["-id"]
    pagination = HarborPagination()

    def finalize_response(self, request: Request, response: Response, *args: Any, **kwargs: Any) -> Response:
        if response.status_code < 400 and not getattr(request, "permission_checked", False):
            raise ImproperlyConfigured(f"{type(self).__name__} answered without a permission check")
        return super().finalize_response(request, response, *args, **kwargs)

    def filtered(self, request: Request, queryset: QuerySet[Any]) -> QuerySet[Any]:
        """Apply `q` and `sort` as this view allows them."""
        queryset = queryset.filter(parse_q(request.query_params.get("q"), self.q_fields))
        return queryset.order_by(
            *parse_sort(request.query_params.get("sort"), self.sort_fields, self.default_ordering)
        )

    def paged(
        self, request: Request, queryset: QuerySet[Any] | list[Any], serialize: Callable[[Iterable[Any]], Any]
    ) -> Response:
        return self.pagination.response(request, queryset, serialize)


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
