"""Where harborctl keeps the server URL and credentials, and how the environment overrides them.

The file is `$XDG_CONFIG_HOME/harborctl/config.json` (`~/.config/...` by default):
`{"url", "username", "password", "insecure"}`. It holds a password, so it is
created with mode 0600 from the first byte (`os.open(..., 0o600)` on a fresh
temporary file that then replaces the old one) and its directory with 0700;
it is never world-readable, not even for a moment.

`HARBORCTL_URL`, `HARBORCTL_USERNAME` and `HARBORCTL_PASSWORD` override the
file, field by field. When `HARBORCTL_URL` names another server than the file,
the file's credentials are not used at all: a password saved for one server is
never sent to another.
"""

from __future__ import annotations

import contextlib
import json
import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .errors import ExitCode, HarborctlError

ENV_URL = "HARBORCTL_URL"
ENV_USERNAME = "HARBORCTL_USERNAME"
ENV_PASSWORD = "HARBORCTL_PASSWORD"
ENV_INSECURE = "HARBORCTL_INSECURE"


@dataclass
class Credentials:
    """What a client needs to talk to one server. `password` stays out of `repr()` so a
    traceback or debug print cannot leak it."""

    url: str
    username: str | None = None
    password: str | None = field(default=None, repr=False)
    insecure: bool = False

    @property
    def has_auth(self) -> bool:
        return bool(self.username) and self.password is not None


def config_dir() -> Path:
    """The XDG config directory of harborctl (`XDG_CONFIG_HOME` if set and absolute, as the spec says)."""
    base = os.environ.get("XDG_CONFIG_HOME", "")
    root = Path(base) if base and os.path.isabs(base) else Path.home() / ".config"
    return root / "harborctl"


def config_path() -> Path:
    return config_dir() / "config.json"


def normalize_url(url: str) -> str:
    """`host[:port]` gets `https://`; a trailing `/` or `/api/v2.0` is dropped, so every
    spelling of one server is stored and compared the same way."""
    url = url.strip()
    if not url:
        raise HarborctlError("the server URL is empty")
    if "://" not in url:
        url = "https://" + url
    scheme = url.split("://", 1)[0].lower()
    if scheme not in ("http", "https"):
        raise HarborctlError(f"unsupported URL scheme {scheme!r}: use http:// or https://")
    url = url.rstrip("/")
    for suffix in ("/api/v2.0", "/api"):
        if url.endswith(suffix):
            url = url[: -len(suffix)]
    return url.rstrip("/")


def load_saved() -> Credentials | None:
    """The saved credentials, or None when nobody logged in."""
    path = config_path()
    try:
        raw = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return None
    except OSError as exc:
        raise HarborctlError(f"cannot read {path}: {exc.strerror}") from None
    _warn_if_exposed(path)
    try:
        data: Any = json.loads(raw)
        return Credentials(
            url=normalize_url(str(data["url"])),
            username=data.get("username") or None,
            password=data.get("password"),
            insecure=bool(data.get("insecure", False)),
        )
    except (ValueError, KeyError, TypeError, HarborctlError):
        raise HarborctlError(f"{path} is not a valid harborctl config; run 'harborctl login' again") from None


def _warn_if_exposed(path: Path) -> None:
    """A file someone copied or chmod-ed may have become readable by others; say so (but keep working)."""
    with contextlib.suppress(OSError):
        if stat.S_IMODE(path.stat().st_mode) & 0o077:
            print(
                f"harborctl: warning: {path} is readable by other users; run 'chmod 600 {path}'",
                file=sys.stderr,
            )


def save(credentials: Credentials) -> Path:
    """Write the credentials atomically with mode 0600; returns the path written."""
    directory = config_dir()
    directory.mkdir(mode=0o700, parents=True, exist_ok=True)
    path = directory / "config.json"
    temporary = directory / f".config.json.{os.getpid()}.tmp"
    with contextlib.suppress(FileNotFoundError):
        temporary.unlink()
    body = json.dumps(
        {
            "url": credentials.url,
            "username": credentials.username,
            "password": credentials.password,
            "insecure": credentials.insecure,
        },
        indent=2,
    )
    flags = os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0)
    fd = os.open(temporary, flags, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            handle.write(body + "\n")
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    except BaseException:
        with contextlib.suppress(FileNotFoundError):
            temporary.unlink()
        raise
    return path


def remove() -> Credentials | None:
    """Delete the saved credentials; returns what was saved (None if nothing was)."""
    try:
        saved = load_saved()
    except HarborctlError:
        saved = None  # a corrupt file is removed all the same
    try:
        config_path().unlink()
    except FileNotFoundError:
        return None
    return saved or Credentials(url="")


def _env(name: str) -> str | None:
    value = os.environ.get(name)
    return value if value else None


def resolve() -> Credentials:
    """The credentials to use: environment variables over the saved file."""
    saved = load_saved()
    env_url = _env(ENV_URL)
    url = normalize_url(env_url) if env_url else (saved.url if saved else None)
    if url is None:
        raise HarborctlError(
            "not logged in: run 'harborctl login URL -u USER' or set HARBORCTL_URL", ExitCode.AUTH
        )
    if saved is not None and saved.url != url:
        saved = None  # never send one server's saved password to another
    insecure_env = _env(ENV_INSECURE)
    return Credentials(
        url=url,
        username=_env(ENV_USERNAME) or (saved.username if saved else None),
        password=_env(ENV_PASSWORD) or (saved.password if saved else None),
        insecure=(insecure_env.lower() in ("1", "true", "yes"))
        if insecure_env
        else (saved.insecure if saved else False),
    )
