"""Progress bars for long jobs (fetching every page now; scans, replications and GC later).

Bars are drawn on stderr, and only on a terminal: a script that pipes
harborctl's output or reads `--json` never sees control sequences. Callers
use the same helper either way, so there is one code path to test.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from rich.console import Console
from rich.progress import (
    BarColumn,
    Progress,
    SpinnerColumn,
    TaskProgressColumn,
    TextColumn,
    TimeElapsedColumn,
)

from .errors import ExitCode, HarborctlError


@dataclass
class JobState:
    """What one poll of a job says: finished or not, how far (when the server knows), a status word."""

    done: bool
    completed: float | None = None
    total: float | None = None
    status: str = ""


def _progress(console: Console, enabled: bool | None) -> Progress:
    return Progress(
        SpinnerColumn(),
        TextColumn("{task.description}"),
        BarColumn(),
        TaskProgressColumn(),
        TextColumn("{task.fields[status]}"),
        TimeElapsedColumn(),
        console=console,
        transient=True,
        disable=not console.is_terminal if enabled is None else not enabled,
    )


@contextmanager
def progress_bar(
    description: str, total: float | None = None, *, enabled: bool | None = None
) -> Iterator[Callable[..., None]]:
    """`with progress_bar("Fetching", total) as update: update(completed=n, total=t)`.
    `enabled=None` shows the bar only when stderr is a terminal."""
    console = Console(stderr=True)
    with _progress(console, enabled) as progress:
        task = progress.add_task(description, total=total, status="")

        def update(completed: float | None = None, total: float | None = None, status: str = "") -> None:
            progress.update(task, completed=completed, total=total, status=status)

        yield update


def wait_for(
    poll: Callable[[], JobState],
    *,
    description: str,
    interval: float = 2.0,
    timeout: float | None = None,
    enabled: bool | None = None,
    sleep: Callable[[float], None] = time.sleep,
) -> JobState:
    """Poll a job until it is done, drawing its progress; returns the final state.
    A timeout is a server-side problem to the caller (exit code 5), not a crash."""
    deadline = None if timeout is None else time.monotonic() + timeout
    with progress_bar(description, enabled=enabled) as update:
        while True:
            state = poll()
            update(completed=state.completed, total=state.total, status=state.status)
            if state.done:
                return state
            if deadline is not None and time.monotonic() >= deadline:
                raise HarborctlError(
                    f"{description}: still {state.status or 'running'} after {timeout:g}s", ExitCode.SERVER
                )
            sleep(interval)
