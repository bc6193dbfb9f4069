"""Finding and creating repositories."""

from __future__ import annotations

from projects.models import Project

from ..models import Repository
from ..oci.errors import NameUnknown


def get_repository(name: str) -> Repository:
    repository = Repository.objects.filter(name=name).first()
    if repository is None:
        raise NameUnknown(f"repository {name} not found")
    return repository


def ensure_repository(project: Project, name: str) -> Repository:
    """The repository, created on first use (get_or_create survives two pushers racing)."""
    repository, _ = Repository.objects.get_or_create(name=name, defaults={"project": project})
    return repository
