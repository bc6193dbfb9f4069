"""`/scanners` and `/projects/{p}/scanner` through HTTP, against a real adapter server."""

from __future__ import annotations

import pytest

from scanning.adapter import AdapterClient, AdapterError
from scanning.scan_models import ScannerRegistration
from tests.scanner_adapter import API_KEY, running_adapter

API = "/api/v2.0"
JSON = "application/json"
BUILTIN_UUID = "00000000-0000-4000-8000-000000000001"


@pytest.fixture
def adapter():
    with running_adapter() as running:
        yield running


def register(client, url: str, name: str = "remote", **extra) -> str:
    body = {
        "name": name,
        "url": url,
        "auth": "X-ScannerAdapter-API-Key",
        "access_credential": API_KEY,
        **extra,
    }
    response = client.post(f"{API}/scanners", body, content_type=JSON)
    assert response.status_code == 201, response.content
    return response["Location"].rsplit("/", 1)[1]


def test_the_builtin_scanner_is_registered_as_default(admin_client):
    listed = admin_client.get(f"{API}/scanners").json()
    assert [(s["name"], s["is_default"], s["url"]) for s in listed] == [("Built-in", True, "builtin://")]
    one = admin_client.get(f"{API}/scanners/{BUILTIN_UUID}").json()
    assert one["health"] == "healthy" and one["adapter"] == "Built-in"
    assert one["capabilities"] == {"support_vulnerability": True, "support_sbom": True}
    assert admin_client.delete(f"{API}/scanners/{BUILTIN_UUID}").status_code == 403
    assert (
        admin_client.put(f"{API}/scanners/{BUILTIN_UUID}", {"name": "x"}, content_type=JSON).status_code
        == 403
    )


def test_register_read_update_and_delete_an_adapter(admin_client, adapter):
    uuid = register(admin_client, adapter.url, description="a test adapter")
    one = admin_client.get(f"{API}/scanners/{uuid}").json()
    assert one["access_credential"] == "*****"  # never in clear
    assert (one["adapter"], one["vendor"], one["version"], one["health"]) == (
        "TestAdapter",
        "Tests",
        "0.1.0",
        "healthy",
    )
    assert one["capabilities"] == {"support_vulnerability": True, "support_sbom": True}
    assert ScannerRegistration.objects.get(uuid=uuid).access_credential == API_KEY

    metadata = admin_client.get(f"{API}/scanners/{uuid}/metadata").json()
    assert metadata["scanner"]["name"] == "TestAdapter"
    assert len(metadata["capabilities"]) == 2

    # A client sends back what it read: the masked credential leaves the real one alone.
    one["description"] = "renamed"
    assert admin_client.put(f"{API}/scanners/{uuid}", one, content_type=JSON).status_code == 200
    stored = ScannerRegistration.objects.get(uuid=uuid)
    assert (stored.description, stored.access_credential) == ("renamed", API_KEY)

    assert (
        admin_client.post(
            f"{API}/scanners", {"name": "remote", "url": adapter.url}, content_type=JSON
        ).status_code
        == 409
    )
    deleted = admin_client.delete(f"{API}/scanners/{uuid}")
    assert deleted.status_code == 200 and deleted.json()["name"] == "remote"
    assert admin_client.get(f"{API}/scanners/{uuid}").status_code == 404


def test_wrong_credential_makes_the_adapter_unhealthy(admin_client, adapter):
    uuid = register(admin_client, adapter.url, access_credential="wrong")
    assert admin_client.get(f"{API}/scanners/{uuid}").json()["health"] == "unhealthy"
    failed = admin_client.get(f"{API}/scanners/{uuid}/metadata")
    assert failed.status_code == 400
    assert "401: missing or wrong API key" in failed.json()["errors"][0]["message"]


def test_ping(admin_client, adapter):
    good = {"name": "x", "url": adapter.url, "auth": "X-ScannerAdapter-API-Key", "access_credential": API_KEY}
    assert admin_client.post(f"{API}/scanners/ping", good, content_type=JSON).status_code == 200
    down = admin_client.post(f"{API}/scanners/ping", {**good, "url": "http://127.0.0.1:9"}, content_type=JSON)
    assert down.status_code == 400 and "ConnectError" in down.json()["errors"][0]["message"]


