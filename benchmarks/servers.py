"""Starting the two registries under test, and watching their processes from /proc.

Both servers run from a fresh data dir under the benchmark's temp dir, bound to
127.0.0.1 on a free port. Ours is started exactly as `make run` starts its web
process (gunicorn with `harbor_site/gunicorn.conf.py`), without Celery: nothing
on the measured paths waits for a worker. We launch it here rather than through
`tests/server.py` so that the benchmark process needs no Django and holds the
gunicorn master's `Popen` handle, whose pid roots the process tree we sample.
"""

from __future__ import annotations

import base64
import json
import os
import shutil
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from client import Client

ROOT = Path(__file__).resolve().parent.parent
DISTRIBUTION_BINARY = "/usr/bin/docker-registry"
ADMIN_PASSWORD = "Harbor12345"
REPOSITORY = "library/bench"
START_TIMEOUT = 60.0


@dataclass
class Server:
    """A running registry: where to reach it, what to send, and which process to watch."""

    name: str
    url: str
    process: subprocess.Popen[bytes]
    log_path: Path
    headers: dict[str, str] = field(default_factory=dict)

    @property
    def pid(self) -> int:
        return self.process.pid

    def client(self) -> Client:
        return Client(self.url, self.headers)


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def distribution_config(root: Path, port: int) -> str:
    """A config.yml like Debian's default, minus auth, plus our address and a quiet log.

    The in-memory blob descriptor cache stays on because Debian ships it on: we
    compare against distribution as people run it. The access log is off, as ours is.
    """
    return (
        "version: 0.1\n"
        "log:\n"
        "  level: warn\n"
        "  accesslog:\n"
        "    disabled: true\n"
        "storage:\n"
        "  cache:\n"
        "    blobdescriptor: inmemory\n"
        "  filesystem:\n"
        f"    rootdirectory: {root}\n"
        "  delete:\n"
        "    enabled: true\n"
        "http:\n"
        f"  addr: 127.0.0.1:{port}\n"
    )


def _wait_until_ready(server: Server, expected_status: int) -> None:
    """Poll `/v2/` until it answers as a ready server does, or fail with the server's log."""
    deadline = time.monotonic() + START_TIMEOUT
    while True:
        try:
            if Client(server.url).request("GET", "/v2/").status == expected_status:
                return
        except OSError:
            pass
        if server.process.poll() is not None or time.monotonic() > deadline:
            raise RuntimeError(f"{server.name} did not start:\n{server.log_path.read_text()}")
        time.sleep(0.2)


def _stop(process: subprocess.Popen[bytes]) -> None:
    """SIGTERM the server's whole session (gunicorn master and workers), then wait."""
    if process.poll() is None:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=30)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@contextmanager
def _running(server: Server, expected_status: int) -> Iterator[Server]:
    try:
        _wait_until_ready(server, expected_status)
        yield server
    finally:
        _stop(server.process)


@contextmanager
def start_distribution(workdir: Path) -> Iterator[Server]:
    """CNCF distribution (Debian's docker-registry) with filesystem storage and no auth."""
    if not shutil.which(DISTRIBUTION_BINARY):
        raise RuntimeError(f"{DISTRIBUTION_BINARY} not found: apt-get install docker-registry")
    port = free_port()
    workdir.mkdir(parents=True)
    config = workdir / "config.yml"
    config.write_text(distribution_config(workdir / "storage", port))
    log_path = workdir / "server.log"
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            [DISTRIBUTION_BINARY, "serve", str(config)],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
    server = Server("distribution", f"http://127.0.0.1:{port}", process, log_path)
    with _running(server, 200):
        yield server


def harbor_env(data_dir: Path, port: int, workers: int) -> dict[str, str]:
    """The environment of our server: the caller's, pointed at a fresh data dir and port.

    Tokens live a day so that one token, fetched once, lasts the whole run; the access
    log is off (distribution's is off too) and the log level is quiet.
    """
    env = {
        **os.environ,
        "HARBOR_DATA_DIR": str(data_dir),
        "HARBOR_PORT": str(port),
        "HARBOR_BIND": "127.0.0.1",
        "HARBOR_WEB_WORKERS": str(workers),
        "HARBOR_ADMIN_PASSWORD": ADMIN_PASSWORD,
        "HARBOR_ACCESS_LOG": "false",
        "HARBOR_LOG_LEVEL": "WARNING",
        "HARBOR_CONFIG_TOKEN_EXPIRATION": "1440",
    }
    for inherited in ("DJANGO_SETTINGS_MODULE", "HARBOR_BLOB_DIR", "HARBOR_TOKEN_PRIVATE_KEY_FILE"):
        env.pop(inherited, None)
    return env


def _manage(env: dict[str, str], *args: str) -> None:
    subprocess.run([sys.executable, "manage.py", *args], cwd=ROOT, env=env, check=True, capture_output=True)


def fetch_token(url: str) -> str:
    """One bearer token for pull+push on the bench repository, as `docker login` would get."""
    basic = base64.b64encode(f"admin:{ADMIN_PASSWORD}".encode()).decode()
    path = f"/service/token?service=harbor-registry&scope=repository:{REPOSITORY}:pull,push"
    response = Client(url, {"Authorization": f"Basic {basic}"}).request("GET", path)
    if response.status != 200:
        raise RuntimeError(f"token request failed: {response.status} {response.body[:200]!r}")
    return json.loads(response.body)["token"]


@contextmanager
def start_harbor(workdir: Path, workers: int) -> Iterator[Server]:
    """Our registry: migrate, bootstrap (admin + library), then gunicorn as `make run` does."""
    port = free_port()
    data_dir = workdir / "data"
    data_dir.mkdir(parents=True)
    env = harbor_env(data_dir, port, workers)
    _manage(env, "migrate", "--no-input", "-v", "0")
    _manage(env, "bootstrap")
    log_path = workdir / "server.log"
    command = [sys.executable, "-m", "gunicorn", "-c", "harbor_site/gunicorn.conf.py", "harbor_site.wsgi"]
    with open(log_path, "wb") as log:
        process = subprocess.Popen(
            command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT, start_new_session=True
        )
    server = Server("harbor", f"http://127.0.0.1:{port}", process, log_path)
    with _running(server, 401):
        server.headers = {"Authorization": f"Bearer {fetch_token(server.url)}"}
        yield server
