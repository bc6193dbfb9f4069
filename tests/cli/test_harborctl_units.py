"""harborctl's pieces without a server: parsing, the config file, error and paging handling.

The HTTP tests use httpx's MockTransport, which answers in-process, so the
client's real request, error and `Link` code runs.
"""

from __future__ import annotations

import json
import os
import stat
from pathlib import Path

import click
import httpx
import pytest

from harborctl import config
from harborctl.cli import parse_repo_ref, parse_size
from harborctl.client import HarborClient, parse_link_header, repository_segment
from harborctl.errors import APIError, ExitCode, HarborctlError, exit_code_for_status
from harborctl.main import run
from harborctl.progress import JobState, wait_for


@pytest.fixture
def config_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path / "xdg"))
    monkeypatch.setenv("HOME", str(tmp_path))
    for name in (config.ENV_URL, config.ENV_USERNAME, config.ENV_PASSWORD, config.ENV_INSECURE):
        monkeypatch.delenv(name, raising=False)
    return tmp_path / "xdg" / "harborctl"


def client(handler, **credentials) -> HarborClient:
    creds = config.Credentials(url="https://harbor.test", **credentials)
    return HarborClient(creds, transport=httpx.MockTransport(handler))


@pytest.mark.parametrize(
    ("value", "expected"),
    [
        ("library/nginx", ("library", "nginx", None)),
        ("library/nginx:1.25", ("library", "nginx", "1.25")),
        ("library/team/app:v1", ("library", "team/app", "v1")),
        ("library/nginx@sha256:" + "a" * 64, ("library", "nginx", "sha256:" + "a" * 64)),
    ],
)
def test_repository_references(value: str, expected: tuple):
    ref = parse_repo_ref(value)
    assert (ref.project, ref.repository, ref.reference) == expected
    assert str(ref) == value


@pytest.mark.parametrize("value", ["nginx", "library/", "library//x", "library/nginx:", "library/x@latest"])
def test_bad_repository_references(value: str):
    with pytest.raises(click.BadParameter):
        parse_repo_ref(value)


def test_reference_requirements():
    with pytest.raises(click.BadParameter):
        parse_repo_ref("library/nginx", reference="required")
    with pytest.raises(click.BadParameter):
        parse_repo_ref("library/nginx:1", reference="forbidden")


def test_repository_names_are_encoded_twice():
    assert repository_segment("team/app") == "team%252Fapp"


@pytest.mark.parametrize(
    ("value", "expected"), [("1024", 1024), ("10G", 10 * 1024**3), ("500MiB", 500 * 1024**2), ("-1", -1)]
)
def test_sizes(value: str, expected: int):
    assert parse_size(value) == expected


@pytest.mark.parametrize("value", ["ten", "-2", "-1G", "5X"])
def test_bad_sizes(value: str):
    with pytest.raises(click.BadParameter):
        parse_size(value)


def test_link_header():
    value = (
        '</api/v2.0/projects?page=1&page_size=2>; rel="prev" , '
        '</api/v2.0/projects?page=3&page_size=2>; rel="next"'
    )
    assert parse_link_header(value) == {
        "prev": "/api/v2.0/projects?page=1&page_size=2",
        "next": "/api/v2.0/projects?page=3&page_size=2",
    }
    assert parse_link_header(None) == {}


@pytest.mark.parametrize(
    ("status", "code"),
    [(400, 4), (401, 3), (403, 3), (404, 2), (409, 4), (412, 4), (429, 3), (500, 5), (503, 5)],
)
def test_exit_codes(status: int, code: int):
    assert exit_code_for_status(status) == code


@pytest.mark.parametrize(
    ("given", "normal"),
    [
        ("harbor.example.com", "https://harbor.example.com"),
        ("http://127.0.0.1:8080/", "http://127.0.0.1:8080"),
        ("https://h/api/v2.0/", "https://h"),
    ],
)
def test_urls_are_normalized(given: str, normal: str):
    assert config.normalize_url(given) == normal


