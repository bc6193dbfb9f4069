"""Exit codes a script can rely on, and the one exception type commands raise.

Every failure ends as one line on stderr (`harborctl: <message>`) and one of
these codes; `main()` is the only place that turns exceptions into them, so a
command never calls `sys.exit` itself.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    """The documented exit codes (see `harborctl --help` and the README)."""

    OK = 0
    USAGE = 1  # bad arguments, not logged in to any URL, anything else
    NOT_FOUND = 2  # 404: the project, repository, artifact ... does not exist
    AUTH = 3  # 401, 403, 429: wrong credentials, not allowed, locked out
    INVALID = 4  # 400, 405, 409, 412, 413, 415, 422: bad request, conflict, precondition
    SERVER = 5  # 5xx, network errors, timeouts, TLS failures, unhealthy server


def exit_code_for_status(status: int) -> ExitCode:
    """Group HTTP statuses into the few outcomes a shell script branches on."""
    if status == 404:
        return ExitCode.NOT_FOUND
    if status in (401, 403, 429):
        return ExitCode.AUTH
    if status >= 500:
        return ExitCode.SERVER
    if 400 <= status < 500:
        return ExitCode.INVALID
    return ExitCode.USAGE


class HarborctlError(Exception):
    """A failure to report as `harborctl: <message>` with `exit_code`."""

    def __init__(self, message: str, exit_code: ExitCode = ExitCode.USAGE) -> None:
        super().__init__(message)
        self.message = message
        self.exit_code = exit_code

    def __str__(self) -> str:
        return self.message


class APIError(HarborctlError):
    """An error answer from the server; keeps the status and Harbor's error code for callers
    that branch on them (login falls back when `/users/current` is missing)."""

    def __init__(self, status: int, code: str, message: str) -> None:
        super().__init__(message, exit_code_for_status(status))
        self.status = status
        self.code = code
