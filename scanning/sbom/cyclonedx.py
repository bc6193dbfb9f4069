"""CycloneDX 1.6 JSON via `cyclonedx-python-lib`: the image is the BOM's metadata component,
its OS and packages are components it depends on. Where each package was found and its
source package go into properties (namespace `harbor:`), as Trivy does with its own."""

from __future__ import annotations

from collections.abc import Iterator

from cyclonedx.contrib.license.factories import LicenseFactory
from cyclonedx.model import Property
from cyclonedx.model.bom import Bom
from cyclonedx.model.component import Component, ComponentType
from cyclonedx.model.tool import Tool
from cyclonedx.output.json import JsonV1Dot6
from packageurl import PackageURL

from scanning.inventory import Inventory, Package

from .subject import TOOL_NAME, ImageSubject, package_key


def _properties(package: Package) -> Iterator[Property]:
    yield Property(name="harbor:package:path", value=package.path)
    yield Property(name="harbor:package:type", value=package.type)
    if (package.source_name, package.source_version) != (package.name, package.version):
        yield Property(name="harbor:package:source_name", value=package.source_name)
        yield Property(name="harbor:package:source_version", value=package.source_version)


def _component(package: Package, key: str) -> Component:
    factory = LicenseFactory()
    return Component(
        type=ComponentType.LIBRARY,
        name=package.name,
        version=package.version or None,
        purl=PackageURL.from_string(package.purl),
        bom_ref=key,
        licenses=[factory.make_from_string(value) for value in package.licenses],
        properties=list(_properties(package)),
    )


def cyclonedx_json(inventory: Inventory, subject: ImageSubject) -> str:
    root = Component(
        type=ComponentType.CONTAINER,
        name=subject.repository,
        version=subject.digest,
        purl=PackageURL.from_string(subject.purl),
        bom_ref=subject.purl,
    )
    bom = Bom()
    bom.metadata.component = root
    bom.metadata.tools.tools.add(Tool(vendor="goharbor", name=TOOL_NAME))
    children: list[Component] = []
    if inventory.os is not None:
        children.append(
            Component(
                type=ComponentType.OPERATING_SYSTEM,
                name=inventory.os.id,
                version=inventory.os.version_id or None,
                description=inventory.os.pretty_name or None,
                bom_ref=f"os:{inventory.os.id}",
            )
        )
    seen: set[str] = set()
    children += [_component(package, package_key(package, seen)) for package in inventory.packages]
    for child in children:
        bom.components.add(child)
    bom.register_dependency(root, children)
    return JsonV1Dot6(bom).output_as_string(indent=2)
