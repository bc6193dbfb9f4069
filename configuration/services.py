"""Changing the system configuration: validated, stored together and audited, the same way
whoever asks (the REST API, the portal's settings page)."""

from __future__ import annotations

from typing import Any

from events.bus import publish
from events.domain import ConfigurationUpdated

from .store import update_config


def change_configuration(operator: str, changes: dict[str, Any]) -> None:
    """Store `changes` (ConfigError naming the first bad key, and nothing stored, otherwise)."""
    update_config(changes)
    publish(ConfigurationUpdated(operator, keys=tuple(sorted(changes))))
