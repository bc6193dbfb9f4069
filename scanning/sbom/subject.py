"""What an SBOM describes: one image, by repository and digest."""

from __future__ import annotations

from dataclasses import dataclass

from packageurl import PackageURL

from scanning.inventory import Inventory, Package

TOOL_NAME = "harbor-django-scanner"


@dataclass(frozen=True)
class ImageSubject:
    repository: str  # "library/alpine"
    digest: str  # the manifest digest, "sha256:..."
    registry: str = ""  # host[:port], for the OCI purl's repository_url

    @property
    def purl(self) -> str:
        """purl-spec's oci type: the name is the last path segment, the version the digest."""
        qualifiers = {
            "repository_url": f"{self.registry}/{self.repository}" if self.registry else self.repository
        }
        name = self.repository.rsplit("/", 1)[-1]
        return PackageURL(type="oci", name=name, version=self.digest, qualifiers=qualifiers).to_string()


def os_name(inventory: Inventory) -> tuple[str, str] | None:
    return (inventory.os.id, inventory.os.version_id) if inventory.os else None


def package_key(package: Package, seen: set[str]) -> str:
    """A stable, unique reference per package: its purl, qualified by its file when two files
    record the same purl (the same library vendored twice)."""
    key = package.purl if package.purl not in seen else f"{package.purl}#{package.path}"
    seen.add(key)
    return key
