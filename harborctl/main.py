"""The root command and the entry point that turns every outcome into a documented exit code.

Exit codes:
  0  success
  1  usage error, or anything not listed below
  2  not found (the project, repository, artifact, user ... does not exist)
  3  unauthorized or forbidden (wrong or missing credentials, missing role, locked out)
  4  bad request or conflict (invalid input, name taken, project not empty)
  5  server or network error (5xx, unreachable, timeout, TLS, unhealthy)
"""

from __future__ import annotations

import sys
from collections.abc import Sequence

import click

from . import __version__
from .cli import State
from .commands.artifacts import artifacts
from .commands.audit_logs import audit_logs
from .commands.auth import login, logout
from .commands.labels import labels
from .commands.members import members
from .commands.projects import projects
from .commands.quotas import quotas
from .commands.repositories import repositories
from .commands.robots import robots
from .commands.system import system
from .commands.tags import tags
from .commands.users import users
from .errors import ExitCode, HarborctlError

EPILOG = """\b
Credentials: 'harborctl login URL -u USER' saves them in
$XDG_CONFIG_HOME/harborctl/config.json (mode 0600); HARBORCTL_URL,
HARBORCTL_USERNAME, HARBORCTL_PASSWORD and HARBORCTL_INSECURE override it.

\b
Exit codes: 0 ok, 1 usage or other error, 2 not found,
3 unauthorized/forbidden, 4 bad request/conflict, 5 server/network error.
"""


@click.group(
    context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100},
    epilog=EPILOG,
)
@click.option("--json", "json_mode", is_flag=True, help="Print JSON instead of tables (also per command).")
@click.version_option(__version__, "-V", "--version", prog_name="harborctl")
@click.pass_context
def app(ctx: click.Context, json_mode: bool) -> None:
    """Command-line client for the Harbor container registry's REST API (/api/v2.0)."""
    state = ctx.ensure_object(State)
    state.json_mode = state.json_mode or json_mode
    ctx.call_on_close(state.close)


for command in (login, logout, projects, repositories, artifacts, tags, members, robots, users):
    app.add_command(command)
for command in (labels, quotas, audit_logs, system):
    app.add_command(command)


def _fail(message: str, code: ExitCode) -> int:
    click.echo(f"harborctl: {message}", err=True)
    return int(code)


def run(argv: Sequence[str] | None = None) -> int:
    """Run one command line and return its exit code (the tests' and `main()`'s entry)."""
    try:
        result = app.main(
            args=list(argv) if argv is not None else None, prog_name="harborctl", standalone_mode=False
        )
    except HarborctlError as exc:
        return _fail(exc.message, exc.exit_code)
    except click.exceptions.NoArgsIsHelpError as exc:
        exc.show()
        return int(ExitCode.USAGE)
    except click.ClickException as exc:
        exc.show()  # click's own usage message, with the "Try 'harborctl -h'" hint
        return int(ExitCode.USAGE)
    except click.Abort:
        return _fail("aborted", ExitCode.USAGE)
    except KeyboardInterrupt:
        return _fail("interrupted", ExitCode.USAGE)
    return result if isinstance(result, int) else int(ExitCode.OK)


def main() -> None:
    """Console-script entry point (`harborctl`)."""
    sys.exit(run())
