"""The OpenAPI document: generated without a warning, valid OpenAPI 3.0, complete, and served.

Whether it matches what the API answers is tests/e2e/test_openapi_schemathesis.py's part;
here the document's own quality is checked, in-process and fast.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from typing import Any

import pytest
from drf_spectacular.drainage import GENERATOR_STATS
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

METHODS = ("get", "put", "post", "delete", "patch", "head")


@pytest.fixture(scope="module")
def document() -> dict[str, Any]:
    GENERATOR_STATS.reset()
    schema = SchemaGenerator().get_schema(request=None, public=True)
    problems = {**GENERATOR_STATS._warn_cache, **GENERATOR_STATS._error_cache}
    GENERATOR_STATS.reset()
    assert not problems, "drf-spectacular warned or failed:\n" + "\n".join(problems)
    return schema


def operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in document["paths"].items():
        for method, operation in item.items():
            if method in METHODS:
                yield path, method, operation


def test_the_document_is_valid_openapi(document):
    validate_schema(document)
    assert document["openapi"].startswith("3.0")


def test_every_operation_is_named_summarised_and_tagged(document):
    ids = [operation["operationId"] for _, _, operation in operations(document)]
    assert len(ids) == len(set(ids))
    for path, method, operation in operations(document):
        # Harbor's swagger names (camelCase), not drf-spectacular's path-derived ones.
        assert re.fullmatch(r"[a-z][A-Za-z]+", operation["operationId"]), (method, path)
        assert operation.get("summary") and operation.get("tags"), (method, path)


def test_only_the_rest_api_is_described(document):
    paths = set(document["paths"])
    assert all(path.startswith("/api/v2.0/") or path == "/api/version" for path in paths)
    assert "/api/v2.0/openapi.json" not in paths
    # The alias without the slash answers too, but is described once.
    assert "/api/v2.0/projects/{project_name_or_id}/metadatas" not in paths
    assert len(list(operations(document))) >= 80


def test_responses_use_harbors_error_body_and_list_headers(document):
    for path, method, operation in operations(document):
        responses = operation["responses"]
        assert any(code.startswith("2") for code in responses), (method, path)
        assert {"401", "429"} <= set(responses), (method, path)
        if "requestBody" in operation or any(p["in"] == "query" for p in operation.get("parameters", [])):
            assert "400" in responses, (method, path)  # at least a NUL character is refused
        for code, response in responses.items():
            if code.startswith(("4", "5")) and method != "head" and "content" in response:
                schema = response["content"]["application/json"]["schema"]
                if operation["operationId"] != "importLdapUser":  # its 404 lists the failed uids
                    assert schema == {"$ref": "#/components/schemas/Errors"}, (method, path, code)
        ok = responses.get("200", {})
        body = ok.get("content", {}).get("application/json", {}).get("schema", {})
        paged = any(parameter["name"] == "page_size" for parameter in operation.get("parameters", []))
        if paged:
            assert body.get("type") == "array", (method, path)
            assert {"X-Total-Count", "Link"} <= set(ok.get("headers", {})), (method, path)


def test_resources_carry_harbors_field_names(document):
    schemas = document["components"]["schemas"]
    assert schemas["Errors"]["properties"]["errors"]["items"] == {"$ref": "#/components/schemas/Error"}
    for name, fields in {
        "Project": {"project_id", "name", "metadata", "cve_allowlist", "current_user_role_ids"},
        "Repository": {"id", "project_id", "name", "artifact_count", "pull_count"},
        "Artifact": {"digest", "manifest_media_type", "tags", "references", "addition_links"},
        "Tag": {"name", "artifact_id", "immutable"},
        "Robot": {"name", "level", "permissions", "expires_at"},
        "UserResp": {"user_id", "username", "sysadmin_flag"},
        "ProjectMemberEntity": {"entity_name", "entity_type", "role_id"},
        "AuditLogExt": {"operation_description", "operation_result", "op_time"},
        "Quota": {"ref", "hard", "used"},
    }.items():
        assert fields <= set(schemas[name]["properties"]), name


def test_the_app_serves_the_document_as_json(client, db, document):
    response = client.get("/api/v2.0/openapi.json")
    assert response.status_code == 200
    assert response["Content-Type"].startswith("application/json")
    served = response.json()
    assert served["paths"].keys() == document["paths"].keys()
    assert served["components"]["schemas"].keys() == document["components"]["schemas"].keys()
