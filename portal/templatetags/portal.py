"""Small display helpers of the portal's templates."""

from __future__ import annotations

from django import template

register = template.Library()


@register.filter
def short_digest(digest: str) -> str:
    """`sha256:0123456789ab…`: the first 12 hex digits, as docker shows image ids."""
    algorithm, _, encoded = (digest or "").partition(":")
    return f"{algorithm}:{encoded[:12]}" if encoded else digest


@register.simple_tag(takes_context=True)
def page_url(context: template.Context, number: int) -> str:
    """The current list's URL with another page number (the search is kept)."""
    query = context["request"].GET.copy()
    query["page"] = number
    return "?" + query.urlencode()
