"""Starting the test OpenID Connect provider (tests/oidc_provider) in its own process."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import httpx
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric import rsa

from tests.server import ROOT, free_port

CLIENT_ID = "harbor-registry"
CLIENT_SECRET = "Client-secret-123"


@dataclass(frozen=True)
class Provider:
    url: str  # the issuer, e.g. http://127.0.0.1:PORT/o

    def harbor_config(self, **overrides: object) -> dict[str, object]:
        return {
            "auth_mode": "oidc_auth",
            "oidc_name": "test provider",
            "oidc_endpoint": self.url,
            "oidc_client_id": CLIENT_ID,
            "oidc_client_secret": CLIENT_SECRET,
            "oidc_scope": "openid,profile,email,groups",
            "oidc_user_claim": "preferred_username",
            "oidc_groups_claim": "groups",
            "oidc_group_filter": "^harbor-",
            "oidc_admin_group": "harbor-admins",
            "oidc_auto_onboard": True,
            **overrides,
        }


@contextmanager
def running_provider(root: Path, redirect_uri: str) -> Iterator[Provider]:
    key = rsa.generate_private_key(public_exponent=65537, key_size=2048)
    key_file = root / "oidc.pem"
    key_file.write_bytes(
        key.private_bytes(
            serialization.Encoding.PEM, serialization.PrivateFormat.PKCS8, serialization.NoEncryption()
        )
    )
    port = free_port()
    env = {
        **os.environ,
        "DJANGO_SETTINGS_MODULE": "tests.oidc_provider.settings",
        "OIDC_PROVIDER_DB": str(root / "provider.sqlite3"),
        "OIDC_PROVIDER_KEY": str(key_file),
        "OIDC_CLIENT_ID": CLIENT_ID,
        "OIDC_CLIENT_SECRET": CLIENT_SECRET,
        "OIDC_REDIRECT_URI": redirect_uri,
    }
    django = [sys.executable, "-m", "django"]
    subprocess.run([*django, "migrate", "-v", "0"], cwd=ROOT, env=env, check=True, capture_output=True)
    seed = (Path(__file__).parent / "oidc_provider" / "seed.py").read_text()
    subprocess.run([*django, "shell", "-c", seed], cwd=ROOT, env=env, check=True, capture_output=True)
    log = open(root / "provider.log", "wb")  # noqa: SIM115 - closed below
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "-b", f"127.0.0.1:{port}", "-w", "2", "tests.oidc_provider.wsgi"],
        cwd=ROOT,
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    url = f"http://127.0.0.1:{port}/o"
    try:
        deadline = time.monotonic() + 30
        while True:
            try:
                if httpx.get(f"{url}/.well-known/openid-configuration", timeout=1).status_code == 200:
                    break
            except httpx.HTTPError:
                pass
            if process.poll() is not None or time.monotonic() > deadline:
                raise RuntimeError(f"OIDC provider did not start: {(root / 'provider.log').read_text()}")
            time.sleep(0.2)
        yield Provider(url)
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        process.wait(timeout=30)
        log.close()
