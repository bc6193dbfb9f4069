"""`users list/create/delete/set-admin/password` over `/users`."""

from __future__ import annotations

import sys
from typing import Any

import click

from .. import config
from ..cli import Listing, State, fetch_list, json_option, list_options, pass_state, read_secret_stdin
from ..client import segment
from ..errors import ExitCode, HarborctlError
from ..output import Column

COLUMNS = [
    Column("ID", "user_id"),
    Column("USERNAME", "username"),
    Column("EMAIL", "email"),
    Column("NAME", "realname"),
    Column("ADMIN", "sysadmin_flag"),
    Column("CREATED", "creation_time"),
]


def find_user(state: State, user: str) -> dict[str, Any]:
    """A user by exact username (Harbor's `q=username=...`), or by id when no name matches.
    Yourself comes from `/users/current`, since only administrators may list users."""
    if user == state.client.credentials.username:
        current = state.client.get("/users/current")
        if isinstance(current, dict) and current.get("username") == user:
            return current
    for item in state.client.page("/users", {"q": f"username={user}"}, page_size=10).items:
        if item.get("username") == user:
            return item
    if user.isdigit():
        return state.client.get(f"/users/{user}", not_found=f'user "{user}"')
    raise HarborctlError(f'user "{user}" not found', ExitCode.NOT_FOUND)


def _new_password(password_stdin: bool, what: str = "password") -> str:
    if password_stdin:
        return read_secret_stdin(what)
    if not sys.stdin.isatty():
        raise click.UsageError(f"no {what}: use --password-stdin (or run in a terminal to be prompted)")
    return click.prompt(what.capitalize(), hide_input=True, confirmation_prompt=True)


@click.group()
def users() -> None:
    """Local users (database auth)."""


@users.command("list")
@list_options()
@pass_state
def list_users(state: State, listing: Listing) -> None:
    """List users (system administrators only)."""
    state.out.table(fetch_list(state, "/users", listing, listing.params(), what="users"), COLUMNS)


@users.command("create")
@click.argument("username")
@click.option("--email", required=True, help="E-mail address (unique).")
@click.option("--realname", default=None, help="Full name (defaults to USERNAME).")
@click.option("--comment", default="", help="Free text.")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@json_option
@pass_state
def create_user(
    state: State, username: str, email: str, realname: str | None, comment: str, password_stdin: bool
) -> None:
    """Create a user; the password is prompted for (or read with --password-stdin)."""
    body = {
        "username": username,
        "email": email,
        "realname": realname or username,
        "comment": comment,
        "password": _new_password(password_stdin),
    }
    response = state.client.post("/users", body)
    location = response.headers.get("location", "").rstrip("/")
    user_id = location.rsplit("/", 1)[-1] if location else ""
    state.out.done(
        f'Created user "{username}".',
        {"username": username, "user_id": int(user_id) if user_id.isdigit() else None},
    )


@users.command("delete")
@click.argument("user")
@json_option
@pass_state
def delete_user(state: State, user: str) -> None:
    """Delete USER (a username or id)."""
    found = find_user(state, user)
    state.client.delete(f"/users/{found['user_id']}", not_found=f'user "{user}"')
    state.out.done(f'Deleted user "{found.get("username", user)}".', {"deleted": found.get("username", user)})


@users.command("set-admin")
@click.argument("user")
@click.option("--revoke", is_flag=True, help="Take the system administrator role away instead.")
@json_option
@pass_state
def set_admin(state: State, user: str, revoke: bool) -> None:
    """Make USER a system administrator (or --revoke it)."""
    found = find_user(state, user)
    state.client.put(
        f"/users/{found['user_id']}/sysadmin", {"sysadmin_flag": not revoke}, not_found=f'user "{user}"'
    )
    name = found.get("username", user)
    state.out.done(
        f'"{name}" is {"no longer" if revoke else "now"} a system administrator.',
        {"username": name, "sysadmin_flag": not revoke},
    )


@users.command("password")
@click.argument("user")
@click.option("--password-stdin", is_flag=True, help="Read the new password from standard input.")
@json_option
@pass_state
def change_password(state: State, user: str, password_stdin: bool) -> None:
    """Set USER's password. Changing your own sends your saved password as the old one and
    updates the saved credentials; an administrator changing another user's needs no old one."""
    found = find_user(state, user)
    credentials = state.client.credentials
    own = found.get("username") == credentials.username
    body = {"new_password": _new_password(password_stdin, "new password")}
    if own:
        body["old_password"] = credentials.password or ""
    state.client.put(f"/users/{segment(str(found['user_id']))}/password", body, not_found=f'user "{user}"')
    saved = config.load_saved()
    if own and saved is not None and saved.url == credentials.url and saved.username == credentials.username:
        saved.password = body["new_password"]
        config.save(saved)
    state.out.done(
        f'Password of "{found.get("username", user)}" changed.', {"username": found.get("username", user)}
    )
