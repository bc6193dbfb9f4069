"""The installed `harborctl` against a live server: repositories, artifacts, tags, members, users,
robots, labels, quotas and audit logs."""

from __future__ import annotations

import json
import time

import httpx
import pytest

from tests.server import ADMIN_PASSWORD

from .conftest import Harborctl, one_error_line, push_image, rows, unique

pytestmark = pytest.mark.e2e


@pytest.fixture
def project(admin: Harborctl):
    name = unique("clires")
    assert admin("projects", "create", name).code == 0
    return name


def test_repositories_artifacts_and_tags(admin: Harborctl, project: str):
    v1 = push_image(admin.registry, f"{project}/app", "v1")
    v2 = push_image(admin.registry, f"{project}/app", "v2")
    nested = push_image(admin.registry, f"{project}/team/tool", "1.0")

    repos = json.loads(admin("repositories", "list", project, "--json").stdout)
    assert sorted(r["name"] for r in repos) == [f"{project}/app", f"{project}/team/tool"]
    everywhere = admin("repositories", "list", "--all", "--json")
    assert f"{project}/app" in [r["name"] for r in json.loads(everywhere.stdout)]
    assert everywhere.stderr == ""  # no progress bar off a terminal
    got = json.loads(admin("repositories", "get", f"{project}/team/tool", "--json").stdout)
    assert (got["name"], got["artifact_count"]) == (f"{project}/team/tool", 1)

    listed = admin("artifacts", "list", f"{project}/app")
    assert listed.code == 0
    assert sorted((row[0], row[1]) for row in rows(listed.stdout)) == sorted(
        [(v1[:19], "v1"), (v2[:19], "v2")]
    )
    artifact = json.loads(admin("artifacts", "get", f"{project}/team/tool:1.0", "--json").stdout)
    assert artifact["digest"] == nested
    assert json.loads(admin("artifacts", "get", f"{project}/app@{v1}", "--json").stdout)["digest"] == v1

    assert admin("tags", "create", f"{project}/app:v1", "stable").code == 0
    tags = json.loads(admin("tags", "list", f"{project}/app:v1", "--json").stdout)
    assert sorted(t["name"] for t in tags) == ["stable", "v1"]
    assert {t["digest"] for t in tags} == {v1}
    by_repo = rows(admin("tags", "list", f"{project}/app").stdout)
    assert sorted(row[0] for row in by_repo) == ["stable", "v1", "v2"]
    assert admin("tags", "delete", f"{project}/app:stable").code == 0
    gone = admin("tags", "delete", f"{project}/app:stable")
    assert (gone.code, one_error_line(gone.stderr)) == (2, f'harborctl: tag "{project}/app:stable" not found')

    assert admin("artifacts", "delete", f"{project}/app:v2").code == 0
    missing = admin("artifacts", "get", f"{project}/app:v2")
    assert missing.code == 2
    assert one_error_line(missing.stderr) == f'harborctl: artifact "{project}/app:v2" not found'

    not_empty = admin("projects", "delete", project)
    assert not_empty.code == 4  # a project with repositories cannot be deleted
    one_error_line(not_empty.stderr)

    for repository in (f"{project}/app", f"{project}/team/tool"):
        assert admin("repositories", "delete", repository).code == 0
    missing = admin("repositories", "get", f"{project}/app")
    assert missing.code == 2
    assert one_error_line(missing.stderr) == f'harborctl: repository "{project}/app" not found'
    assert admin("projects", "delete", project).code == 0


def test_users_and_passwords(admin: Harborctl, harborctl_factory):
    name = unique("cliuser")
    created = admin(
        "users", "create", name, "--email", f"{name}@example.com", "--password-stdin", input="First12345\n"
    )
    assert created.code == 0, created.stderr
    assert "First12345" not in created.stdout + created.stderr

    listed = json.loads(admin("users", "list", "-q", f"username={name}", "--json").stdout)
    assert [(u["username"], u["sysadmin_flag"]) for u in listed] == [(name, False)]
    assert admin("users", "set-admin", name).code == 0
    assert json.loads(admin("users", "list", "-q", f"username={name}", "--json").stdout)[0]["sysadmin_flag"]
    assert admin("users", "set-admin", name, "--revoke").code == 0

    weak = admin("users", "password", name, "--password-stdin", input="weak\n")
    assert weak.code == 4  # Harbor's password rule
    assert admin("users", "password", name, "--password-stdin", input="Second12345\n").code == 0

    user = harborctl_factory()
    user.login(name, "Second12345")
    assert user("users", "password", name, "--password-stdin", input="Third12345\n").code == 0
    saved = json.loads((user.config_dir / "config.json").read_text())
    assert saved["password"] == "Third12345"  # changing your own password keeps you logged in
    assert user("system", "ping").code == 0
    assert user("users", "list").code == 3  # not an administrator

    assert admin("users", "delete", name).code == 0
    again = admin("users", "delete", name)
    assert (again.code, one_error_line(again.stderr)) == (2, f'harborctl: user "{name}" not found')


