"""Adding and removing trusted keys: validated once, audited, and every cached verdict of
the project forgotten, whoever makes the change (API or admin)."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from events.bus import publish
from events.domain import TrustedKeyCreated, TrustedKeyDeleted
from projects.models import Project

from .keys import NOTATION, InvalidKey, parse_identity, parse_key
from .models import TrustedKey
from .verification import forget_verdicts

MAX_NAME = 128


class KeyConflict(Exception):
    """The project already trusts a key of that name, or that very key."""


def validated_key(project: Project, name: str, kind: str, pem: str, trusted_identity: str = "") -> TrustedKey:
    """An unsaved TrustedKey, or InvalidKey saying what is wrong with the input."""
    name = (name or "").strip()
    if not name or len(name) > MAX_NAME:
        raise InvalidKey(f"name must be 1-{MAX_NAME} characters")
    parsed = parse_key(kind, pem)
    trusted_identity = (trusted_identity or "").strip()
    if trusted_identity:
        if kind != NOTATION:
            raise InvalidKey("trusted_identity applies to Notation CA certificates only")
        parse_identity(trusted_identity)
    return TrustedKey(
        project=project,
        name=name,
        kind=parsed.kind,
        pem=parsed.pem,
        fingerprint=parsed.fingerprint,
        algorithm=parsed.algorithm,
        subject=parsed.subject,
        trusted_identity=trusted_identity,
    )


def check_unique(key: TrustedKey) -> None:
    """KeyConflict when the project already has a key of this name, or this very key."""
    project = key.project
    if TrustedKey.objects.filter(project=project, name=key.name).exists():
        raise KeyConflict(f"project {project.name} already has a trusted key named {key.name}")
    if TrustedKey.objects.filter(project=project, fingerprint=key.fingerprint).exists():
        raise KeyConflict(f"project {project.name} already trusts this key")


def add_key(operator: str, key: TrustedKey) -> TrustedKey:
    """Store a key from `validated_key`; KeyConflict when its name or itself is there."""
    project = key.project
    check_unique(key)
    key.creator = operator
    try:
        with transaction.atomic():
            key.save()
            forget_verdicts(project.pk)
            publish(
                TrustedKeyCreated(operator, project_id=project.pk, project_name=project.name, name=key.name)
            )
    except IntegrityError:
        raise KeyConflict(f"project {project.name} already has this key or this name") from None
    return key


@transaction.atomic
def remove_key(operator: str, key: TrustedKey) -> None:
    project = key.project
    key.delete()
    forget_verdicts(project.pk)
    publish(TrustedKeyDeleted(operator, project_id=project.pk, project_name=project.name, name=key.name))
