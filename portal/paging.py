"""Long lists are paged: the page size is fixed so every list page costs the same queries."""

from __future__ import annotations

from typing import Any

from django.core.paginator import Page, Paginator
from django.http import HttpRequest

PAGE_SIZE = 25


def page_of(request: HttpRequest, items: Any, size: int = PAGE_SIZE) -> Page:
    """The requested page (`?page=`); a bad or too large number gives the nearest page."""
    return Paginator(items, size).get_page(request.GET.get("page"))
