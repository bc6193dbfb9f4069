"""`system info/health/ping/statistics`: the server's own endpoints."""

from __future__ import annotations

import click

from ..cli import State, json_option, pass_state
from ..errors import ExitCode, HarborctlError
from ..output import Column, size


@click.group()
def system() -> None:
    """Server version, health, statistics."""


@system.command("ping")
@json_option
@pass_state
def ping(state: State) -> None:
    """Check that the server answers (no credentials needed)."""
    answer = state.client.get("/ping")
    text = answer if isinstance(answer, str) else str(answer)
    if state.json_mode:
        state.out.json({"url": state.client.base_url, "ping": text.strip()})
    else:
        state.out.line(text.strip())


@system.command("info")
@json_option
@pass_state
def info(state: State) -> None:
    """Version, authentication mode and settings the server shows its users."""
    state.out.record(state.client.get("/systeminfo"))


@system.command("health")
@json_option
@pass_state
def health(state: State) -> None:
    """Health of each component; exits 5 when any is unhealthy, for monitoring scripts."""
    data = state.client.get("/health")
    if state.json_mode:
        state.out.json(data)
    else:
        click.echo(f"overall: {data.get('status', '')}")
        state.out.table(
            data.get("components") or [],
            [Column("COMPONENT", "name"), Column("STATUS", "status"), Column("ERROR", "error")],
        )
    if data.get("status") != "healthy":
        raise HarborctlError(f"server is {data.get('status', 'unknown')}", ExitCode.SERVER)


@system.command("statistics")
@json_option
@pass_state
def statistics(state: State) -> None:
    """Counts of projects and repositories, and storage used (administrators only)."""
    data = state.client.get("/statistics")
    fields = [Column(key.replace("_", " "), key) for key in data if key != "total_storage_consumption"]
    if "total_storage_consumption" in data:
        fields.append(Column("total storage consumption", "total_storage_consumption", size))
    state.out.record(data, fields)
