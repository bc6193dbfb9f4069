"""skopeo as project members: a developer pushes and pulls, a guest only pulls."""

from __future__ import annotations

import pytest

from tests.server import ADMIN_PASSWORD

from .oci_layout import write_image_layout
from .test_skopeo import skopeo

pytestmark = pytest.mark.e2e

SETUP = """
from django.contrib.auth import get_user_model
from projects.models import Project, ProjectMember
from projects.rbac import Role
project, _ = Project.objects.get_or_create(name="roles")
for name, role in (("devuser", Role.DEVELOPER), ("guestuser", Role.GUEST)):
    user = get_user_model().objects.create_user(name, password="Password1")
    ProjectMember.objects.create(project=project, user=user, role=role)
"""


def copy_in(registry, tmp_path, creds: str, reference: str):
    source = tmp_path / reference.replace("/", "_").replace(":", "_")
    write_image_layout(source, "v1", [3000])
    return skopeo(
        "copy",
        "--dest-tls-verify=false",
        f"--dest-creds={creds}",
        f"oci:{source}:v1",
        f"docker://{registry.host}/{reference}",
    )


def test_developer_pushes_guest_only_pulls(registry, tmp_path):
    registry.manage("shell", "-c", SETUP)
    assert copy_in(registry, tmp_path, f"admin:{ADMIN_PASSWORD}", "roles/app:seed").returncode == 0

    pushed = copy_in(registry, tmp_path, "devuser:Password1", "roles/app:dev")
    assert pushed.returncode == 0, pushed.stderr
    refused = copy_in(registry, tmp_path, "guestuser:Password1", "roles/app:guest")
    assert refused.returncode != 0
    assert "denied" in refused.stderr.lower() or "unauthorized" in refused.stderr.lower()

    pulled = skopeo(
        "copy",
        "--src-tls-verify=false",
        "--src-creds=guestuser:Password1",
        f"docker://{registry.host}/roles/app:dev",
        f"oci:{tmp_path / 'pulled'}:v1",
    )
    assert pulled.returncode == 0, pulled.stderr
