"""`labels list` over `/labels` (global labels, or a project's with --project)."""

from __future__ import annotations

import click

from ..cli import Listing, State, fetch_list, list_options, pass_state, project_id
from ..output import Column

COLUMNS = [
    Column("ID", "id"),
    Column("NAME", "name"),
    Column(
        "SCOPE", lambda label: {"g": "global", "p": "project"}.get(label.get("scope", ""), label.get("scope"))
    ),
    Column("COLOR", "color"),
    Column("DESCRIPTION", "description"),
]


@click.group()
def labels() -> None:
    """Labels for artifacts."""


@labels.command("list")
@click.option("--project", help="The labels of this project instead of the global ones.")
@click.option("--name", help="Only labels whose name matches.")
@list_options(query=True, sort=True)
@pass_state
def list_labels(state: State, project: str | None, name: str | None, listing: Listing) -> None:
    """List global labels, or a project's labels with --project."""
    if project:
        params = listing.params(scope="p", project_id=project_id(state, project), name=name)
    else:
        params = listing.params(scope="g", name=name)
    state.out.table(fetch_list(state, "/labels", listing, params, what="labels"), COLUMNS)
