"""What every command shares: the per-invocation state, option decorators and argument parsers.

Commands get a `State` (`@pass_state`), ask it for the client and the output,
and describe lists with `@list_options`, so `--json`, `--page`, `--page-size`,
`--all`, `--query` and `--sort` behave the same in every group.
"""

from __future__ import annotations

import functools
import re
import sys
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from typing import Any, TypeVar

import click

from . import config
from .client import MAX_PAGE_SIZE, HarborClient, Page, segment
from .errors import ExitCode, HarborctlError
from .output import Output, note
from .progress import progress_bar

F = TypeVar("F", bound=Callable[..., Any])


@dataclass
class State:
    """One invocation: the output mode and, once a command needs it, the client."""

    json_mode: bool = False
    _client: HarborClient | None = field(default=None, repr=False)

    @property
    def out(self) -> Output:
        return Output(self.json_mode)

    @property
    def client(self) -> HarborClient:
        if self._client is None:
            self._client = HarborClient(config.resolve())
        return self._client

    def close(self) -> None:
        if self._client is not None:
            self._client.close()


pass_state = click.make_pass_decorator(State, ensure=True)


def _set_json(ctx: click.Context, _param: click.Parameter, value: bool) -> None:
    if value:
        ctx.ensure_object(State).json_mode = True


def json_option(function: F) -> F:
    """`--json` on a command as well as before it (`harborctl --json projects list` and
    `harborctl projects list --json` both work)."""
    return click.option(
        "--json",
        "json_flag",
        is_flag=True,
        expose_value=False,
        is_eager=True,
        callback=_set_json,
        help="Print the server's JSON instead of a table.",
    )(function)


@dataclass(frozen=True)
class Listing:
    """The paging and query options of a list command."""

    page: int | None
    page_size: int | None
    all_pages: bool
    query: str | None = None
    sort: str | None = None

    def params(self, **extra: Any) -> dict[str, Any]:
        return {"q": self.query, "sort": self.sort, **extra}


def list_options(*, query: bool = True, sort: bool = True) -> Callable[[F], F]:
    """Adds the paging options (and `--query`/`--sort` where the endpoint takes them) and
    hands the command one `listing: Listing` argument."""

    def decorate(function: F) -> F:
        @functools.wraps(function)
        def wrapper(
            *args: Any,
            page: int | None,
            page_size: int | None,
            all_pages: bool,
            query: str | None = None,
            sort: str | None = None,
            **kwargs: Any,
        ) -> Any:
            if all_pages and page is not None:
                raise click.UsageError("--all and --page cannot be used together")
            return function(*args, listing=Listing(page, page_size, all_pages, query, sort), **kwargs)

        options = [
            click.option("--page", type=click.IntRange(min=1), help="Page number (from 1)."),
            click.option(
                "--page-size",
                type=click.IntRange(1, MAX_PAGE_SIZE),
                help="Items per page (server default 10, at most 100).",
            ),
            click.option("--all", "all_pages", is_flag=True, help="Fetch every page."),
        ]
        if query:
            options.append(
                click.option(
                    "-q",
                    "--query",
                    help="Harbor query, e.g. 'name=~nginx' (k=v, ~fuzzy, [min~max], {a b}).",
                )
            )
        if sort:
            options.append(click.option("--sort", help="Sort fields, e.g. 'name' or '-creation_time'."))
        for option in reversed(options):
            wrapper = option(wrapper)
        return json_option(wrapper)  # type: ignore[return-value]

    return decorate


def fetch_list(
    state: State,
    path: str,
    listing: Listing,
    params: dict[str, Any] | None = None,
    *,
    not_found: str | None = None,
    what: str = "items",
) -> list[Any]:
    """One page (with a hint on stderr when more exist) or, with --all, every page behind a
    progress bar."""
    client = state.client
    if listing.all_pages:
        with progress_bar(f"Fetching {what}") as update:
            return list(
                client.iterate(
                    path,
                    params,
                    page_size=listing.page_size or MAX_PAGE_SIZE,
                    not_found=not_found,
                    on_page=lambda done, total: update(completed=done, total=total),
                )
            )
    page: Page = client.page(
        path, params, page=listing.page, page_size=listing.page_size, not_found=not_found
    )
    if page.has_next and not state.json_mode:
        shown = len(page.items)
        total = f" of {page.total}" if page.total is not None else ""
        note(f"{shown}{total} {what} shown; use --page {(listing.page or 1) + 1} or --all for more")
    return page.items


# -- argument parsers -----------------------------------------------------------------------------

_DIGEST = re.compile(r"^[a-z0-9]+(?:[+._-][a-z0-9]+)*:[a-zA-Z0-9=_-]+$")


