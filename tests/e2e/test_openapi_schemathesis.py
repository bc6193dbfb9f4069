"""schemathesis against a live server and its own OpenAPI document: every operation, with
generated parameters and bodies, must answer without a 5xx and exactly as the document says
(status codes, content types, headers, bodies).

The server is this module's own (the run creates, changes and deletes things at random, so
it must not share state with the other end-to-end tests). It is seeded with a project, a
repository with an image, an index and an accessory, users, a group, members, a robot and
labels, and about half of the generated path parameters are replaced by the names and ids of
those, so that operations reach their success paths and not only their 404s. Hypothesis runs
derandomized with a small number of examples per operation: the same requests every run.
"""

from __future__ import annotations

import base64
import hashlib
import io
import json
import tarfile
from collections import Counter
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import httpx
import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis.errors import Unsatisfiable
from schemathesis.checks import not_a_server_error
from schemathesis.config import SchemathesisConfig
from schemathesis.generation import GenerationMode
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
    status_code_conformance,
)

from tests.server import ADMIN_PASSWORD, LiveRegistry, live_registry

pytestmark = pytest.mark.e2e

ADMIN = ("admin", ADMIN_PASSWORD)
AUTHORIZATION = "Basic " + base64.b64encode(f"admin:{ADMIN_PASSWORD}".encode()).decode()
CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_headers_conformance,
    response_schema_conformance,
]
# Configuration keys the run may change: none of them makes the server reach out to the
# network (ldap_url, audit_log_forward_endpoint) or changes how the admin logs in (auth_mode).
SAFE_CONFIGURATION_KEYS = {
    "self_registration",
    "project_creation_restriction",
    "token_expiration",
    "session_timeout",
    "robot_token_duration",
    "oidc_name",
    "disabled_audit_log_event_types",
    "skip_audit_log_database",
}
EXAMPLES = {GenerationMode.POSITIVE: 8, GenerationMode.NEGATIVE: 4}  # per operation
# An address where nothing listens: an LDAP ping fails at once instead of waiting for a timeout.
CLOSED_LDAP_URL = "ldap://127.0.0.1:1"
CLOSED_ADAPTER_URL = "http://127.0.0.1:1"  # likewise for scanner adapters
BUILTIN_SCANNER = "00000000-0000-4000-8000-000000000001"


@dataclass
class Seeded:
    """What the seeding created: real values for each path parameter."""

    admin_id: int
    # Path parameters that go together (a repository of that project, a tag of that artifact).
    path_values: list[dict[str, Any]] = field(default_factory=list)
    query_values: dict[str, list[Any]] = field(default_factory=dict)


# --- seeding --------------------------------------------------------------------------------------


def _push_blob(http: httpx.Client, repository: str, data: bytes) -> dict[str, Any]:
    digest = "sha256:" + hashlib.sha256(data).hexdigest()
    response = http.post(f"/v2/{repository}/blobs/uploads/", params={"digest": digest}, content=data)
    assert response.status_code == 201, response.text
    return {"digest": digest, "size": len(data)}


def _push_manifest(http: httpx.Client, repository: str, reference: str, manifest: dict[str, Any]) -> str:
    body = json.dumps(manifest).encode()
    response = http.put(
        f"/v2/{repository}/manifests/{reference}",
        content=body,
        headers={"Content-Type": manifest["mediaType"]},
    )
    assert response.status_code == 201, response.text
    return "sha256:" + hashlib.sha256(body).hexdigest()


def _push_image(http: httpx.Client, repository: str) -> tuple[str, dict[str, Any]]:
    """An image with a build history, tagged latest and v1, under an index tagged multi, with
    an accessory (an artifact whose subject is the image); returns the image's digest."""
    config = {
        "architecture": "amd64",
        "os": "linux",
        "created": "2024-01-01T00:00:00Z",
        "history": [{"created": "2024-01-01T00:00:00Z", "created_by": "ADD rootfs /"}],
        "rootfs": {"type": "layers", "diff_ids": []},
    }
    config_descriptor = {
        "mediaType": "application/vnd.oci.image.config.v1+json",
        **_push_blob(http, repository, json.dumps(config).encode()),
    }
    layer = {
        "mediaType": "application/vnd.oci.image.layer.v1.tar+gzip",
        **_push_blob(http, repository, b"a layer of " + repository.encode()),
    }
    image = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": config_descriptor,
        "layers": [layer],
        "annotations": {"org.opencontainers.image.title": "seed"},
    }
    digest = _push_manifest(http, repository, "latest", image)
    _push_manifest(http, repository, "v1", image)
    image_descriptor = {
        "mediaType": image["mediaType"],
        "digest": digest,
        "size": len(json.dumps(image).encode()),
    }
    index = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.index.v1+json",
        "manifests": [{**image_descriptor, "platform": {"architecture": "amd64", "os": "linux"}}],
    }
    _push_manifest(http, repository, "multi", index)
    empty = {"mediaType": "application/vnd.oci.empty.v1+json", **_push_blob(http, repository, b"{}")}
    accessory = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "artifactType": "application/vnd.example.sbom",
        "config": empty,
        "layers": [empty],
        "subject": image_descriptor,
    }
    accessory_digest = _push_manifest(http, repository, "sbom", accessory)
    return digest, {"accessory": accessory_digest}


