"""Scanner registrations: which exist, which is the default, which a project uses, and what
each says about itself. The API views call these; so do the scan jobs."""

from __future__ import annotations

from typing import Any

from django.db import IntegrityError, transaction

from projects.models import Project

from . import builtin
from .adapter import AdapterClient, AdapterError
from .scan_models import ProjectScanner, ScannerRegistration

MASK = "*****"


class RegistrationError(ValueError):
    """A request the API answers with 400."""


class RegistrationConflict(RegistrationError):
    """A name already taken (409)."""


def metadata_of(registration: ScannerRegistration) -> dict[str, Any]:
    """The scanner's own description; `AdapterError` when a remote adapter does not answer."""
    if registration.builtin:
        return builtin.metadata()
    with client_for(registration) as client:
        return client.metadata()


def client_for(registration: ScannerRegistration | dict[str, Any]) -> AdapterClient:
    values = registration if isinstance(registration, dict) else vars(registration)
    return AdapterClient(
        values["url"],
        values.get("auth", ""),
        values.get("access_credential", ""),
        verify=not values.get("skip_cert_verify", False),
    )


def ping(values: dict[str, Any]) -> dict[str, Any]:
    """Ask an adapter not yet registered for its metadata (`POST /scanners/ping`)."""
    with client_for(values) as client:
        return client.metadata()


def registration_json(
    registration: ScannerRegistration, metadata: dict[str, Any] | None = None
) -> dict[str, Any]:
    """Harbor's ScannerRegistration; the credential is never shown, only whether one is set.
    With `metadata` (one registration read), the adapter's name, vendor, version and health."""
    body: dict[str, Any] = {
        "uuid": registration.uuid,
        "name": registration.name,
        "description": registration.description,
        "url": registration.url,
        "disabled": registration.disabled,
        "is_default": registration.is_default,
        "auth": registration.auth,
        "access_credential": MASK if registration.access_credential else "",
        "skip_certVerify": registration.skip_cert_verify,
        "use_internal_addr": registration.use_internal_addr,
        "create_time": registration.created_at,
        "update_time": registration.updated_at,
    }
    if metadata is not None:
        scanner = metadata.get("scanner", {}) if metadata else {}
        body.update(
            adapter=str(scanner.get("name", "")),
            vendor=str(scanner.get("vendor", "")),
            version=str(scanner.get("version", "")),
            health="healthy" if metadata else "unhealthy",
            capabilities=capabilities(metadata),
        )
    return body


def capabilities(metadata: dict[str, Any]) -> dict[str, bool]:
    types = {
        str(c.get("type") or "vulnerability") for c in metadata.get("capabilities", []) if isinstance(c, dict)
    }
    return {"support_vulnerability": "vulnerability" in types, "support_sbom": "sbom" in types}


def with_health(registration: ScannerRegistration) -> dict[str, Any]:
    try:
        metadata = metadata_of(registration)
    except AdapterError:
        metadata = {}
    return registration_json(registration, metadata)


def _save(registration: ScannerRegistration) -> ScannerRegistration:
    try:
        with transaction.atomic():
            registration.save()
    except IntegrityError:
        raise RegistrationConflict(f"a scanner named {registration.name} is already registered") from None
    return registration


FIELDS = (
    "name",
    "description",
    "url",
    "auth",
    "access_credential",
    "skip_cert_verify",
    "use_internal_addr",
    "disabled",
)


def create(values: dict[str, Any]) -> ScannerRegistration:
    registration = ScannerRegistration(**{k: v for k, v in values.items() if k in FIELDS})
    _check_auth(registration)
    return _save(registration)


def update(registration: ScannerRegistration, values: dict[str, Any]) -> ScannerRegistration:
    _mutable(registration)
    for key, value in values.items():
        if key == "access_credential" and value == MASK:
            continue  # the masked value a client read and sent back: unchanged
        if key in FIELDS:
            setattr(registration, key, value)
    _check_auth(registration)
    if registration.disabled and registration.is_default:
        raise RegistrationError("the default scanner cannot be disabled")
    return _save(registration)


def delete(registration: ScannerRegistration) -> None:
    _mutable(registration)
    if registration.is_default:
        raise RegistrationError("the default scanner cannot be deleted; make another the default first")
    registration.delete()


def set_default(registration: ScannerRegistration) -> None:
    if registration.disabled:
        raise RegistrationError("a disabled scanner cannot be the default")
    with transaction.atomic():
        ScannerRegistration.objects.filter(is_default=True).exclude(pk=registration.pk).update(
            is_default=False
        )
        ScannerRegistration.objects.filter(pk=registration.pk).update(is_default=True)


def _mutable(registration: ScannerRegistration) -> None:
    if registration.builtin:
        raise PermissionError("the built-in scanner cannot be changed or deleted")


def _check_auth(registration: ScannerRegistration) -> None:
    if registration.auth and not registration.access_credential:
        raise RegistrationError(f"auth {registration.auth} needs an access_credential")
    if registration.auth == ScannerRegistration.AUTH_BASIC and ":" not in registration.access_credential:
        raise RegistrationError("a Basic access_credential is user:password")


def default_scanner() -> ScannerRegistration | None:
    return ScannerRegistration.objects.filter(is_default=True, disabled=False).first()


def scanner_of(project: Project) -> ScannerRegistration | None:
    """The project's own scanner if it chose one (and it is enabled), else the default."""
    chosen = ProjectScanner.objects.filter(project=project).select_related("registration").first()
    if chosen is not None and not chosen.registration.disabled:
        return chosen.registration
    return default_scanner()


def set_project_scanner(project: Project, registration: ScannerRegistration) -> None:
    if registration.disabled:
        raise RegistrationError(f"scanner {registration.name} is disabled")
    ProjectScanner.objects.update_or_create(project=project, defaults={"registration": registration})