@dataclass(frozen=True)
class RepoRef:
    """`project/repo[/more][:tag|@digest]` split into Harbor's path parts."""

    project: str
    repository: str
    reference: str | None = None

    @property
    def full_name(self) -> str:
        return f"{self.project}/{self.repository}"

    def __str__(self) -> str:
        if self.reference is None:
            return self.full_name
        separator = "@" if _DIGEST.match(self.reference) else ":"
        return f"{self.full_name}{separator}{self.reference}"


def parse_repo_ref(value: str, *, reference: str = "optional") -> RepoRef:
    """Parse `library/nginx`, `library/nginx:1.25` or `library/nginx@sha256:...`.
    `reference` is "optional", "required" or "forbidden"."""
    name, ref = value, None
    if "@" in value:
        name, ref = value.split("@", 1)
        if not _DIGEST.match(ref):
            raise click.BadParameter(f"{ref!r} is not a digest (algorithm:hex)")
    else:
        head, _, last = value.rpartition("/")
        if ":" in last:
            tag_name, _, ref = last.partition(":")
            name = f"{head}/{tag_name}" if head else tag_name
    project, _, repository = name.partition("/")
    if not project or not repository or "" in repository.split("/"):
        raise click.BadParameter(f"{value!r}: expected PROJECT/REPOSITORY[:TAG|@DIGEST]")
    if ref == "":
        raise click.BadParameter(f"{value!r}: empty tag")
    if reference == "required" and ref is None:
        raise click.BadParameter(f"{value!r}: add :TAG or @DIGEST")
    if reference == "forbidden" and ref is not None:
        raise click.BadParameter(f"{value!r}: expected PROJECT/REPOSITORY without a tag or digest")
    return RepoRef(project, repository, ref)


class RepoRefType(click.ParamType):
    """A click type so bad references are usage errors (exit 1) with the argument named."""

    name = "REFERENCE"

    def __init__(self, reference: str = "optional") -> None:
        self.reference = reference

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> RepoRef:
        if isinstance(value, RepoRef):
            return value
        try:
            return parse_repo_ref(str(value), reference=self.reference)
        except click.BadParameter as exc:
            self.fail(exc.message, param, ctx)


ROLES = {
    "projectadmin": 1,
    "admin": 1,
    "developer": 2,
    "guest": 3,
    "maintainer": 4,
    "limitedguest": 5,
}
ROLE_NAMES = {1: "projectAdmin", 2: "developer", 3: "guest", 4: "maintainer", 5: "limitedGuest"}


class RoleType(click.ParamType):
    """A project role by Harbor's name (any case, `-`/`_` ignored) or id 1-5."""

    name = "ROLE"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> int:
        key = str(value).lower().replace("-", "").replace("_", "").replace(" ", "")
        if key.isdigit() and int(key) in ROLE_NAMES:
            return int(key)
        if key in ROLES:
            return ROLES[key]
        self.fail(
            f"{value!r} is not a role: project-admin, maintainer, developer, guest, limited-guest", param, ctx
        )


_SIZE = re.compile(r"^\s*(-?\d+(?:\.\d+)?)\s*([kmgtp]?)(i?b?)\s*$", re.IGNORECASE)


def parse_size(value: str) -> int:
    """`10G`, `10GiB`, `500M`, `1024` -> bytes (binary units, as Harbor's UI counts); -1 is unlimited."""
    match = _SIZE.match(value)
    if not match:
        raise click.BadParameter(f"{value!r} is not a size (e.g. 10G, 500MiB, -1 for unlimited)")
    number, unit = float(match.group(1)), match.group(2).lower()
    if number < 0:
        if number != -1 or unit:
            raise click.BadParameter("the only negative size is -1 (unlimited)")
        return -1
    return int(number * 1024 ** " kmgtp".index(unit or " "))


def parse_key_values(pairs: Iterable[str], what: str = "metadata") -> dict[str, str]:
    """`key=value` options into a dict (Harbor's metadata values are all strings)."""
    result: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.BadParameter(f"{pair!r}: expected KEY=VALUE", param_hint=what)
        result[key.strip()] = value.strip()
    return result


def project_id(state: State, project: str) -> int:
    """Some endpoints filter by project id (robots, labels, quotas); look the name up once."""
    data = state.client.get(f"/projects/{segment(project)}", not_found=f'project "{project}"')
    return int(data["project_id"])


def read_secret_stdin(what: str) -> str:
    """A password or secret from stdin (`--password-stdin`): the first line, as docker reads it."""
    value = sys.stdin.readline().rstrip("\r\n")
    if not value:
        raise HarborctlError(f"no {what} on standard input", ExitCode.USAGE)
    return value
