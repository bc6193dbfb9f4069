"""Harbor's `q=` and `sort=` query syntax, turned into Django filters.

`q` is comma-separated `key=value` terms; a value is exact (`v`, a leading `\\`
escapes), fuzzy (`~v`), a range (`[min~max]`, either side may be empty), an OR
list (`{a b c}`) or an AND list (`(a b c)`). `sort` is `field,-field`. Each
view names the keys it accepts and the model fields they mean; anything else
is a 400 naming the problem.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import unquote

from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.utils import timezone

from .errors import BadRequest


@dataclass(frozen=True)
class Field:
    """A `q` key: the model field it filters, and what `~` means for it."""

    lookup: str
    fuzzy: str = "icontains"


def _typed(value: str) -> object:
    value = value.strip().strip('"').strip("'")
    if re.fullmatch(r"-?\d+", value):
        return int(value)
    try:
        parsed = datetime.strptime(value, "%Y-%m-%dT%H:%M:%S")
    except ValueError:
        return value
    return timezone.make_aware(parsed, timezone.utc)


def split_terms(q: str) -> list[str]:
    """Split on commas that are not inside [], {} or ()."""
    terms, depth, current = [], 0, ""
    for char in q:
        if char in "[{(":
            depth += 1
        elif char in "]})":
            depth -= 1
        if char == "," and depth == 0:
            terms.append(current)
            current = ""
        else:
            current += char
    if depth != 0:
        raise BadRequest(f"invalid query {q!r}: unbalanced brackets")
    terms.append(current)
    return [term for term in terms if term.strip()]


def _term(field: Field, value: str) -> Q:
    if value.startswith("\\"):
        return Q(**{field.lookup: _typed(value[1:])})
    if value.startswith("~"):
        return Q(**{f"{field.lookup}__{field.fuzzy}": value[1:]})
    if value.startswith("[") and value.endswith("]"):
        low, sep, high = value[1:-1].partition("~")
        if not sep:
            raise BadRequest(f"invalid range {value!r}: use [min~max]")
        condition = Q()
        if low.strip():
            condition &= Q(**{f"{field.lookup}__gte": _typed(low)})
        if high.strip():
            condition &= Q(**{f"{field.lookup}__lte": _typed(high)})
        return condition
    if value.startswith("{") and value.endswith("}"):
        return Q(**{f"{field.lookup}__in": [_typed(v) for v in value[1:-1].split()]})
    if value.startswith("(") and value.endswith(")"):
        condition = Q()
        for part in value[1:-1].split():
            condition &= Q(**{field.lookup: _typed(part)})
        return condition
    return Q(**{field.lookup: _typed(value)})


def parse_q(q: str | None, fields: dict[str, Field]) -> Q:
    if not q:
        return Q()
    condition = Q()
    for term in split_terms(unquote(q)):
        key, sep, value = term.partition("=")
        key = key.strip()
        if not sep or not key:
            raise BadRequest(f"invalid query term {term!r}: use key=value")
        if key not in fields:
            raise BadRequest(f"unknown query key {key!r}; known: {', '.join(sorted(fields))}")
        condition &= _term(fields[key], value.strip())
    return condition


def filter_by_q(queryset: QuerySet, q: str | None, fields: dict[str, Field]) -> QuerySet:
    """`queryset` cut down by `q`. A value its field cannot hold (`project_id=abc`, a malformed
    time) is a 400 like an unknown key: Django refuses it while building the filter, and that
    refusal would otherwise surface as a 500."""
    condition = parse_q(q, fields)
    try:
        return queryset.filter(condition)
    except ValidationError as exc:
        raise BadRequest(f"invalid query {q!r}: {'; '.join(exc.messages)}") from None
    except (ValueError, TypeError) as exc:
        raise BadRequest(f"invalid query {q!r}: {exc}") from None


def parse_sort(sort: str | None, fields: dict[str, str], default: list[str]) -> list[str]:
    if not sort:
        return default
    ordering = []
    for item in sort.split(","):
        item = item.strip()
        descending = item.startswith("-")
        name = item.lstrip("-")
        if name not in fields:
            raise BadRequest(f"cannot sort by {name!r}; known: {', '.join(sorted(fields))}")
        ordering.append(("-" if descending else "") + fields[name])
    return ordering
