"""`members list/add/remove/update` over `/projects/{p}/members`."""

from __future__ import annotations

from typing import Any

import click

from ..cli import (
    ROLE_NAMES,
    Listing,
    RoleType,
    State,
    fetch_list,
    json_option,
    list_options,
    pass_state,
)
from ..client import segment
from ..errors import ExitCode, HarborctlError
from ..output import Column

COLUMNS = [
    Column("ID", "id"),
    Column("NAME", "entity_name"),
    Column("TYPE", lambda m: {"u": "user", "g": "group"}.get(m.get("entity_type", ""), m.get("entity_type"))),
    Column("ROLE", lambda m: m.get("role_name") or ROLE_NAMES.get(m.get("role_id", 0), "")),
]

GROUP_TYPES = {"ldap": 1, "http": 2, "oidc": 3}


def members_path(project: str) -> str:
    return f"/projects/{segment(project)}/members"


def find_member(state: State, project: str, member: str) -> dict[str, Any]:
    """A member by user/group name (exact), or by membership id when no name matches."""
    found = state.client.page(
        members_path(project),
        {"entityname": member},
        page_size=100,
        not_found=f'project "{project}"',
    ).items
    for item in found:
        if item.get("entity_name") == member:
            return item
    if member.isdigit():
        for item in state.client.iterate(members_path(project), not_found=f'project "{project}"'):
            if item.get("id") == int(member):
                return item
    raise HarborctlError(f'member "{member}" of project "{project}" not found', ExitCode.NOT_FOUND)


@click.group()
def members() -> None:
    """Project members and their roles."""


@members.command("list")
@click.argument("project")
@click.option("--name", "entity_name", help="Only members whose name matches.")
@list_options(query=False, sort=False)
@pass_state
def list_members(state: State, project: str, entity_name: str | None, listing: Listing) -> None:
    """List the members of PROJECT and their roles."""
    items = fetch_list(
        state,
        members_path(project),
        listing,
        {"entityname": entity_name},
        not_found=f'project "{project}"',
        what="members",
    )
    state.out.table(items, COLUMNS)


@members.command("add")
@click.argument("project")
@click.argument("name")
@click.option(
    "--role",
    type=RoleType(),
    required=True,
    help="project-admin, maintainer, developer, guest or limited-guest.",
)
@click.option("--group", is_flag=True, help="NAME is a user group, not a user.")
@click.option(
    "--group-type",
    type=click.Choice(sorted(GROUP_TYPES)),
    default="ldap",
    show_default=True,
    help="Kind of group (with --group).",
)
@click.option("--ldap-group-dn", help="DN of an LDAP group not yet known to Harbor (with --group).")
@json_option
@pass_state
def add_member(
    state: State, project: str, name: str, role: int, group: bool, group_type: str, ldap_group_dn: str | None
) -> None:
    """Give user (or --group) NAME a role in PROJECT."""
    body: dict[str, Any] = {"role_id": role}
    if group:
        member_group: dict[str, Any] = {"group_name": name, "group_type": GROUP_TYPES[group_type]}
        if ldap_group_dn:
            member_group["ldap_group_dn"] = ldap_group_dn
        body["member_group"] = member_group
    else:
        body["member_user"] = {"username": name}
    response = state.client.post(members_path(project), body, not_found=f'project "{project}"')
    location = response.headers.get("location", "")
    member_id = location.rstrip("/").rsplit("/", 1)[-1] if location else None
    state.out.done(
        f'Added {"group" if group else "user"} "{name}" to project "{project}" as {ROLE_NAMES[role]}.',
        {
            "project": project,
            "name": name,
            "role_id": role,
            "id": int(member_id) if member_id and member_id.isdigit() else None,
        },
    )


@members.command("update")
@click.argument("project")
@click.argument("member")
@click.option("--role", type=RoleType(), required=True, help="The new role.")
@json_option
@pass_state
def update_member(state: State, project: str, member: str, role: int) -> None:
    """Change the role of MEMBER (a name or membership id) in PROJECT."""
    found = find_member(state, project, member)
    state.client.put(f"{members_path(project)}/{found['id']}", {"role_id": role})
    state.out.done(
        f'"{found.get("entity_name", member)}" is now {ROLE_NAMES[role]} in project "{project}".',
        {"project": project, "id": found["id"], "role_id": role},
    )


@members.command("remove")
@click.argument("project")
@click.argument("member")
@json_option
@pass_state
def remove_member(state: State, project: str, member: str) -> None:
    """Remove MEMBER (a name or membership id) from PROJECT."""
    found = find_member(state, project, member)
    state.client.delete(f"{members_path(project)}/{found['id']}")
    state.out.done(
        f'Removed "{found.get("entity_name", member)}" from project "{project}".',
        {"project": project, "removed": found["id"]},
    )
