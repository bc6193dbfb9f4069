"""`audit-logs list` over `/auditlog-exts` (Harbor 2.13+), falling back to the legacy `/audit-logs`."""

from __future__ import annotations

from typing import Any

import click

from ..cli import Listing, State, fetch_list, list_options, pass_state
from ..client import segment
from ..errors import APIError
from ..output import Column

COLUMNS = [
    Column("TIME", "op_time"),
    Column("USER", "username"),
    Column("OPERATION", "operation"),
    Column("TYPE", "resource_type"),
    Column("RESOURCE", "resource"),
    Column(
        "RESULT",
        lambda log: "" if "operation_result" not in log else ("ok" if log["operation_result"] else "failed"),
    ),
    Column("DESCRIPTION", "operation_description"),
]


@click.group(name="audit-logs")
def audit_logs() -> None:
    """Audit log: who did what, when."""


@audit_logs.command("list")
@click.option("--project", help="Only this project's entries.")
@click.option("--legacy", is_flag=True, help="Use the deprecated /audit-logs endpoint.")
@list_options()
@pass_state
def list_audit_logs(state: State, project: str | None, legacy: bool, listing: Listing) -> None:
    """List audit log entries, newest first (e.g. -q 'operation=delete,username=admin')."""
    params: dict[str, Any] = listing.params()
    if project:
        base, old = f"/projects/{segment(project)}/auditlog-exts", f"/projects/{segment(project)}/logs"
        missing: str | None = f'project "{project}"'
    else:
        base, old, missing = "/auditlog-exts", "/audit-logs", None
    if legacy:
        items = fetch_list(state, old, listing, params, not_found=missing, what="entries")
    else:
        try:
            items = fetch_list(state, base, listing, params, what="entries")
        except APIError as exc:
            if exc.status != 404:
                raise
            # A server without the extended log (older Harbor), or a project that does not exist:
            # the legacy endpoint answers the first and names the project for the second.
            items = fetch_list(state, old, listing, params, not_found=missing, what="entries")
    state.out.table(items, COLUMNS)
