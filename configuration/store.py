"""Reading and changing the system configuration; the one place that knows where values live.

Precedence: an environment override (`HARBOR_CONFIG_<KEY>`, read-only), then the
stored value, then the default.
"""

from __future__ import annotations

import json
import os
from typing import Any

from django.db import transaction

from .keys import KEYS, Key
from .models import ConfigEntry


class ConfigError(ValueError):
    """An unknown key, a value of the wrong type, or a key fixed by the environment."""


def _env_name(key: str) -> str:
    return f"HARBOR_CONFIG_{key.upper()}"


def _coerce(key: Key, value: Any) -> Any:
    if key.type is bool:
        if isinstance(value, str) and value.lower() in ("true", "false"):
            value = value.lower() == "true"
        if not isinstance(value, bool):
            raise ConfigError(f"{key.name} must be a boolean")
    elif key.type is int:
        try:
            value = int(value)
        except (TypeError, ValueError, OverflowError):  # OverflowError: 1e400 arrives as infinity
            raise ConfigError(f"{key.name} must be an integer") from None
    elif not isinstance(value, str):
        raise ConfigError(f"{key.name} must be a string")
    if key.choices and value not in key.choices:
        raise ConfigError(f"{key.name} must be one of {', '.join(map(str, key.choices))}")
    return value


def from_environment(name: str) -> Any | None:
    raw = os.environ.get(_env_name(name))
    if raw is None:
        return None
    key = KEYS[name]
    try:
        parsed = raw if key.type is str else json.loads(raw)
    except json.JSONDecodeError:
        parsed = raw
    return _coerce(key, parsed)


def get_config() -> dict[str, Any]:
    """Every key's current value (one query)."""
    stored = dict(ConfigEntry.objects.values_list("key", "value"))
    values = {}
    for name, key in KEYS.items():
        env_value = from_environment(name)
        values[name] = env_value if env_value is not None else stored.get(name, key.default)
    return values


def get(name: str) -> Any:
    if name not in KEYS:
        raise ConfigError(f"unknown configuration key {name}")
    env_value = from_environment(name)
    if env_value is not None:
        return env_value
    entry = ConfigEntry.objects.filter(key=name).values_list("value", flat=True).first()
    return KEYS[name].default if entry is None else entry


def is_editable(name: str) -> bool:
    return from_environment(name) is None


def update_config(changes: dict[str, Any]) -> None:
    """Validate every change first, then store them together."""
    cleaned = {}
    for name, value in changes.items():
        if name not in KEYS:
            raise ConfigError(f"unknown configuration key {name}")
        if not is_editable(name):
            raise ConfigError(f"{name} is set by the environment and cannot be changed")
        cleaned[name] = _coerce(KEYS[name], value)
    with transaction.atomic():
        for name, value in cleaned.items():
            ConfigEntry.objects.update_or_create(key=name, defaults={"value": value})
