"""Human tables by default, JSON with `--json`: the only place that writes to stdout.

Tables are for people: times shortened, sizes in KiB/MiB, booleans as yes/no,
long values folded rather than cut. JSON is for scripts: the server's objects
unchanged, one document per command, nothing else on stdout. Notes and
warnings go to stderr so they never corrupt either.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from rich import box
from rich.console import Console
from rich.table import Table

Getter = str | Callable[[dict[str, Any]], Any]


@dataclass(frozen=True)
class Column:
    """A table column: its header and where its value comes from (a dotted key or a function)."""

    header: str
    value: Getter
    format: Callable[[Any], str] | None = None

    def render(self, row: dict[str, Any]) -> str:
        raw = self.value(row) if callable(self.value) else lookup(row, self.value)
        return self.format(raw) if self.format else text(raw)


def lookup(data: Any, dotted: str) -> Any:
    """`lookup(project, "metadata.public")`; a missing key is None, not an error, because
    servers of different versions omit different fields."""
    for key in dotted.split("."):
        if not isinstance(data, dict):
            return None
        data = data.get(key)
    return data


def text(value: Any) -> str:
    """A cell: None is empty, booleans yes/no, RFC3339 times without fractions, others str()."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str):
        return short_time(value)
    if isinstance(value, dict | list):
        return json.dumps(value, separators=(",", ":"), sort_keys=True)
    return str(value)


def short_time(value: str) -> str:
    """`2024-05-01T10:20:30.123456Z` -> `2024-05-01 10:20:30`; Harbor's zero time (year 1: a pull
    time of an artifact never pulled) is empty; anything else unchanged."""
    if len(value) >= 19 and value[4] == "-" and value[10] == "T" and value[13] == ":":
        if value.startswith("0001-01-01"):
            return ""
        try:
            datetime.fromisoformat(value.replace("Z", "+00:00"))
        except ValueError:
            return value
        return value[:10] + " " + value[11:19]
    return value


def unix_time(value: Any) -> str:
    """Robot `expires_at` is unix seconds; -1 (or 0) means it never expires."""
    if value in (None, ""):
        return ""
    try:
        seconds = int(value)
    except (TypeError, ValueError):
        return str(value)
    if seconds <= 0:
        return "never"
    return datetime.fromtimestamp(seconds, tz=UTC).strftime("%Y-%m-%d %H:%M:%S")


def size(value: Any) -> str:
    """Bytes in binary units; -1 is Harbor's "unlimited"."""
    if value is None or value == "":
        return ""
    try:
        number = float(value)
    except (TypeError, ValueError):
        return str(value)
    if number < 0:
        return "unlimited"
    for unit in ("B", "KiB", "MiB", "GiB", "TiB"):
        if number < 1024 or unit == "TiB":
            return f"{number:.0f} {unit}" if unit == "B" else f"{number:.1f} {unit}"
        number /= 1024
    return str(value)  # unreachable: the loop returns at TiB


def short_digest(value: Any) -> str:
    """`sha256:` and the first 12 hex digits, as `docker images` shows them."""
    value = text(value)
    algorithm, _, hexits = value.partition(":")
    return f"{algorithm}:{hexits[:12]}" if hexits else value


def _stdout_console() -> Console:
    """Piped output gets a wide virtual terminal, so a table read by `grep` is not wrapped at 80."""
    console = Console(highlight=False, soft_wrap=False)
    if not console.is_terminal:
        width = int(os.environ.get("COLUMNS", "0") or 0)
        console = Console(highlight=False, width=max(width, 200), soft_wrap=False)
    return console


class Output:
    """Writes one command's result in the chosen mode."""

    def __init__(self, json_mode: bool = False) -> None:
        self.json_mode = json_mode
        self._console: Console | None = None

    @property
    def console(self) -> Console:
        if self._console is None:
            self._console = _stdout_console()
        return self._console

    def _print(self, renderable: Any) -> None:
        """Rich pads every cell to the column width; drop the trailing blanks so piped output and
        `diff` stay clean."""
        with self.console.capture() as capture:
            self.console.print(renderable)
        sys.stdout.write("\n".join(line.rstrip() for line in capture.get().splitlines()) + "\n")
        sys.stdout.flush()

    def json(self, data: Any) -> None:
        sys.stdout.write(json.dumps(data, indent=2, sort_keys=False, default=str) + "\n")
        sys.stdout.flush()

    def table(self, rows: Iterable[dict[str, Any]], columns: Sequence[Column], *, raw: Any = None) -> None:
        """A list: a table, or (with --json) the items as the server sent them."""
        rows = list(rows)
        if self.json_mode:
            self.json(rows if raw is None else raw)
            return
        table = Table(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="bold")
        for column in columns:
            table.add_column(column.header, overflow="fold")
        for row in rows:
            table.add_row(*(column.render(row) for column in columns))
        self._print(table)

    def record(self, data: dict[str, Any], fields: Sequence[Column] | None = None) -> None:
        """One object: `field  value` lines, or the object itself with --json."""
        if self.json_mode:
            self.json(data)
            return
        table = Table(box=None, show_header=False, pad_edge=False)
        table.add_column(style="bold", no_wrap=True)
        table.add_column(overflow="fold")
        columns = fields or [Column(key, key) for key in data]
        for column in columns:
            table.add_row(column.header, column.render(data))
        self._print(table)

    def done(self, message: str, data: dict[str, Any] | None = None) -> None:
        """The result of an action: a sentence for people, a small object for scripts."""
        if self.json_mode:
            self.json(data if data is not None else {"message": message})
        else:
            self.console.print(message, markup=False)

    def line(self, value: str) -> None:
        """A bare value (a secret, a ping answer) printed without any styling."""
        sys.stdout.write(value + "\n")
        sys.stdout.flush()


def note(message: str) -> None:
    """A hint for people on stderr (never stdout, which scripts parse)."""
    print(f"harborctl: {message}", file=sys.stderr)
