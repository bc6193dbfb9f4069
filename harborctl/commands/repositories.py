"""`repositories list/get/delete` over `/repositories` and `/projects/{p}/repositories`."""

from __future__ import annotations

import click

from ..cli import Listing, RepoRef, RepoRefType, State, fetch_list, json_option, list_options, pass_state
from ..client import repository_segment, segment
from ..output import Column

COLUMNS = [
    Column("NAME", "name"),
    Column("ARTIFACTS", "artifact_count"),
    Column("PULLS", "pull_count"),
    Column("UPDATED", "update_time"),
]

DETAIL = [
    Column("name", "name"),
    Column("id", "id"),
    Column("project id", "project_id"),
    Column("description", "description"),
    Column("artifacts", "artifact_count"),
    Column("pulls", "pull_count"),
    Column("created", "creation_time"),
    Column("updated", "update_time"),
]


def repository_path(ref: RepoRef) -> str:
    """`/projects/{p}/repositories/{repo}`, the repository part encoded twice as Harbor wants."""
    return f"/projects/{segment(ref.project)}/repositories/{repository_segment(ref.repository)}"


def not_found(ref: RepoRef) -> str:
    return f'repository "{ref.full_name}"'


@click.group()
def repositories() -> None:
    """Repositories of a project."""


@repositories.command("list")
@click.argument("project", required=False)
@list_options()
@pass_state
def list_repositories(state: State, project: str | None, listing: Listing) -> None:
    """List the repositories of PROJECT (all you can see without it)."""
    if project:
        path, missing = f"/projects/{segment(project)}/repositories", f'project "{project}"'
    else:
        path, missing = "/repositories", None
    items = fetch_list(state, path, listing, listing.params(), not_found=missing, what="repositories")
    state.out.table(items, COLUMNS)


@repositories.command("get")
@click.argument("repository", type=RepoRefType("forbidden"))
@json_option
@pass_state
def get_repository(state: State, repository: RepoRef) -> None:
    """Show PROJECT/REPOSITORY."""
    data = state.client.get(repository_path(repository), not_found=not_found(repository))
    state.out.record(data, DETAIL)


@repositories.command("delete")
@click.argument("repository", type=RepoRefType("forbidden"))
@json_option
@pass_state
def delete_repository(state: State, repository: RepoRef) -> None:
    """Delete PROJECT/REPOSITORY with all its artifacts and tags."""
    state.client.delete(repository_path(repository), not_found=not_found(repository))
    state.out.done(f'Deleted repository "{repository.full_name}".', {"deleted": repository.full_name})
