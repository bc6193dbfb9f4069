"""Finding and creating repositories."""

from __future__ import annotations

from django.db import IntegrityError, transaction

from projects.models import Project

from ..models import Repository
from ..oci.errors import NameUnknown


def get_repository(name: str) -> Repository:
    repository = Repository.objects.filter(name=name).first()
    if repository is None:
        raise NameUnknown(f"repository {name} not found")
    return repository


def ensure_repository(project: Project, name: str) -> Repository:
    """The repository, created on first use (two pushers may race to create it)."""
    repository = Repository.objects.filter(name=name).first()
    if repository is not None:
        return repository
    try:
        with transaction.atomic():
            return Repository.objects.create(project=project, name=name)
    except IntegrityError:
        return Repository.objects.get(name=name)
