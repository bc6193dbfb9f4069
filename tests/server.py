"""Starting a real registry server (gunicorn, as `make run` does) for end-to-end tests.

The server gets its own data dir and its own database: a SQLite file, or, when
the suite runs on PostgreSQL, a fresh database next to the test database.
"""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from django.conf import settings

ROOT = Path(__file__).resolve().parent.parent
ADMIN_PASSWORD = "Harbor12345"


@dataclass
class LiveRegistry:
    url: str
    host: str  # host:port, as image references want it
    data_dir: Path
    env: dict[str, str]

    def manage(self, *args: str) -> str:
        result = subprocess.run(
            [sys.executable, "manage.py", *args],
            cwd=ROOT,
            env=self.env,
            check=True,
            capture_output=True,
            text=True,
        )
        return result.stdout


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


def _database_url() -> tuple[str, str | None]:
    """A database URL for the server, and the PostgreSQL database to drop afterwards."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        return "", None
    name = f"harbor_e2e_{uuid.uuid4().hex[:8]}"
    import psycopg

    conninfo = dict(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname="postgres"
    )
    if db.get("PASSWORD"):
        conninfo["password"] = db["PASSWORD"]
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'CREATE DATABASE "{name}"')
    password = f":{db['PASSWORD']}" if db.get("PASSWORD") else ""
    return f"postgres://{db['USER']}{password}@{conninfo['host']}:{conninfo['port']}/{name}", name


def _drop_database(name: str) -> None:
    import psycopg

    db = settings.DATABASES["default"]
    conninfo = dict(
        host=db["HOST"] or "127.0.0.1", port=db["PORT"] or 5432, user=db["USER"], dbname="postgres"
    )
    with psycopg.connect(**conninfo, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{name}" WITH (FORCE)')


@contextmanager
def live_registry(
    tmp: Path, workers: int = 2, extra_env: dict[str, str] | None = None
) -> Iterator[LiveRegistry]:
    port = free_port()
    data_dir = tmp / f"server-{port}"
    data_dir.mkdir(parents=True)
    database_url, database_name = _database_url()
    env = {
        **os.environ,
        "HARBOR_DATA_DIR": str(data_dir),
        "HARBOR_PORT": str(port),
        # Where its pages look for the websocket server (a test that wants one starts it there).
        "HARBOR_LIVE_PORT": str(free_port()),
        "HARBOR_BIND": "127.0.0.1",
        "HARBOR_WEB_WORKERS": str(workers),
        "HARBOR_ADMIN_PASSWORD": ADMIN_PASSWORD,
        # Each server's own queues on a shared Redis: its jobs name rows of its own database.
        "HARBOR_REDIS_KEY_PREFIX": f"harbor-e2e-{port}:",
        **(extra_env or {}),
    }
    env.pop("DJANGO_SETTINGS_MODULE", None)
    if database_url:
        env["HARBOR_DATABASE_URL"] = database_url
    else:
        env.pop("HARBOR_DATABASE_URL", None)
    registry = LiveRegistry(f"http://127.0.0.1:{port}", f"127.0.0.1:{port}", data_dir, env)
    registry.manage("migrate", "--no-input", "-v", "0")
    registry.manage("bootstrap")
    log = open(data_dir / "server.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-c", "harbor_site/gunicorn.conf.py", "harbor_site.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{registry.url}/v2/", timeout=1).status_code == 401:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"server did not start:\n{(data_dir / 'server.log').read_text()}")
            time.sleep(0.2)
        yield registry
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
        if database_name:
            _drop_database(database_name)