def _push_chart(http: httpx.Client, repository: str) -> None:
    """A Helm chart as `helm push` lays it out, with values and a README in its archive."""
    buffer = io.BytesIO()
    with tarfile.open(fileobj=buffer, mode="w:gz") as tar:
        for name, text in (("web/values.yaml", "replicas: 1\n"), ("web/README.md", "# web\n")):
            info = tarfile.TarInfo(name)
            info.size = len(text)
            tar.addfile(info, io.BytesIO(text.encode()))
    metadata = {"apiVersion": "v2", "name": "web", "version": "1.0.0", "dependencies": [{"name": "redis"}]}
    manifest = {
        "schemaVersion": 2,
        "mediaType": "application/vnd.oci.image.manifest.v1+json",
        "config": {
            "mediaType": "application/vnd.cncf.helm.config.v1+json",
            **_push_blob(http, repository, json.dumps(metadata).encode()),
        },
        "layers": [
            {
                "mediaType": "application/vnd.cncf.helm.chart.content.v1.tar+gzip",
                **_push_blob(http, repository, buffer.getvalue()),
            }
        ],
    }
    _push_manifest(http, repository, "1.0.0", manifest)


def _created_id(response: httpx.Response) -> int:
    assert response.status_code == 201, response.text
    return int(response.headers["Location"].rstrip("/").rsplit("/", 1)[1])


def seed(server: LiveRegistry) -> Seeded:
    with httpx.Client(base_url=server.url, auth=ADMIN, timeout=30) as http:
        api = "/api/v2.0"
        admin_id = http.get(f"{api}/users/current").json()["user_id"]
        team_id = _created_id(
            http.post(
                f"{api}/projects",
                json={"project_name": "team", "metadata": {"public": "false", "auto_scan": "true"}},
            )
        )
        library_id = http.get(f"{api}/projects/library").json()["project_id"]
        image, extra = _push_image(http, "library/alpine")
        _push_image(http, "team/nested/app")
        _push_chart(http, "library/web")
        alice = _created_id(
            http.post(
                f"{api}/users",
                json={
                    "username": "alice",
                    "password": "Password1",
                    "email": "alice@example.com",
                    "realname": "Alice",
                },
            )
        )
        group = _created_id(http.post(f"{api}/usergroups", json={"group_name": "devs", "group_type": 3}))
        members = [
            _created_id(http.post(f"{api}/projects/team/members", json=body))
            for body in (
                {"role_id": 2, "member_user": {"username": "alice"}},
                {"role_id": 3, "member_group": {"id": group}},
            )
        ]
        robot = http.post(
            f"{api}/robots",
            json={
                "name": "ci",
                "level": "system",
                "duration": -1,
                "permissions": [
                    {
                        "kind": "project",
                        "namespace": "team",
                        "access": [{"resource": "repository", "action": "pull"}],
                    }
                ],
            },
        )
        assert robot.status_code == 201, robot.text
        scan = http.post(f"{api}/projects/library/repositories/alpine/artifacts/latest/scan", json={})
        assert scan.status_code == 202, scan.text  # no worker here: it stays Pending
        overview = http.get(
            f"{api}/projects/library/repositories/alpine/artifacts/latest",
            params={"with_scan_overview": "true"},
        ).json()["scan_overview"]
        report_id = next(iter(overview.values()))["report_id"]
        labels = [
            _created_id(http.post(f"{api}/labels", json=body))
            for body in (
                {"name": "prod", "color": "#FF0000", "scope": "g"},
                {"name": "team-label", "scope": "p", "project_id": team_id},
            )
        ]
    projects = ["library", "team"]
    alpine = {"project_name": "library", "repository_name": "alpine"}
    # Encoded once here and once more on the wire (`nested%252Fapp`), as clients send it.
    app = {"project_name": "team", "repository_name": "nested%2Fapp"}
    return Seeded(
        admin_id=admin_id,
        path_values=[
            {"project_name_or_id": "team", "mid": members[0], "meta_name": "auto_scan"},
            {"project_name_or_id": str(team_id), "mid": members[1], "meta_name": "public"},
            {"project_name_or_id": "library", "meta_name": "public"},
            {"project_name_or_id": str(library_id), "meta_name": "severity"},
            {
                **alpine,
                "reference": "latest",
                "tag_name": "v1",
                "addition": "build_history",
                "report_id": report_id,
            },
            {"registration_id": BUILTIN_SCANNER},
            {**alpine, "reference": image, "tag_name": "latest", "addition": "build_history"},
            {**alpine, "reference": extra["accessory"], "tag_name": "sbom"},
            {**app, "reference": "multi", "tag_name": "multi"},
            *(
                {"project_name": "library", "repository_name": "web", "reference": "1.0.0", "addition": name}
                for name in ("values.yaml", "readme.md", "dependencies")
            ),
            {**app, "reference": "v1", "tag_name": "latest", "addition": "vulnerabilities"},
            {"project_name": "team"},
            {"robot_id": robot.json()["id"]},
            *({"label_id": label} for label in labels),
            {"quota_id": library_id},
            {"quota_id": team_id},
            {"user_id": alice},
            {"user_id": admin_id},
            {"group_id": group},
        ],
        query_values={
            "project_name": projects,  # HEAD /projects
            "project_id": [library_id, team_id],  # labels of a project
            "reference_id": [library_id, team_id],  # quotas
            "scope": ["g", "p", "/system", f"/project/{team_id}"],  # labels; current permissions
            "username": ["alice"],
            "groupname": ["devs"],
            "entityname": ["alice", "devs"],
            "from": ["library/alpine:latest", f"library/alpine@{image}", "team/nested/app:v1"],
        },
    )


