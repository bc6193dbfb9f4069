"""`robots list/get/create/delete/refresh-secret` over `/robots`.

A robot's secret is shown once, when it is created or refreshed; it is the
only secret harborctl ever prints.
"""

from __future__ import annotations

from typing import Any

import click

from ..cli import (
    Listing,
    State,
    fetch_list,
    json_option,
    list_options,
    pass_state,
    project_id,
    read_secret_stdin,
)
from ..errors import ExitCode, HarborctlError
from ..output import Column, unix_time

COLUMNS = [
    Column("ID", "id"),
    Column("NAME", "name"),
    Column("LEVEL", "level"),
    Column("DISABLED", "disable"),
    Column("EXPIRES", "expires_at", unix_time),
    Column("DESCRIPTION", "description"),
]


def _permissions(robot: dict[str, Any]) -> str:
    parts = []
    for permission in robot.get("permissions") or []:
        access = " ".join(f"{a.get('resource')}:{a.get('action')}" for a in permission.get("access") or [])
        parts.append(f"{permission.get('kind')}/{permission.get('namespace')}: {access}")
    return "; ".join(parts)


DETAIL = [
    Column("id", "id"),
    Column("name", "name"),
    Column("description", "description"),
    Column("level", "level"),
    Column("disabled", "disable"),
    Column("duration (days)", "duration"),
    Column("expires", "expires_at", unix_time),
    Column("permissions", _permissions),
    Column("created", "creation_time"),
]


def _access(values: tuple[str, ...], option: str) -> list[dict[str, str]]:
    result = []
    for value in values:
        resource, sep, action = value.partition(":")
        if not sep or not resource or not action:
            raise click.BadParameter(
                f"{value!r}: expected RESOURCE:ACTION, e.g. repository:pull", param_hint=option
            )
        result.append({"resource": resource, "action": action})
    return result


def robot_query(state: State, project: str | None) -> str | None:
    """Project admins may only list their project's robots, which Harbor asks for with q."""
    return f"Level=project,ProjectID={project_id(state, project)}" if project else None


def find_robot(state: State, robot: str, project: str | None) -> int:
    """A robot id from an id, a full name (`robot$proj+ci`), a name without the prefix
    (`proj+ci`, `sys1`) or, with --project, the robot's own name (`ci`)."""
    if robot.isdigit():
        return int(robot)
    query = robot_query(state, project)
    for item in state.client.iterate("/robots", {"q": query}):
        name = str(item.get("name", ""))
        short = name.split("$", 1)[-1]  # without the name prefix (`robot$` by default)
        if robot in (name, short) or (project and short == f"{project}+{robot}"):
            return int(item["id"])
    raise HarborctlError(f'robot "{robot}" not found', ExitCode.NOT_FOUND)


@click.group()
def robots() -> None:
    """Robot accounts for CI and machines."""


@robots.command("list")
@click.option("--project", help="Only the robots of this project.")
@list_options()
@pass_state
def list_robots(state: State, project: str | None, listing: Listing) -> None:
    """List robot accounts (system-wide needs admin; use --project as a project admin)."""
    query = robot_query(state, project)
    if listing.query:
        query = f"{query},{listing.query}" if query else listing.query
    params = {"q": query, "sort": listing.sort}
    state.out.table(fetch_list(state, "/robots", listing, params, what="robots"), COLUMNS)


@robots.command("get")
@click.argument("robot")
@click.option("--project", help="The robot's project (lets ROBOT be its short name).")
@json_option
@pass_state
def get_robot(state: State, robot: str, project: str | None) -> None:
    """Show a robot account (by id or name)."""
    robot_id = find_robot(state, robot, project)
    state.out.record(state.client.get(f"/robots/{robot_id}", not_found=f'robot "{robot}"'), DETAIL)


@robots.command("create")
@click.argument("name")
@click.option("--project", "projects", multiple=True, help="Project the robot may access (repeatable).")
@click.option(
    "--access",
    multiple=True,
    metavar="RESOURCE:ACTION",
    help="Permission in each --project, e.g. repository:push (repeatable; default repository:pull).",
)
@click.option(
    "--system-access",
    multiple=True,
    metavar="RESOURCE:ACTION",
    help="System-wide permission, e.g. project:create (makes a system robot).",
)
@click.option(
    "--duration", type=int, default=None, help="Days until it expires; -1 never (server default otherwise)."
)
@click.option("--description", default="", help="What the robot is for.")
@json_option
@pass_state
def create_robot(
    state: State,
    name: str,
    projects: tuple[str, ...],
    access: tuple[str, ...],
    system_access: tuple[str, ...],
    duration: int | None,
    description: str,
) -> None:
    """Create a robot account and print its secret (shown this once only)."""
    if not projects and not system_access:
        raise click.UsageError("give --project (a project robot) or --system-access (a system robot)")
    if access and not projects:
        raise click.UsageError("--access needs --project")
    project_access = _access(access, "--access") or [{"resource": "repository", "action": "pull"}]
    permissions: list[dict[str, Any]] = []
    if system_access:
        permissions.append(
            {"kind": "system", "namespace": "/", "access": _access(system_access, "--system-access")}
        )
    permissions += [
        {"kind": "project", "namespace": project, "access": project_access} for project in projects
    ]
    level = "project" if len(projects) == 1 and not system_access else "system"
    body: dict[str, Any] = {
        "name": name,
        "description": description,
        "level": level,
        "disable": False,
        "permissions": permissions,
    }
    if duration is not None:
        body["duration"] = duration
    created = state.client.post("/robots", body).json()
    if state.json_mode:
        state.out.json(created)
        return
    state.out.record(
        created,
        [
            Column("id", "id"),
            Column("name", "name"),
            Column("expires", "expires_at", unix_time),
            Column("secret", "secret"),
        ],
    )
    click.echo("harborctl: save the secret now: it cannot be shown again", err=True)


@robots.command("delete")
@click.argument("robot")
@click.option("--project", help="The robot's project (lets ROBOT be its short name).")
@json_option
@pass_state
def delete_robot(state: State, robot: str, project: str | None) -> None:
    """Delete a robot account (by id or name)."""
    robot_id = find_robot(state, robot, project)
    state.client.delete(f"/robots/{robot_id}", not_found=f'robot "{robot}"')
    state.out.done(f'Deleted robot "{robot}".', {"deleted": robot_id})


@robots.command("refresh-secret")
@click.argument("robot")
@click.option("--project", help="The robot's project (lets ROBOT be its short name).")
@click.option(
    "--secret-stdin", is_flag=True, help="Set this secret (read from stdin) instead of a random one."
)
@json_option
@pass_state
def refresh_secret(state: State, robot: str, project: str | None, secret_stdin: bool) -> None:
    """Replace a robot's secret; a generated one is printed once."""
    robot_id = find_robot(state, robot, project)
    secret = read_secret_stdin("secret") if secret_stdin else ""
    response = state.client.patch(f"/robots/{robot_id}", {"secret": secret}, not_found=f'robot "{robot}"')
    body = response.json() if response.content else {}
    # A secret the caller chose is theirs already: only a generated one is printed.
    new_secret = body.get("secret") if isinstance(body, dict) and not secret_stdin else None
    if state.json_mode:
        state.out.json(
            {"id": robot_id, "secret": new_secret} if new_secret else {"id": robot_id, "refreshed": True}
        )
    elif new_secret:
        state.out.line(new_secret)
        click.echo("harborctl: save the secret now: it cannot be shown again", err=True)
    else:
        state.out.done(f'Secret of robot "{robot}" replaced.')
