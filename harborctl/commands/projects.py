"""`projects list/get/create/delete/exists` over `/projects`."""

from __future__ import annotations

from typing import Any

import click

from ..cli import (
    Listing,
    State,
    fetch_list,
    json_option,
    list_options,
    parse_key_values,
    parse_size,
    pass_state,
)
from ..client import segment
from ..errors import ExitCode, HarborctlError
from ..output import Column

COLUMNS = [
    Column("NAME", "name"),
    Column("ID", "project_id"),
    Column("PUBLIC", lambda p: (p.get("metadata") or {}).get("public") == "true"),
    Column("REPOS", "repo_count"),
    Column("OWNER", "owner_name"),
    Column("CREATED", "creation_time"),
]

DETAIL = [
    Column("name", "name"),
    Column("id", "project_id"),
    Column("public", lambda p: (p.get("metadata") or {}).get("public") == "true"),
    Column("owner", "owner_name"),
    Column("repositories", "repo_count"),
    Column("created", "creation_time"),
    Column("updated", "update_time"),
    Column("proxy cache of registry", "registry_id"),
    Column(
        "metadata",
        lambda p: ", ".join(f"{k}={v}" for k, v in sorted((p.get("metadata") or {}).items())),
    ),
    Column(
        "cve allowlist",
        lambda p: " ".join(i.get("cve_id", "") for i in (p.get("cve_allowlist") or {}).get("items") or []),
    ),
]


def project_path(name: str) -> str:
    return f"/projects/{segment(name)}"


def not_found(name: str) -> str:
    return f'project "{name}"'


@click.group()
def projects() -> None:
    """Projects: namespaces of repositories."""


@projects.command("list")
@click.option("--name", help="Only projects whose name contains this.")
@click.option("--public/--private", default=None, help="Only public (or only private) projects.")
@click.option("--owner", help="Only projects owned by this user.")
@list_options()
@pass_state
def list_projects(
    state: State, name: str | None, public: bool | None, owner: str | None, listing: Listing
) -> None:
    """List the projects you can see."""
    params = listing.params(name=name, owner=owner, public=None if public is None else str(public).lower())
    state.out.table(fetch_list(state, "/projects", listing, params, what="projects"), COLUMNS)


@projects.command("get")
@click.argument("name")
@json_option
@pass_state
def get_project(state: State, name: str) -> None:
    """Show one project."""
    state.out.record(state.client.get(project_path(name), not_found=not_found(name)), DETAIL)


@projects.command("create")
@click.argument("name")
@click.option(
    "--public/--private", default=False, show_default=True, help="Anyone may pull from a public project."
)
@click.option("--storage-limit", help="Quota, e.g. 10G or 500MiB (binary units); -1 for unlimited.")
@click.option(
    "--metadata", "metadata", multiple=True, metavar="KEY=VALUE", help="Project metadata (repeatable)."
)
@json_option
@pass_state
def create_project(
    state: State, name: str, public: bool, storage_limit: str | None, metadata: tuple[str, ...]
) -> None:
    """Create a project."""
    body: dict[str, Any] = {
        "project_name": name,
        "metadata": {**parse_key_values(metadata), "public": str(public).lower()},
    }
    if storage_limit is not None:
        body["storage_limit"] = parse_size(storage_limit)
    state.client.post("/projects", body)
    if state.json_mode:
        state.out.json(state.client.get(project_path(name), not_found=not_found(name)))
    else:
        state.out.done(f'Created project "{name}".')


@projects.command("delete")
@click.argument("name")
@json_option
@pass_state
def delete_project(state: State, name: str) -> None:
    """Delete a project (it must hold no repositories)."""
    state.client.delete(project_path(name), not_found=not_found(name))
    state.out.done(f'Deleted project "{name}".', {"deleted": name})


@projects.command("exists")
@click.argument("name")
@json_option
@pass_state
def project_exists(state: State, name: str) -> None:
    """Exit 0 if the project exists, 2 if not (names are global: private ones count too)."""
    found = state.client.exists("/projects", params={"project_name": name})
    if state.json_mode:
        state.out.json({"name": name, "exists": found})
    if not found:
        raise HarborctlError(f"{not_found(name)} not found", ExitCode.NOT_FOUND)
    if not state.json_mode:
        state.out.done(f'Project "{name}" exists.')