# --- the run --------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def api_server(tmp_path_factory) -> Iterator[tuple[LiveRegistry, Seeded]]:
    with live_registry(tmp_path_factory.mktemp("openapi")) as server:
        yield server, seed(server)


@pytest.fixture(scope="module")
def api_schema(api_server) -> Any:
    server, _ = api_server
    config = SchemathesisConfig.from_dict(
        {"base-url": server.url, "generation": {"with-security-parameters": False}}
    )
    return schemathesis.openapi.from_url(f"{server.url}/api/v2.0/openapi.json", config=config, auth=ADMIN)


def _keep_the_run_contained(case: Any, seeded: Seeded) -> None:
    """Changes a random request may not make, because the rest of the run depends on them."""
    operation = case.operation.definition.raw.get("operationId")
    body = case.body if isinstance(case.body, dict) else None
    if operation == "setUserSysAdmin" and case.path_parameters.get("user_id") == seeded.admin_id and body:
        body["sysadmin_flag"] = True  # the run's own caller stays an administrator
    if operation == "updateConfigurations" and body is not None:
        for key in set(body) - SAFE_CONFIGURATION_KEYS:
            del body[key]
    if operation == "pingLdap" and body is not None and body.get("ldap_url"):
        body["ldap_url"] = CLOSED_LDAP_URL
    scanner_writes = ("createScanner", "updateScanner", "pingScanner")
    if operation in scanner_writes and body is not None and isinstance(body.get("url"), str):
        body["url"] = CLOSED_ADAPTER_URL  # registrations are read back, which calls the adapter


def _aim(case: Any, data: st.DataObject, seeded: Seeded) -> None:
    """Point most requests at what exists: known names and ids for path and query parameters,
    and often no `q` or `sort` (random ones are mostly refused with a 400, rightly)."""
    names = set(case.path_parameters or {})
    fitting = [values for values in seeded.path_values if names and names <= set(values)]
    if fitting and data.draw(st.integers(0, 3), label="aim the path"):  # three times out of four
        chosen = data.draw(st.sampled_from(fitting), label="path")
        case.path_parameters.update({name: chosen[name] for name in names})
    for name in sorted(set(case.query or {}) & set(seeded.query_values)):
        if data.draw(st.integers(0, 3), label=f"aim {name}"):
            case.query[name] = data.draw(st.sampled_from(seeded.query_values[name]), label=name)
    for name in ("q", "sort"):
        if case.query and name in case.query and data.draw(st.booleans(), label=f"drop {name}"):
            del case.query[name]


