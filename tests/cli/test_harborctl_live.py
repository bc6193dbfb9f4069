"""The installed `harborctl` against a live server: login, projects, system, errors and exit codes."""

from __future__ import annotations

import json
import stat
import subprocess

import pytest

from tests.server import ADMIN_PASSWORD, free_port

from .conftest import Harborctl, one_error_line, rows, unique

pytestmark = pytest.mark.e2e

USER_PASSWORD = "Alice12345"


def create_user(harborctl: Harborctl, username: str) -> None:
    harborctl.registry.manage(
        "shell",
        "-c",
        "from accounts.models import User; "
        f"User.objects.filter(username='{username}').exists() or "
        f"User.objects.create_user('{username}', '{username}@example.com', '{USER_PASSWORD}')",
    )


def test_login_saves_the_credentials_in_a_private_file(harborctl: Harborctl):
    result = harborctl.login()

    config = harborctl.config_dir / "config.json"
    assert stat.S_IMODE(config.stat().st_mode) == 0o600
    assert stat.S_IMODE(harborctl.config_dir.stat().st_mode) == 0o700
    saved = json.loads(config.read_text())
    assert saved["url"] == harborctl.registry.url
    assert saved["username"] == "admin"
    assert saved["password"] == ADMIN_PASSWORD  # it is needed for later commands, and only in there
    assert f"Logged in to {harborctl.registry.url} as admin" in result.stdout
    assert ADMIN_PASSWORD not in result.stdout + result.stderr
    listing = subprocess.run(
        ["ls", "-laR", str(harborctl.home)], capture_output=True, text=True, check=True
    ).stdout
    assert "config.json" in listing
    assert ADMIN_PASSWORD not in listing
    assert [p.name for p in harborctl.config_dir.iterdir()] == ["config.json"]  # no temporary left over


def test_wrong_password_is_refused_and_nothing_is_saved(harborctl: Harborctl):
    result = harborctl(
        "login", harborctl.registry.url, "-u", "admin", "--password-stdin", input="Wrong12345\n"
    )

    assert result.code == 3
    line = one_error_line(result.stderr)
    assert "invalid username or password" in line
    assert "Wrong12345" not in result.stdout + result.stderr
    assert not (harborctl.config_dir / "config.json").exists()


def test_password_on_the_command_line_works_with_a_warning(harborctl: Harborctl):
    result = harborctl("login", harborctl.registry.url, "-u", "admin", "-p", ADMIN_PASSWORD)

    assert result.code == 0, result.stderr
    assert "--password-stdin" in result.stderr
    assert ADMIN_PASSWORD not in result.stderr


def test_logout_removes_the_file(admin: Harborctl):
    result = admin("logout")
    assert result.code == 0
    assert f"Logged out from {admin.registry.url}" in result.stdout
    assert not (admin.config_dir / "config.json").exists()
    assert admin("logout").stdout.strip() == "Not logged in."

    result = admin("projects", "list")
    assert result.code == 3
    assert "not logged in" in one_error_line(result.stderr)


def test_projects_round_trip(admin: Harborctl):
    name = unique("cli")

    created = admin("projects", "create", name, "--public", "--metadata", "auto_scan=true")
    assert created.code == 0, created.stderr
    assert created.stdout.strip() == f'Created project "{name}".'

    listed = admin("projects", "list", "--json", "--page-size", "100")
    assert listed.code == 0, listed.stderr
    projects = {project["name"]: project for project in json.loads(listed.stdout)}
    assert projects[name]["metadata"]["public"] == "true"
    assert projects[name]["metadata"]["auto_scan"] == "true"
    assert projects[name]["owner_name"] == "admin"

    table = admin("projects", "list", "-q", f"name={name}")
    assert table.code == 0
    assert table.stdout.split()[:3] == ["NAME", "ID", "PUBLIC"]
    assert [(row[0], row[2]) for row in rows(table.stdout)] == [(name, "yes")]

    shown = admin("--json", "projects", "get", name)
    assert json.loads(shown.stdout)["project_id"] == projects[name]["project_id"]
    assert name in admin("projects", "get", name).stdout

    assert admin("projects", "exists", name).code == 0

    again = admin("projects", "create", name)
    assert again.code == 4
    assert name in one_error_line(again.stderr)

    deleted = admin("projects", "delete", name)
    assert deleted.code == 0, deleted.stderr
    assert deleted.stdout.strip() == f'Deleted project "{name}".'

    missing = admin("projects", "exists", name)
    assert missing.code == 2
    assert one_error_line(missing.stderr) == f'harborctl: project "{name}" not found'


def test_json_create_prints_the_new_project(admin: Harborctl):
    name = unique("cli-json")
    result = admin("projects", "create", name, "--json", "--storage-limit", "1G")
    assert result.code == 0, result.stderr
    project = json.loads(result.stdout)
    assert project["name"] == name
    assert project["metadata"]["public"] == "false"
    assert json.loads(admin("projects", "delete", name, "--json").stdout) == {"deleted": name}


def test_not_found_has_one_line_and_exit_code_2(admin: Harborctl):
    result = admin("projects", "get", "no-such-project")
    assert result.code == 2
    assert result.stdout == ""
    assert one_error_line(result.stderr) == 'harborctl: project "no-such-project" not found'

    result = admin("projects", "delete", "no-such-project")
    assert (result.code, one_error_line(result.stderr)) == (
        2,
        'harborctl: project "no-such-project" not found',
    )


