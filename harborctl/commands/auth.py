"""`login` and `logout`: check credentials against the server, then save or forget them."""

from __future__ import annotations

import sys

import click

from .. import config
from ..cli import State, json_option, pass_state, read_secret_stdin
from ..client import HarborClient
from ..errors import APIError, ExitCode, HarborctlError
from ..output import note


def verify(credentials: config.Credentials) -> str:
    """Prove the credentials work before saving them; returns the account name the server knows.

    `/users/current` is the precise check. A server without it (404), or one that
    refuses it to robot accounts (Harbor answers 400/403/412 there), is asked for
    an authenticated list of projects, and failing that `/v2/`: both answer 401
    to wrong credentials.
    """
    with HarborClient(credentials) as client:
        try:
            user = client.get("/users/current")
            if isinstance(user, dict) and user.get("username"):
                return str(user["username"])
            return credentials.username or ""
        except APIError as exc:
            if exc.status in (401, 429) or not 400 <= exc.status < 500:
                raise
        try:
            client.get("/projects", params={"page_size": 1})
        except APIError as exc:
            if exc.status not in (404, 405):
                raise
            client.get("/v2/")
        return credentials.username or ""


def _password(password: str | None, password_stdin: bool) -> str:
    if password is not None and password_stdin:
        raise click.UsageError("--password and --password-stdin cannot be used together")
    if password_stdin:
        return read_secret_stdin("password")
    if password is not None:
        note("warning: --password on the command line is visible to other users; prefer --password-stdin")
        return password
    if not sys.stdin.isatty():
        raise click.UsageError("no password: use --password-stdin (or run in a terminal to be prompted)")
    return click.prompt("Password", hide_input=True)


@click.command()
@click.argument("url")
@click.option("-u", "--username", required=True, help="Harbor user or robot account name.")
@click.option("-p", "--password", help="Password (visible in the process list; prefer --password-stdin).")
@click.option("--password-stdin", is_flag=True, help="Read the password from standard input.")
@click.option("--insecure", is_flag=True, help="Do not verify the server's TLS certificate.")
@json_option
@pass_state
def login(
    state: State, url: str, username: str, password: str | None, password_stdin: bool, insecure: bool
) -> None:
    """Log in: check credentials and save them (mode 0600)."""
    credentials = config.Credentials(
        url=config.normalize_url(url),
        username=username,
        password=_password(password, password_stdin),
        insecure=insecure,
    )
    try:
        account = verify(credentials)
    except APIError as exc:
        if exc.exit_code == ExitCode.AUTH and exc.status == 401:
            raise HarborctlError(f"login to {credentials.url} failed: {exc.message}", ExitCode.AUTH) from None
        raise
    path = config.save(credentials)
    state.out.done(
        f"Logged in to {credentials.url} as {account or username} (saved in {path}).",
        {"url": credentials.url, "username": account or username, "config": str(path)},
    )


@click.command()
@json_option
@pass_state
def logout(state: State) -> None:
    """Log out: forget the saved credentials."""
    removed = config.remove()
    if removed is None:
        state.out.done("Not logged in.", {"logged_out": False})
        return
    where = f" from {removed.url}" if removed.url else ""
    state.out.done(f"Logged out{where}.", {"logged_out": True, "url": removed.url})