def test_saved_file_is_private_even_with_a_permissive_umask(config_home: Path):
    old = os.umask(0)
    try:
        path = config.save(config.Credentials("https://h", "admin", "S3cret!x"))
    finally:
        os.umask(old)
    assert path == config_home / "config.json"
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(config_home.stat().st_mode) == 0o700
    assert json.loads(path.read_text())["password"] == "S3cret!x"
    assert "S3cret" not in repr(config.load_saved())


def test_environment_overrides_and_other_servers(config_home: Path, monkeypatch: pytest.MonkeyPatch):
    config.save(config.Credentials("https://h", "admin", "S3cret!x"))
    monkeypatch.setenv(config.ENV_USERNAME, "bob")
    assert (config.resolve().username, config.resolve().password) == ("bob", "S3cret!x")
    monkeypatch.setenv(config.ENV_URL, "https://other")
    resolved = config.resolve()
    assert (resolved.url, resolved.username, resolved.password) == ("https://other", "bob", None)


def test_not_logged_in(config_home: Path):
    with pytest.raises(HarborctlError) as error:
        config.resolve()
    assert error.value.exit_code == ExitCode.AUTH


def test_harbor_errors_become_one_message():
    def handler(request: httpx.Request) -> httpx.Response:
        if request.url.path.endswith("/conflict"):
            return httpx.Response(409, json={"errors": [{"code": "CONFLICT", "message": "name taken"}]})
        if request.url.path.endswith("/html"):
            return httpx.Response(502, text="<html>bad gateway</html>")
        return httpx.Response(404, json={"errors": [{"code": "NOT_FOUND", "message": "x"}]})

    api = client(handler, username="admin", password="pw")
    with pytest.raises(APIError) as error:
        api.get("/conflict")
    assert (error.value.status, error.value.code, error.value.message) == (409, "CONFLICT", "name taken")
    with pytest.raises(APIError) as error:
        api.get("/projects/foo", not_found='project "foo"')
    assert (error.value.exit_code, str(error.value)) == (ExitCode.NOT_FOUND, 'project "foo" not found')
    with pytest.raises(APIError) as error:
        api.get("/html")
    assert error.value.exit_code == ExitCode.SERVER
    assert str(error.value) == "server error (502): 502 Bad Gateway"


def test_all_pages_follow_links_and_keep_credentials_home():
    seen: list[str] = []

    def handler(request: httpx.Request) -> httpx.Response:
        seen.append(str(request.url))
        page = int(request.url.params["page"])
        headers = {"X-Total-Count": "3"}
        if page < 3:
            headers["Link"] = f'</api/v2.0/things?q=a%3D1&page={page + 1}&page_size=1>; rel="next"'
        return httpx.Response(200, json=[{"n": page}], headers=headers)

    progress: list[tuple[int, int | None]] = []
    items = list(
        client(handler).iterate(
            "/things", {"q": "a=1"}, page_size=1, on_page=lambda n, t: progress.append((n, t))
        )
    )
    assert items == [{"n": 1}, {"n": 2}, {"n": 3}]
    assert progress == [(1, 3), (2, 3), (3, 3)]
    assert all("q=a%3D1" in url for url in seen)

    def elsewhere(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, json=[{}], headers={"Link": '<https://evil.test/x?page=2>; rel="next"'})

    with pytest.raises(HarborctlError, match="another host"):
        list(client(elsewhere).iterate("/things"))


def test_wait_for_polls_until_done_and_times_out():
    states = iter([JobState(False, 1, 3, "running"), JobState(False, 2, 3, "running"), JobState(True, 3, 3)])
    final = wait_for(lambda: next(states), description="Scanning", sleep=lambda _: None, enabled=False)
    assert final.done and final.completed == 3

    with pytest.raises(HarborctlError) as error:
        wait_for(lambda: JobState(False, status="pending"), description="GC", timeout=0, enabled=False)
    assert error.value.exit_code == ExitCode.SERVER
    assert "still pending" in str(error.value)


def test_usage_errors_exit_1(config_home: Path, capsys: pytest.CaptureFixture[str]):
    assert run(["projects", "create"]) == ExitCode.USAGE
    assert run(["members", "add", "p", "alice", "--role", "boss"]) == ExitCode.USAGE
    assert "is not a role" in capsys.readouterr().err
    assert run(["robots", "create", "ci"]) == ExitCode.USAGE  # neither --project nor --system-access