def undocumented_fields(
    value: Any, schema: dict[str, Any], document: dict[str, Any], at: str = ""
) -> list[str]:
    """Fields of an answer its schema does not name. The document's objects allow more keys than
    they name (as Harbor's swagger does), so response_schema_conformance cannot see a field a view
    added without describing it; this walk does."""
    while "$ref" in schema:
        schema = document["components"]["schemas"][schema["$ref"].rsplit("/", 1)[1]]
    options = schema.get("oneOf") or schema.get("anyOf")
    if options:
        return min((undocumented_fields(value, option, document, at) for option in options), key=len)
    if isinstance(value, list) and "items" in schema:
        return [field for item in value for field in undocumented_fields(item, schema["items"], document, at)]
    if not isinstance(value, dict):
        return []
    properties = schema.get("properties", {})
    extra = schema.get("additionalProperties")
    found = []
    for key, item in value.items():
        if key in properties:
            found += undocumented_fields(item, properties[key], document, f"{at}.{key}")
        elif isinstance(extra, dict):
            found += undocumented_fields(item, extra, document, f"{at}.{key}")
        elif extra is not True and not (extra is None and not properties):
            found.append(f"{at}.{key}")
    return found


def _check_fields(case: Any, response: Any, document: dict[str, Any]) -> None:
    declared = case.operation.definition.raw["responses"].get(str(response.status_code), {})
    schema = declared.get("content", {}).get("application/json", {}).get("schema")
    is_json = response.headers.get("Content-Type", "").startswith("application/json")
    if schema is None or not response.content or not is_json:
        return
    extra = undocumented_fields(response.json(), schema, document)
    assert not extra, f"{case.operation.label} answered {response.status_code} with undocumented {extra}"


@dataclass
class Tally:
    """What the run saw, printed at its end (`pytest -s`) and used for its coverage check."""

    statuses: Counter[tuple[str, int]] = field(default_factory=Counter)
    first_error: dict[tuple[str, int], str] = field(default_factory=dict)

    def count(self, label: str, response: Any) -> None:
        self.statuses[label, response.status_code] += 1
        if response.status_code >= 400:
            self.first_error.setdefault((label, response.status_code), response.text[:160])


def _exercise(operation: Any, mode: GenerationMode, seeded: Seeded, tally: Tally) -> None:
    """Generated requests to one operation, each answer checked against the document. Positive
    requests are aimed at what exists; negative ones (a parameter or body the document rules out)
    are sent as generated, and must get a documented 4xx rather than a 5xx."""

    @settings(
        max_examples=EXAMPLES[mode],
        deadline=None,
        derandomize=True,
        database=None,
        suppress_health_check=list(HealthCheck),
    )
    @given(case=operation.as_strategy(generation_mode=mode), data=st.data())
    def exercise(case: Any, data: st.DataObject) -> None:
        if mode is GenerationMode.POSITIVE:
            _aim(case, data, seeded)
        _keep_the_run_contained(case, seeded)
        response = case.call(headers={"Authorization": AUTHORIZATION}, timeout=30)
        tally.count(f"{operation.label} ({mode.value})", response)
        case.validate_response(response, checks=CHECKS, headers={"Authorization": AUTHORIZATION})
        _check_fields(case, response, operation.schema.raw_schema)

    try:
        exercise()
    except Unsatisfiable:
        if mode is GenerationMode.POSITIVE:
            raise
        # Nothing of this operation can be made invalid (no parameters, or only free text).


# Reads first, then creations and changes, deletions last (a deletion early in the run would
# leave the operations after it nothing to find); deeper paths first (a tag before its artifact,
# an artifact before its repository).
_ORDER = {"get": 0, "head": 0, "post": 1, "put": 2, "patch": 2, "delete": 3}


def test_the_api_answers_as_its_document_says(api_server, api_schema, subtests) -> None:
    """Two subtests per operation, positive and negative; every failing one is reported with the
    request that failed and a curl command to repeat it."""
    _, seeded = api_server
    operations = sorted(
        (result.ok() for result in api_schema.get_all_operations()),
        key=lambda operation: (_ORDER[operation.method.lower()], -operation.path.count("/")),
    )
    assert len(operations) >= 80  # the whole document, not a part that happened to load
    tally = Tally()
    for operation in operations:
        for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):
            with subtests.test(msg=f"{operation.label} ({mode.value})"):
                _exercise(operation, mode, seeded, tally)
    succeeded = {label for label, status in tally.statuses if status < 300 and label.endswith("(positive)")}
    print(f"\n{tally.statuses.total()} requests to {len(operations)} operations, {len(succeeded)} with a 2xx")
    for (label, status), count in sorted(tally.statuses.items()):
        print(f"  {count:3} x {status} {label} {tally.first_error.get((label, status), '')}")
    # The run reaches the success path of most operations, not only their 400s and 404s.
    assert len(succeeded) >= 0.75 * len(operations), sorted(
        operation.label for operation in operations if f"{operation.label} (positive)" not in succeeded
    )
