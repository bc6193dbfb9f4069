"""The vulnerability pull policy on `GET /v2/<name>/manifests/<reference>`."""

from __future__ import annotations

import time

import pytest
from django.test import Client

from projects.allowlists import set_allowlist
from projects.models import Project
from scanning import jobs
from scanning.scan_models import ScanReport
from scanning.scanner_robot import scanner_robot
from tests.api.registry_helpers import push_index
from tests.registry.helpers import errors

from .images import FIXED_OPENSSL, push_debian_image

JSON = "application/json"
ART = "/api/v2.0/projects/library/repositories/app/artifacts"
PREVENT = "'Prevent images with vulnerability severity of \"{}\" or higher from running.' "


def set_metadata(**values: str) -> Project:
    project = Project.objects.get(name="library")
    project.metadata = {**project.metadata, **values}
    project.save()
    return project


def scanned(client: Client, tag: str) -> None:
    assert client.post(f"{ART}/{tag}/scan", {}, content_type=JSON).status_code == 202
    jobs.execute(ScanReport.objects.order_by("-id").first().pk)


def pull(client: Client, reference: str = "v1"):
    return client.get(f"/v2/library/app/manifests/{reference}")


def refusal(response) -> str:
    assert response.status_code == 412, response.content
    assert errors(response) == ["PROJECTPOLICYVIOLATION"]
    return response.json()["errors"][0]["message"]


def test_unscanned_pending_and_vulnerable_images_are_refused_at_the_threshold(admin_client, vulndb):
    push_debian_image(admin_client, "library/app", "v1")
    assert pull(admin_client).status_code == 200  # no policy
    set_metadata(prevent_vul="true", severity="low")
    assert refusal(pull(admin_client)) == (
        "current image without vulnerability scanning cannot be pulled due to configured policy in "
        + PREVENT.format("Low")
        + "To continue with pull, please contact your project administrator for help."
    )
    assert admin_client.head("/v2/library/app/manifests/v1").status_code == 200  # GET only, as Harbor

    admin_client.post(f"{ART}/v1/scan", {}, content_type=JSON)
    assert refusal(pull(admin_client)).startswith(
        'current image with "Pending" status of vulnerability scanning cannot be pulled'
    )
    jobs.execute(ScanReport.objects.get().pk)
    # Low (CVE-2023-5678) and Unknown (CVE-2023-5363): Low is at the threshold.
    assert refusal(pull(admin_client)) == (
        "current image with 2 vulnerabilities cannot be pulled due to configured policy in "
        + PREVENT.format("Low")
        + "To continue with pull, please contact your project administrator to exempt matched "
        "vulnerabilities through configuring the CVE allowlist."
    )
    set_metadata(severity="medium")
    assert pull(admin_client).status_code == 200


def test_failed_scans_are_refused(admin_client, vulndb):
    push_debian_image(admin_client, "library/app", "v1")
    set_metadata(prevent_vul="true", severity="critical")
    admin_client.post(f"{ART}/v1/scan", {}, content_type=JSON)
    ScanReport.objects.update(status="Error")
    assert '"Error" status' in refusal(pull(admin_client))


def test_project_and_system_allowlists_and_their_expiry(admin_client, vulndb):
    push_debian_image(admin_client, "library/app", "v1")
    project = set_metadata(prevent_vul="true", severity="low")
    scanned(admin_client, "v1")
    set_allowlist(project, {"items": [{"cve_id": "CVE-2023-5678"}], "expires_at": None})
    assert pull(admin_client).status_code == 200  # what is left is Unknown, below Low
    set_allowlist(project, {"items": [{"cve_id": "CVE-2023-5678"}], "expires_at": int(time.time()) - 1})
    assert "2 vulnerabilities" in refusal(pull(admin_client))

    set_allowlist(None, {"items": [{"cve_id": "CVE-2023-5678"}], "expires_at": int(time.time()) + 3600})
    assert refusal(pull(admin_client))  # the system list counts only when the project reuses it
    set_metadata(reuse_sys_cve_allowlist="true")
    assert pull(admin_client).status_code == 200
    set_allowlist(None, {"items": [{"cve_id": "CVE-2023-5363"}], "expires_at": None})
    assert "1 vulnerability cannot" in refusal(pull(admin_client))


def test_a_clean_image_passes(admin_client, vulndb):
    push_debian_image(admin_client, "library/app", "v1", FIXED_OPENSSL)
    set_metadata(prevent_vul="true", severity="low")
    scanned(admin_client, "v1")
    assert pull(admin_client).status_code == 200


def test_indexes_and_non_images_are_not_checked(admin_client):
    _, children = push_index(admin_client, "library/app", "multi", ["amd64"])
    set_metadata(prevent_vul="true", severity="low")
    assert pull(admin_client, "multi").status_code == 200
    assert pull(admin_client, children[0]).status_code == 412  # the image itself is


@pytest.mark.django_db
def test_the_scanner_robot_bypasses_the_policy(admin_client, vulndb):
    push_debian_image(admin_client, "library/app", "v1")
    project = set_metadata(prevent_vul="true", severity="low")
    with scanner_robot(project) as authorization:
        assert Client(HTTP_AUTHORIZATION=authorization).get("/v2/library/app/manifests/v1").status_code == 200
    assert refusal(pull(admin_client))  # a system administrator does not bypass it


def token_client(authorization: str) -> Client:
    reply = Client().get(
        "/service/token?service=harbor-registry&scope=repository:library/app:pull",
        HTTP_AUTHORIZATION=authorization,
    )
    assert reply.status_code == 200, reply.content
    return Client(HTTP_AUTHORIZATION=f"Bearer {reply.json()['token']}")


def test_a_scanner_pulling_with_a_token_bypasses_the_policy(admin_client, vulndb):
    from tests.conftest import ADMIN_PASSWORD, basic

    push_debian_image(admin_client, "library/app", "v1")
    project = set_metadata(prevent_vul="true", severity="low")
    with scanner_robot(project) as authorization:
        assert token_client(authorization).get("/v2/library/app/manifests/v1").status_code == 200
    assert refusal(token_client(basic("admin", ADMIN_PASSWORD)).get("/v2/library/app/manifests/v1"))