@pytest.mark.parametrize(
    ("body", "message"),
    [
        ({"name": "x"}, "url required"),
        ({"name": "x", "url": "ftp://host"}, "url"),
        ({"name": "x", "url": "http://h", "auth": "Basic"}, "needs an access_credential"),
        ({"name": "x", "url": "http://h", "auth": "Basic", "access_credential": "nocolon"}, "user:password"),
        ({"name": "x", "url": "http://h", "auth": "Digest"}, "auth"),
        ({"name": "x", "url": "http://h", "skip_certVerify": "yes"}, "must be a boolean"),
        ({"name": "x", "url": "http://h", "colour": "red"}, "unknown field: colour"),
    ],
)
def test_bad_registrations_are_refused(admin_client, body, message):
    response = admin_client.post(f"{API}/scanners", body, content_type=JSON)
    assert response.status_code == 400
    assert message in response.json()["errors"][0]["message"]


def test_default_switch_and_its_rules(admin_client, adapter):
    uuid = register(admin_client, adapter.url)
    assert (
        admin_client.patch(f"{API}/scanners/{uuid}", {"is_default": True}, content_type=JSON).status_code
        == 200
    )
    defaults = [s["name"] for s in admin_client.get(f"{API}/scanners").json() if s["is_default"]]
    assert defaults == ["remote"]
    assert admin_client.delete(f"{API}/scanners/{uuid}").status_code == 400  # the default stays
    assert (
        admin_client.put(f"{API}/scanners/{uuid}", {"disabled": True}, content_type=JSON).status_code == 400
    )
    assert (
        admin_client.patch(
            f"{API}/scanners/{BUILTIN_UUID}", {"is_default": True}, content_type=JSON
        ).status_code
        == 200
    )
    assert admin_client.delete(f"{API}/scanners/{uuid}").status_code == 200


def test_only_system_admins_manage_registrations(user_client, admin_user):
    alice = user_client("alice")
    assert alice.get(f"{API}/scanners").status_code == 403
    assert (
        alice.post(f"{API}/scanners", {"name": "x", "url": "http://h"}, content_type=JSON).status_code == 403
    )
    assert alice.get(f"{API}/scanners/{BUILTIN_UUID}").status_code == 403
    from django.test import Client

    assert Client().get(f"{API}/scanners").status_code == 401


def test_project_scanner_choice_and_permissions(admin_client, user_client, adapter, private_project):
    from projects.models import ProjectMember
    from projects.rbac import Role

    uuid = register(admin_client, adapter.url)
    owner, dev, outsider = user_client("owner"), user_client("dev"), user_client("outsider")
    ProjectMember.objects.create(project=private_project, user_id=_uid("owner"), role=Role.PROJECT_ADMIN)
    ProjectMember.objects.create(project=private_project, user_id=_uid("dev"), role=Role.DEVELOPER)
    url = f"{API}/projects/private/scanner"
    assert dev.get(url).json()["name"] == "Built-in"
    assert outsider.get(url).status_code == 403
    assert dev.put(url, {"uuid": uuid}, content_type=JSON).status_code == 403
    assert dev.get(f"{url}/candidates").status_code == 403
    candidates = owner.get(f"{url}/candidates").json()
    assert sorted(c["name"] for c in candidates) == ["Built-in", "remote"]
    assert owner.put(url, {"uuid": uuid}, content_type=JSON).status_code == 200
    assert dev.get(url).json()["name"] == "remote"
    assert owner.put(url, {"uuid": "nope"}, content_type=JSON).status_code == 400
    # A disabled choice falls back to the default.
    ScannerRegistration.objects.filter(uuid=uuid).update(disabled=True)
    assert dev.get(url).json()["name"] == "Built-in"


def _uid(username: str) -> int:
    from django.contrib.auth import get_user_model

    return get_user_model().objects.get(username=username).pk


def test_client_polls_through_302_until_the_report_is_ready(adapter):
    import time

    waits: list[float] = []
    adapter.state.refresh_after = "3"
    with AdapterClient(adapter.url, "X-ScannerAdapter-API-Key", API_KEY, sleep=waits.append) as client:
        from scanning.adapter import ScanRequest

        scan_id = client.scan(
            ScanRequest("http://registry", "Basic eDp5", "library/app", "sha256:" + "a" * 64)
        )
        report = client.report(
            scan_id, "application/vnd.security.vulnerability.report; version=1.1", time.monotonic() + 60
        )
        assert waits == [3.0, 3.0]  # two 302 answers, each waited for as Refresh-After said
        assert [v["id"] for v in report["vulnerabilities"]] == ["CVE-2023-5363", "CVE-2023-5678"]
        with pytest.raises(AdapterError, match="404: unknown scan request"):
            client.report(
                "nope", "application/vnd.security.vulnerability.report; version=1.1", time.monotonic() + 60
            )
        with pytest.raises(AdapterError, match="timed out"):
            client.report(
                client.scan(ScanRequest("http://r", "Basic eDp5", "l/a", "sha256:" + "b" * 64)),
                "application/vnd.security.vulnerability.report; version=1.1",
                time.monotonic() + 1,
            )
