"""Package URLs: built with `packageurl-python` (which applies each type's normalisation rules)
and, for OS packages, completed once the image's OS is known (it can come from any layer)."""

from __future__ import annotations

from packageurl import PackageURL

from .model import OperatingSystem

OS_TYPES = frozenset({"deb", "apk", "rpm"})


def purl(type_: str, name: str, version: str, namespace: str | None = None, **qualifiers: str) -> str:
    return PackageURL(
        type=type_,
        namespace=namespace or None,
        name=name,
        version=version or None,
        qualifiers={key: value for key, value in qualifiers.items() if value} or None,
    ).to_string()


def with_distro(value: str, os: OperatingSystem | None) -> str:
    """An OS package's purl with the distribution as namespace and `distro` qualifier, as
    purl-spec's deb/apk/rpm examples write them (`pkg:deb/debian/curl@7.88.1-10?distro=debian-12`)."""
    if os is None:
        return value
    parsed = PackageURL.from_string(value)
    if parsed.type not in OS_TYPES:
        return value
    qualifiers = dict(parsed.qualifiers or {})
    qualifiers["distro"] = f"{os.id}-{os.version_id}" if os.version_id else os.id
    return PackageURL(
        type=parsed.type,
        namespace=os.id,
        name=parsed.name,
        version=parsed.version,
        qualifiers=qualifiers,
    ).to_string()
