"""Request bodies of `/api/v2.0/`: the one place they are checked.

Go's JSON decoding, which Harbor uses, drops fields it does not know; a typo in a field name
(`projet_name`) then silently does nothing. Here an unknown field is a 400 that names it. Some
of Harbor's clients send a whole resource back (harborapi's `update_robot` sends the Robot with
its read-only `id`, `creation_time`...); a view lists such fields in `ignored`, and they are
accepted and have no effect.
"""

from __future__ import annotations

from collections.abc import Collection
from typing import Any

from rest_framework import serializers
from rest_framework.request import Request

from .errors import BadRequest


def validated(
    serializer: type[serializers.Serializer], request: Request, ignored: Collection[str] = ()
) -> dict[str, Any]:
    """The request body checked by `serializer`; a 400 naming each unknown or bad field."""
    body = request.data
    if not isinstance(body, dict):
        raise BadRequest("the request body must be a JSON object")
    unknown = set(body) - set(serializer().fields) - set(ignored)
    if unknown:
        raise BadRequest(f"unknown field{'s' if len(unknown) > 1 else ''}: {', '.join(sorted(unknown))}")
    form = serializer(data=body)
    for name, field in form.fields.items():
        _check_json_type(name, field, body.get(name, None))
    form.is_valid(raise_exception=True)
    return form.validated_data


# DRF converts between types (`"5"` into 5, 5 into `"5"`, `"yes"` into True); a JSON body that
# sends the wrong type is a client's mistake worth telling, as Harbor's typed decoding does.
_JSON_TYPES: list[tuple[type[serializers.Field], type | tuple[type, ...], str]] = [
    (serializers.BooleanField, bool, "a boolean"),
    (serializers.IntegerField, int, "an integer"),
    (serializers.CharField, str, "a string"),
]


def _check_json_type(name: str, field: serializers.Field, value: Any) -> None:
    if value is None:
        return  # absent, or null: the field's own rules decide
    for kind, python_type, described in _JSON_TYPES:
        if isinstance(field, kind):
            wrong = not isinstance(value, python_type) or (python_type is int and isinstance(value, bool))
            if wrong:
                raise BadRequest(f"{name} must be {described}, not {json_type(value)}")
            return


def json_type(value: Any) -> str:
    """The JSON name of a decoded value's type, for messages."""
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "a string"
    if isinstance(value, list):
        return "an array"
    return "an object"
