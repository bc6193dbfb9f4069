"""`quotas list` over `/quotas`: storage used and allowed per project."""

from __future__ import annotations

from typing import Any

import click

from ..cli import Listing, State, fetch_list, list_options, pass_state, project_id
from ..output import Column, size


def _storage(quota: dict[str, Any], key: str) -> Any:
    return (quota.get(key) or {}).get("storage")


COLUMNS = [
    Column("ID", "id"),
    Column("PROJECT", "ref.name"),
    Column("USED", lambda q: _storage(q, "used"), size),
    Column("LIMIT", lambda q: _storage(q, "hard"), size),
    Column("UPDATED", "update_time"),
]


@click.group()
def quotas() -> None:
    """Project storage quotas."""


@quotas.command("list")
@click.option("--project", help="Only this project's quota.")
@list_options(query=False, sort=True)
@pass_state
def list_quotas(state: State, project: str | None, listing: Listing) -> None:
    """List project quotas, e.g. `--sort -used.storage` for the biggest first."""
    params: dict[str, Any] = {"reference": "project", "sort": listing.sort}
    if project:
        params["reference_id"] = project_id(state, project)
    state.out.table(fetch_list(state, "/quotas", listing, params, what="quotas"), COLUMNS)
