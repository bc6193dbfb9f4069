"""SBOMs of a real inventory, validated by each format's reference tooling: CycloneDX's
bundled 1.6 JSON schema, and the SPDX project's parser and 2.3 validator."""

from __future__ import annotations

import json
from datetime import UTC, datetime

import pytest
from cyclonedx.schema import SchemaVersion
from cyclonedx.validation.json import JsonStrictValidator
from spdx_tools.spdx.parser.json.json_parser import parse_from_file
from spdx_tools.spdx.validation.document_validator import validate_full_spdx_document

from scanning.sbom import ImageSubject, cyclonedx_json, spdx_json

from .layers import file, inventory, layer

SUBJECT = ImageSubject("library/app", "sha256:" + "ab" * 32, "harbor.example.com")


@pytest.fixture
def image_inventory(sample_debs, os_release):
    node = '{"name":"@babel/core","version":"7.23.2","license":"MIT"}'
    python = "Metadata-Version: 2.1\nName: requests\nVersion: 2.31.0\nLicense: Apache 2.0 or so\n"
    vendored = '{"name":"lodash","version":"4.17.20","license":"MIT"}'
    return inventory(
        layer(
            file("etc/os-release", os_release[0]),
            file("var/lib/dpkg/status", "\n".join(sample_debs.values())),
            file("app/node_modules/@babel/core/package.json", node),
            file("app/node_modules/lodash/package.json", vendored),
            file("app/node_modules/x/node_modules/lodash/package.json", vendored),  # same purl twice
            file("usr/lib/python3/dist-packages/requests-2.31.0.dist-info/METADATA", python),
        )
    )


def test_cyclonedx_is_valid_1_6_and_lists_every_package(image_inventory):
    document = cyclonedx_json(image_inventory, SUBJECT)
    assert JsonStrictValidator(SchemaVersion.V1_6).validate_str(document) is None
    bom = json.loads(document)
    assert bom["specVersion"] == "1.6"
    assert bom["metadata"]["component"]["type"] == "container"
    assert bom["metadata"]["component"]["purl"] == SUBJECT.purl
    libraries = [c for c in bom["components"] if c["type"] == "library"]
    assert sorted(c["purl"] for c in libraries) == sorted(p.purl for p in image_inventory.packages)
    assert len({c["bom-ref"] for c in libraries}) == len(image_inventory.packages)
    (system,) = [c for c in bom["components"] if c["type"] == "operating-system"]
    assert (system["name"], system["version"]) == (image_inventory.os.id, image_inventory.os.version_id)
    (root,) = [d for d in bom["dependencies"] if d["ref"] == SUBJECT.purl]
    assert len(root["dependsOn"]) == len(image_inventory.packages) + 1
    deb = next(p for p in image_inventory.packages if p.type == "deb" and p.source_name != p.name)
    properties = {p["name"]: p["value"] for c in libraries if c["purl"] == deb.purl for p in c["properties"]}
    assert properties["harbor:package:source_name"] == deb.source_name


def test_spdx_is_valid_2_3_and_lists_every_package(image_inventory, tmp_path):
    created = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
    text = spdx_json(image_inventory, SUBJECT, created=created)
    path = tmp_path / "sbom.spdx.json"
    path.write_text(text)
    parsed = parse_from_file(str(path))
    assert validate_full_spdx_document(parsed) == []

    document = json.loads(text)
    assert document["spdxVersion"] == "SPDX-2.3"
    assert document["creationInfo"]["created"] == "2026-01-02T03:04:05Z"
    describes = {"spdxElementId": "SPDXRef-DOCUMENT", "relationshipType": "DESCRIBES"}
    assert {**describes, "relatedSpdxElement": "SPDXRef-Image"} in document["relationships"]
    purls = [
        ref["referenceLocator"]
        for package in document["packages"]
        for ref in package.get("externalRefs", [])
        if package["SPDXID"] != "SPDXRef-Image"
    ]
    assert sorted(purls) == sorted(p.purl for p in image_inventory.packages)
    contained = {
        r["relatedSpdxElement"] for r in document["relationships"] if r["relationshipType"] == "CONTAINS"
    }
    assert len(contained) == len(image_inventory.packages) + 1  # and the OS
    licenses = {p["name"]: p.get("licenseDeclared") for p in document["packages"]}
    assert licenses["lodash"] == "MIT"
    assert licenses["requests"] == "NOASSERTION"  # free text is not an SPDX expression
