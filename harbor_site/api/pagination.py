"""Harbor's paging: `page` (from 1) and `page_size` (default 10, at most 100), the total in
`X-Total-Count`, and `Link` with `rel="prev"`/`rel="next"` joined by ` , `; the body is
the plain list."""

from __future__ import annotations

from typing import Any
from urllib.parse import quote, urlencode

from django.db.models import QuerySet
from rest_framework.request import Request
from rest_framework.response import Response

from .errors import BadRequest

DEFAULT_PAGE_SIZE = 10
MAX_PAGE_SIZE = 100


def _positive(request: Request, name: str, default: int) -> int:
    raw = request.query_params.get(name)
    if raw in (None, ""):
        return default
    try:
        value = int(raw)
    except ValueError:
        raise BadRequest(f"{name} must be an integer, not {raw!r}") from None
    if value < 1:
        raise BadRequest(f"{name} must be at least 1")
    return value


class HarborPagination:
    def paginate(
        self, request: Request, queryset: QuerySet[Any] | list[Any]
    ) -> tuple[list[Any], dict[str, str]]:
        """The page's items and the headers to send with them."""
        page = _positive(request, "page", 1)
        size = _positive(request, "page_size", DEFAULT_PAGE_SIZE)
        if size > MAX_PAGE_SIZE:
            raise BadRequest(f"page_size must be at most {MAX_PAGE_SIZE}")
        total = queryset.count() if isinstance(queryset, QuerySet) else len(queryset)
        # A page past the end is empty; not asking the database for it also keeps an offset
        # beyond what it can hold (page=10**18) from failing there.
        items = list(queryset[(page - 1) * size : page * size]) if (page - 1) * size < total else []
        links = []
        if page > 1:
            links.append(f'<{self._url(request, page - 1, size)}>; rel="prev"')
        if page * size < total:
            links.append(f'<{self._url(request, page + 1, size)}>; rel="next"')
        headers = {"X-Total-Count": str(total)}
        if links:
            headers["Link"] = " , ".join(links)
        return items, headers

    @staticmethod
    def _url(request: Request, page: int, size: int) -> str:
        params = {k: v for k, v in request.query_params.items() if k not in ("page", "page_size")}
        params.update(page=str(page), page_size=str(size))
        # Django hands us the path decoded once; quoting it again keeps names that clients
        # send encoded twice (a repository `a/b` travels as `a%252Fb`) working in the link.
        return f"{quote(request.path, safe='/:@')}?{urlencode(params)}"

    def response(self, request: Request, queryset: Any, serialize: Any) -> Response:
        items, headers = self.paginate(request, queryset)
        return Response(serialize(items), headers=headers)
