"""Docker token scopes: `repository:library/nginx:pull,push`, `registry:catalog:*`."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, slots=True)
class Scope:
    type: str
    name: str
    actions: tuple[str, ...]

    def __str__(self) -> str:
        return f"{self.type}:{self.name}:{','.join(self.actions)}"


def parse_scopes(values: list[str]) -> list[Scope]:
    """Parse `scope` parameters (repeated and/or space-separated); malformed ones are skipped.

    The name sits between the first and the last colon, so a name with a
    registry host and port (`host:5000/repo`) still parses.
    """
    scopes = []
    for value in values:
        for item in value.split():
            kind, _, rest = item.partition(":")
            name, _, actions = rest.rpartition(":")
            if kind and name:
                scopes.append(Scope(kind, name, tuple(a for a in actions.split(",") if a)))
    return scopes
