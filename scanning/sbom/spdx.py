"""SPDX 2.3 JSON via `spdx-tools` (the SPDX project's own library): the document DESCRIBES the
image package, which CONTAINS the OS and every package. Writing validates the whole document
against the 2.3 specification; an invalid one raises rather than being served."""

from __future__ import annotations

import io
import re
from datetime import UTC, datetime

from license_expression import ExpressionError
from spdx_tools.common.spdx_licensing import spdx_licensing
from spdx_tools.spdx.model import (
    Actor,
    ActorType,
    CreationInfo,
    Document,
    ExternalPackageRef,
    ExternalPackageRefCategory,
    PackagePurpose,
    Relationship,
    RelationshipType,
    SpdxNoAssertion,
)
from spdx_tools.spdx.model import (
    Package as SpdxPackage,
)
from spdx_tools.spdx.writer.json.json_writer import write_document_to_stream

from scanning.inventory import Inventory, Package

from .subject import TOOL_NAME, ImageSubject

NAMESPACE_BASE = "https://goharbor.io/spdx"
_ID_UNSAFE = re.compile(r"[^A-Za-z0-9.-]")


def _license(values: tuple[str, ...]):  # type: ignore[no-untyped-def]
    """The declared license as an SPDX expression, or NOASSERTION when it is not one (package
    metadata often holds free text such as "BSD-like")."""
    if not values:
        return SpdxNoAssertion()
    text = " AND ".join(f"({value})" if len(values) > 1 else value for value in values)
    try:
        expression = spdx_licensing.parse(text, validate=True, strict=True)
    except ExpressionError:
        return SpdxNoAssertion()
    return expression if expression is not None else SpdxNoAssertion()


def _package(spdx_id: str, package: Package) -> SpdxPackage:
    return SpdxPackage(
        spdx_id=spdx_id,
        name=package.name,
        version=package.version or None,
        download_location=SpdxNoAssertion(),
        files_analyzed=False,
        license_declared=_license(package.licenses),
        source_info=f"recorded in /{package.path}",
        primary_package_purpose=PackagePurpose.LIBRARY,
        external_references=[
            ExternalPackageRef(ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", package.purl)
        ],
    )


def spdx_json(inventory: Inventory, subject: ImageSubject, created: datetime | None = None) -> str:
    image_id = "SPDXRef-Image"
    image = SpdxPackage(
        spdx_id=image_id,
        name=subject.repository,
        version=subject.digest,
        download_location=SpdxNoAssertion(),
        files_analyzed=False,
        primary_package_purpose=PackagePurpose.CONTAINER,
        external_references=[
            ExternalPackageRef(ExternalPackageRefCategory.PACKAGE_MANAGER, "purl", subject.purl)
        ],
    )
    packages = [image]
    if inventory.os is not None:
        packages.append(
            SpdxPackage(
                spdx_id="SPDXRef-OperatingSystem",
                name=inventory.os.id,
                version=inventory.os.version_id or None,
                download_location=SpdxNoAssertion(),
                files_analyzed=False,
                primary_package_purpose=PackagePurpose.OPERATING_SYSTEM,
            )
        )
    packages += [
        _package(f"SPDXRef-Package-{index}-{_ID_UNSAFE.sub('-', package.name)}", package)
        for index, package in enumerate(inventory.packages, start=1)
    ]
    relationships = [Relationship("SPDXRef-DOCUMENT", RelationshipType.DESCRIBES, image_id)]
    relationships += [
        Relationship(image_id, RelationshipType.CONTAINS, item.spdx_id) for item in packages[1:]
    ]
    digest_hex = subject.digest.split(":", 1)[-1]
    info = CreationInfo(
        spdx_version="SPDX-2.3",
        spdx_id="SPDXRef-DOCUMENT",
        name=f"{subject.repository}@{subject.digest}",
        document_namespace=f"{NAMESPACE_BASE}/{subject.repository}/{digest_hex}",
        creators=[Actor(ActorType.TOOL, TOOL_NAME)],
        created=(created or datetime.now(UTC)).replace(microsecond=0),
    )
    stream = io.StringIO()
    write_document_to_stream(
        Document(info, packages=packages, relationships=relationships), stream, validate=True
    )
    return stream.getvalue()
