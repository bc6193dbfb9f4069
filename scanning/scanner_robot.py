"""The short-lived robot a remote scanner pulls with (harbor.md §1.4 "Scanner access").

It holds `pull` and `scanner-pull` on the artifact's project: `pull` lets the adapter fetch a
token and the layers; `scanner-pull` is what the vulnerability pull policy recognises, so a
scanner can read an artifact that the policy blocks for everyone else. Robots cannot be granted
`scanner-pull` through the robot API (it is not grantable), hence the row written here. It
expires with the scan's timeout and is deleted when the scan ends, however it ends.
"""

from __future__ import annotations

import base64
import uuid
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from projects.models import Project, Robot
from projects.robots import generate_secret, login_name

NAME_PREFIX = "scanner-"


@contextmanager
def scanner_robot(project: Project) -> Iterator[str]:
    """Yields the `Authorization` value of the scan request: Basic with the robot's login."""
    secret = generate_secret()
    access = [
        {"resource": "repository", "action": action, "effect": "allow"} for action in ("pull", "scanner-pull")
    ]
    robot = Robot.objects.create(
        name=f"{project.name}+{NAME_PREFIX}{uuid.uuid4().hex[:12]}",
        project=project,
        description="temporary credential of one scan",
        permissions=[{"kind": "project", "namespace": project.name, "access": access}],
        duration=1,
        expires_at=timezone.now() + timedelta(minutes=settings.SCAN_TIMEOUT_MINUTES),
        secret=make_password(secret),
    )
    try:
        yield "Basic " + base64.b64encode(f"{login_name(robot)}:{secret}".encode()).decode()
    finally:
        Robot.objects.filter(pk=robot.pk).delete()