def test_members(admin: Harborctl, project: str):
    name = unique("clim")
    assert (
        admin(
            "users",
            "create",
            name,
            "--email",
            f"{name}@example.com",
            "--password-stdin",
            input="Member12345\n",
        ).code
        == 0
    )

    added = admin("members", "add", project, name, "--role", "developer")
    assert added.code == 0, added.stderr
    members = {m["entity_name"]: m for m in json.loads(admin("members", "list", project, "--json").stdout)}
    assert members[name]["role_id"] == 2
    assert admin("members", "update", project, name, "--role", "maintainer").code == 0
    table = rows(admin("members", "list", project).stdout)
    assert [name, "user", "maintainer"] in [row[1:] for row in table]
    assert admin("members", "remove", project, str(members[name]["id"])).code == 0  # by membership id
    missing = admin("members", "remove", project, name)
    assert missing.code == 2
    assert one_error_line(missing.stderr) == f'harborctl: member "{name}" of project "{project}" not found'
    assert admin("users", "delete", name).code == 0


def test_robots(admin: Harborctl, project: str, harborctl_factory):
    created = admin(
        "robots", "create", "ci", "--project", project, "--access", "repository:push", "--duration", "7"
    )
    assert created.code == 0, created.stderr
    record = dict(line.split(None, 1) for line in created.stdout.splitlines() if line.strip())
    full_name, secret = record["name"], record["secret"]
    assert full_name == f"robot${project}+ci"
    assert "cannot be shown again" in created.stderr

    robot = harborctl_factory()
    login = robot("login", admin.registry.url, "-u", full_name, "--password-stdin", input=secret + "\n")
    assert login.code == 0, login.stderr  # a robot can log in (no /users/current for robots)

    listed = json.loads(admin("robots", "list", "--project", project, "--json").stdout)
    assert [r["name"] for r in listed] == [full_name]
    assert "secret" not in listed[0]
    shown = admin("robots", "get", "ci", "--project", project)
    assert "repository:push" in shown.stdout
    assert secret not in shown.stdout

    refreshed = admin("robots", "refresh-secret", full_name)
    assert refreshed.code == 0, refreshed.stderr
    new_secret = refreshed.stdout.strip()
    assert new_secret and new_secret != secret
    assert robot("system", "statistics").code == 3  # the old secret no longer works

    system = json.loads(
        admin("robots", "create", "cli-sys", "--system-access", "project:create", "--json").stdout
    )
    assert system["secret"]
    assert admin("robots", "delete", "cli-sys").code == 0  # by the name without the prefix
    assert admin("robots", "delete", full_name).code == 0
    gone = admin("robots", "get", "ci", "--project", project)
    assert (gone.code, one_error_line(gone.stderr)) == (2, 'harborctl: robot "ci" not found')
    assert not admin("robots", "list", "--project", project, "--json").stdout.strip("[]\n ")


def test_labels_quotas_and_audit_logs(admin: Harborctl, project: str):
    label = unique("clilabel")
    response = httpx.post(
        f"{admin.registry.url}/api/v2.0/labels",
        json={"name": label, "scope": "g", "color": "#00ff00", "description": "from the cli tests"},
        auth=("admin", ADMIN_PASSWORD),
    )
    assert response.status_code == 201, response.text
    labels = json.loads(admin("labels", "list", "--all", "--json").stdout)
    assert label in [item["name"] for item in labels]
    assert [row[1:3] for row in rows(admin("labels", "list", "--name", label).stdout)] == [[label, "global"]]
    assert json.loads(admin("labels", "list", "--project", project, "--json").stdout) == []

    quotas = json.loads(admin("quotas", "list", "--project", project, "--json").stdout)
    assert [q["ref"]["name"] for q in quotas] == [project]
    assert rows(admin("quotas", "list", "--project", project).stdout)[0][1] == project

    deadline = time.monotonic() + 20  # audit entries may be written by a background flush
    while True:
        entries = json.loads(admin("audit-logs", "list", "--project", project, "--json").stdout)
        if any(e["operation"] == "create" and e["resource_type"] == "project" for e in entries):
            break
        assert time.monotonic() < deadline, entries
        time.sleep(0.5)
    assert admin("audit-logs", "list", "-q", "operation=create", "--page-size", "5").code == 0
    assert admin("audit-logs", "list", "--legacy", "--json").code == 0
    missing = admin("audit-logs", "list", "--project", "no-such-project")
    assert missing.code == 2
