"""The AutoSchema of every `/api/v2.0/` view: drf-spectacular's, with `q` and `sort` described
from the view's own `q_fields` and `sort_fields`, the data `HarborAPIView.filtered()` uses, so
the document names exactly the keys and fields a view accepts; and anonymous access, which no
DRF permission class tells drf-spectacular about, written down."""

from __future__ import annotations

import re
from collections.abc import Iterable
from typing import Any

from drf_spectacular.openapi import AutoSchema


def sort_pattern(fields: Iterable[str]) -> str:
    """`field` or `-field`, comma-separated, for these fields."""
    names = "|".join(re.escape(name) for name in sorted(fields))
    return rf"^-?({names})(,-?({names}))*$"


def describe_sort(parameter: dict[str, Any], fields: Iterable[str]) -> None:
    fields = sorted(fields)
    parameter["schema"]["pattern"] = sort_pattern(fields)
    parameter["description"] = (
        f"Comma-separated fields to sort by, `-field` descending: {', '.join(fields)}. Others are a 400."
    )


def describe_query(parameter: dict[str, Any], keys: Iterable[str]) -> None:
    parameter["description"] += f" Keys: {', '.join(sorted(keys))}."


class HarborAutoSchema(AutoSchema):
    def get_auth(self) -> list[dict[str, list[str]]]:
        """Basic, a session, or no credentials at all: each view asks `permissions.require()`, which
        lets anonymous callers read what is public and answers 401 where a user is needed."""
        return [*super().get_auth(), {}]

    def get_operation(self, *args: Any, **kwargs: Any) -> dict[str, Any] | None:
        operation = super().get_operation(*args, **kwargs)
        if operation is None:
            return None
        q_fields = getattr(self.view, "q_fields", None)
        sort_fields = getattr(self.view, "sort_fields", None)
        for parameter in operation.get("parameters", []):
            if parameter["in"] != "query" or "pattern" in parameter["schema"]:
                continue  # described by the view itself
            if parameter["name"] == "sort" and sort_fields:
                describe_sort(parameter, sort_fields)
            elif parameter["name"] == "q" and q_fields:
                describe_query(parameter, q_fields)
        return operation
