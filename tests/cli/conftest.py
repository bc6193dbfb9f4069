"""Fixtures for driving the installed `harborctl` command against a real server.

The command runs as a subprocess, exactly as a user runs it, with HOME and
XDG_CONFIG_HOME in a temporary directory so the real user's config is never
read or written.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import httpx
import pytest

from tests.server import ADMIN_PASSWORD, LiveRegistry, live_registry


def installed_harborctl() -> Path:
    """The console script `pip install -e .` put next to the venv's python."""
    path = Path(sys.executable).parent / "harborctl"
    if not path.exists():
        pytest.fail(f"{path} is missing: `make test` installs it (pip install --no-deps -e .)")
    return path


def unique(prefix: str) -> str:
    return f"{prefix}-{uuid.uuid4().hex[:8]}"


def one_error_line(stderr: str) -> str:
    """Failures are one line on stderr, prefixed with the program name."""
    lines = stderr.strip().splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("harborctl: "), stderr
    return lines[0]


def rows(table: str) -> list[list[str]]:
    """A table's data rows split into cells (the header and the rule line dropped)."""
    lines = [line for line in table.splitlines() if line.strip() and "──" not in line]
    return [line.split() for line in lines[1:]]


@dataclass
class Result:
    code: int
    stdout: str
    stderr: str


class Harborctl:
    """Runs the installed command with an isolated HOME; `env` adds or overrides variables."""

    def __init__(self, home: Path, registry: LiveRegistry) -> None:
        self.home = home
        self.registry = registry
        self.binary = installed_harborctl()
        self.env = {
            key: value
            for key, value in os.environ.items()
            if not key.startswith("HARBORCTL_") and key not in ("COLUMNS", "XDG_CONFIG_HOME")
        }
        self.env.update(HOME=str(home), XDG_CONFIG_HOME=str(home / ".config"))
        self.history: list[Result] = []

    @property
    def config_dir(self) -> Path:
        return self.home / ".config" / "harborctl"

    def __call__(self, *args: str, input: str | None = None, env: dict[str, str] | None = None) -> Result:
        completed = subprocess.run(
            [str(self.binary), *args],
            input=input if input is not None else "",
            capture_output=True,
            text=True,
            env={**self.env, **(env or {})},
            timeout=60,
        )
        result = Result(completed.returncode, completed.stdout, completed.stderr)
        self.history.append(result)
        return result

    def login(self, username: str = "admin", password: str = ADMIN_PASSWORD) -> Result:
        result = self("login", self.registry.url, "-u", username, "--password-stdin", input=password + "\n")
        assert result.code == 0, result.stderr
        return result


@pytest.fixture(scope="session")
def registry(tmp_path_factory) -> Iterator[LiveRegistry]:
    with live_registry(tmp_path_factory.mktemp("cli")) as server:
        yield server


@pytest.fixture
def harborctl(registry: LiveRegistry, tmp_path: Path) -> Harborctl:
    """A harborctl with an empty home: not logged in."""
    home = tmp_path / "home"
    home.mkdir()
    return Harborctl(home, registry)


@pytest.fixture
def harborctl_factory(registry: LiveRegistry, tmp_path: Path):
    """More harborctls, each with a home of its own (a second user on the same machine)."""
    homes = iter(range(1, 100))

    def make() -> Harborctl:
        home = tmp_path / f"home-{next(homes)}"
        home.mkdir()
        return Harborctl(home, registry)

    return make


@pytest.fixture
def admin(harborctl: Harborctl) -> Harborctl:
    """A harborctl logged in as the server's admin."""
    harborctl.login()
    return harborctl


def _digest(data: bytes) -> str:
    return "sha256:" + hashlib.sha256(data).hexdigest()


def push_image(registry: LiveRegistry, name: str, tag: str) -> str:
    """Push a tiny OCI image through `/v2/` (as any client would) and return its digest."""
    auth = ("admin", ADMIN_PASSWORD)
    config = json.dumps({"architecture": "amd64", "os": "linux", "nonce": os.urandom(8).hex()}).encode()
    layer = os.urandom(512)
    with httpx.Client(base_url=registry.url, auth=auth, timeout=30) as http:
        for blob in (config, layer):
            started = http.post(f"/v2/{name}/blobs/uploads/")
            assert started.status_code == 202, started.text
            done = http.put(
                started.headers["location"],
                params={"digest": _digest(blob)},
                content=blob,
                headers={"Content-Type": "application/octet-stream"},
            )
            assert done.status_code == 201, done.text
        manifest = json.dumps(
            {
                "schemaVersion": 2,
                "mediaType": "application/vnd.oci.image.manifest.v1+json",
                "config": {
                    "mediaType": "application/vnd.oci.image.config.v1+json",
                    "digest": _digest(config),
                    "size": len(config),
                },
                "layers": [
                    {
                        "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
                        "digest": _digest(layer),
                        "size": len(layer),
                    }
                ],
            }
        ).encode()
        pushed = http.put(
            f"/v2/{name}/manifests/{tag}",
            content=manifest,
            headers={"Content-Type": "application/vnd.oci.image.manifest.v1+json"},
        )
        assert pushed.status_code == 201, pushed.text
    return _digest(manifest)