def test_paging_and_all_pages(admin: Harborctl):
    prefix = unique("cli-page")
    names = [f"{prefix}-{i}" for i in range(3)]
    for name in names:
        assert admin("projects", "create", name).code == 0

    first = admin("projects", "list", "--json", "--name", prefix, "--page-size", "2")
    assert [p["name"] for p in json.loads(first.stdout)] == names[:2]
    assert first.stderr == ""  # --json keeps stderr clean too

    second = admin("projects", "list", "--json", "--name", prefix, "--page-size", "2", "--page", "2")
    assert [p["name"] for p in json.loads(second.stdout)] == names[2:]

    every = admin("projects", "list", "--json", "--name", prefix, "--page-size", "1", "--all")
    assert [p["name"] for p in json.loads(every.stdout)] == names
    assert every.stderr == ""  # the progress bar is only drawn on a terminal

    table = admin("projects", "list", "--name", prefix, "--page-size", "2")
    assert "2 of 3 projects shown; use --page 2 or --all for more" in table.stderr

    for name in names:
        assert admin("projects", "delete", name).code == 0


def test_bad_query_is_a_bad_request(admin: Harborctl):
    result = admin("projects", "list", "-q", "nosuchkey=1")
    assert result.code == 4
    assert "nosuchkey" in one_error_line(result.stderr)


def test_forbidden_and_unauthorized_exit_3(harborctl: Harborctl):
    create_user(harborctl, "cli-alice")
    harborctl.login("cli-alice", USER_PASSWORD)

    stats = harborctl("system", "statistics")
    assert stats.code == 3
    assert one_error_line(stats.stderr).startswith("harborctl: forbidden: ")

    delete = harborctl("projects", "delete", "library")
    assert delete.code == 3

    anonymous = harborctl("system", "statistics", env={"HARBORCTL_USERNAME": "", "HARBORCTL_PASSWORD": ""})
    assert anonymous.code == 3  # empty variables do not override: still alice
    wrong = harborctl("system", "statistics", env={"HARBORCTL_PASSWORD": "Wrong12345"})
    assert wrong.code == 3
    assert "unauthorized" in one_error_line(wrong.stderr)
    assert USER_PASSWORD not in "".join(r.stderr + r.stdout for r in harborctl.history)


def test_anonymous_access_says_how_to_log_in(harborctl: Harborctl):
    result = harborctl("system", "statistics", env={"HARBORCTL_URL": harborctl.registry.url})
    assert result.code == 3
    assert "harborctl login" in one_error_line(result.stderr)

    public = harborctl("projects", "list", "--json", env={"HARBORCTL_URL": harborctl.registry.url})
    assert public.code == 0
    assert "library" in [p["name"] for p in json.loads(public.stdout)]


def test_environment_overrides_the_saved_file(harborctl: Harborctl):
    env = {
        "HARBORCTL_URL": harborctl.registry.url + "/",
        "HARBORCTL_USERNAME": "admin",
        "HARBORCTL_PASSWORD": ADMIN_PASSWORD,
    }
    result = harborctl("system", "statistics", "--json", env=env)
    assert result.code == 0, result.stderr
    assert json.loads(result.stdout)["total_project_count"] >= 1
    assert not harborctl.config_dir.exists()


def test_saved_password_is_not_sent_to_another_server(admin: Harborctl):
    other = f"http://127.0.0.1:{admin.registry.url.rsplit(':', 1)[1]}/api/v2.0"  # same server, other spelling
    assert admin("system", "statistics", env={"HARBORCTL_URL": other}).code == 0
    elsewhere = f"http://localhost:{admin.registry.url.rsplit(':', 1)[1]}"  # another name: not trusted
    result = admin("system", "statistics", env={"HARBORCTL_URL": elsewhere})
    assert result.code == 3


def test_system_commands(admin: Harborctl):
    ping = admin("system", "ping")
    assert (ping.code, ping.stdout.strip()) == (0, "Pong")

    # This server runs no Celery worker: the health check says so, and the command exits 5 for
    # monitoring scripts (tests/e2e/test_worker.py sees the healthy side).
    health = admin("system", "health", "--json")
    assert health.code == 5
    report = json.loads(health.stdout)
    statuses = {component["name"]: component["status"] for component in report["components"]}
    assert report["status"] == "unhealthy"
    assert statuses.pop("workers") == "unhealthy"
    assert set(statuses.values()) == {"healthy"}
    table = admin("system", "health")
    assert "overall: unhealthy" in table.stdout and "no Celery worker answered" in table.stdout

    info = json.loads(admin("system", "info", "--json").stdout)
    assert info["harbor_version"]
    assert "auth_mode" in admin("system", "info").stdout

    stats = admin("system", "statistics")
    assert stats.code == 0
    assert "total project count" in stats.stdout


def test_unreachable_server_exits_5(harborctl: Harborctl):
    url = f"http://127.0.0.1:{free_port()}"
    result = harborctl("system", "ping", env={"HARBORCTL_URL": url})
    assert result.code == 5
    assert one_error_line(result.stderr).startswith(f"harborctl: cannot connect to {url}")


def test_usage_errors_exit_1(admin: Harborctl):
    assert admin("projects", "get").code == 1
    assert admin("artifacts", "get", "library/alpine").code == 1  # needs :TAG or @DIGEST
    assert admin("projects", "list", "--page", "0").code == 1
    assert admin("nonsense").code == 1
    assert admin("--version").stdout.startswith("harborctl, version ")
