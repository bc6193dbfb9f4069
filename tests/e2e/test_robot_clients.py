"""skopeo as a robot account: pull-only robots pull, push robots push, disabled or expired ones fail."""

from __future__ import annotations

import pytest

from .conftest import require
from .oci_layout import write_image_layout
from .test_skopeo import skopeo

pytestmark = pytest.mark.e2e

CREATE = """
from projects.models import Project
from projects.robots import create_robot, login_name
project, _ = Project.objects.get_or_create(name="robots")
access = [{{"resource": "repository", "action": a}} for a in {actions!r}]
permissions = [{{"kind": "project", "namespace": "robots", "access": access}}]
robot, secret = create_robot({name!r}, permissions, project=project)
print(login_name(robot) + ":" + secret)
"""


def make_robot(registry, name: str, *actions: str) -> str:
    """Create a robot in the live server's database; returns `login:secret`."""
    return (
        registry.manage("shell", "-c", CREATE.format(name=name, actions=list(actions)))
        .strip()
        .splitlines()[-1]
    )


def push(registry, tmp_path, creds: str, reference: str):
    source = tmp_path / reference.replace("/", "_").replace(":", "_")
    write_image_layout(source, "v1", [2000])
    return skopeo(
        "copy",
        "--dest-tls-verify=false",
        f"--dest-creds={creds}",
        f"oci:{source}:v1",
        f"docker://{registry.host}/{reference}",
    )


def pull(registry, tmp_path, creds: str, reference: str):
    return skopeo(
        "copy",
        "--src-tls-verify=false",
        f"--src-creds={creds}",
        f"docker://{registry.host}/{reference}",
        f"oci:{tmp_path / 'pulled'}:v1",
    )


def test_robot_permissions_with_skopeo(registry, tmp_path):
    require("skopeo")
    writer = make_robot(registry, "writer", "push")
    reader = make_robot(registry, "reader", "pull")
    assert writer.startswith("robot$robots+writer:")

    pushed = push(registry, tmp_path, writer, "robots/app:v1")
    assert pushed.returncode == 0, pushed.stderr
    refused = push(registry, tmp_path, reader, "robots/app:v2")
    assert refused.returncode != 0
    assert "denied" in refused.stderr.lower() or "unauthorized" in refused.stderr.lower()
    pulled = pull(registry, tmp_path, reader, "robots/app:v1")
    assert pulled.returncode == 0, pulled.stderr

    log = (registry.data_dir / "server.log").read_text()
    assert "/v2/robots/app/manifests/v1" in log  # the log is there and records these requests...
    for credentials in (writer, reader):
        assert credentials.split(":", 1)[1] not in log  # ...but never a secret


def test_disabled_and_expired_robots_are_refused(registry, tmp_path):
    require("skopeo")
    reader = make_robot(registry, "gone", "pull")
    assert push(registry, tmp_path, make_robot(registry, "seed", "push"), "robots/seed:v1").returncode == 0
    assert pull(registry, tmp_path, reader, "robots/seed:v1").returncode == 0
    registry.manage(
        "shell",
        "-c",
        "from projects.models import Robot; Robot.objects.filter(name='robots+gone').update(disabled=True)",
    )
    assert pull(registry, tmp_path, reader, "robots/seed:v1").returncode != 0
    registry.manage(
        "shell",
        "-c",
        "from django.utils import timezone; from projects.models import Robot; "
        "Robot.objects.filter(name='robots+gone').update(disabled=False, expires_at=timezone.now())",
    )
    assert pull(registry, tmp_path, reader, "robots/seed:v1").returncode != 0
