"""The JSON parser of `/api/v2.0/`: DRF's, refusing NUL characters anywhere in the document.

No Harbor name, description or setting holds one, PostgreSQL can store none (neither in
text nor in jsonb), and SQLite would store what PostgreSQL refuses; refusing them when the
body is read gives one 400 on every database instead of a 500 on one of them.
"""

from __future__ import annotations

from typing import Any

from rest_framework.exceptions import ParseError
from rest_framework.parsers import JSONParser


def holds_nul(value: Any) -> bool:
    if isinstance(value, str):
        return "\x00" in value
    if isinstance(value, dict):
        return any(holds_nul(key) or holds_nul(item) for key, item in value.items())
    if isinstance(value, list):
        return any(holds_nul(item) for item in value)
    return False


class HarborJSONParser(JSONParser):
    def parse(self, stream: Any, media_type: str | None = None, parser_context: Any = None) -> Any:
        data = super().parse(stream, media_type, parser_context)
        if holds_nul(data):
            raise ParseError("JSON strings must not hold NUL (\\u0000) characters")
        return data
