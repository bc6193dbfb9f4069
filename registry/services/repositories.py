"""Finding and creating repositories."""

from __future__ import annotations

from projects.models import Project

from ..models import Repository
from ..oci.errors import Denied, NameUnknown


def get_repository(name: str) -> Repository:
    repository = Repository.objects.filter(name=name).first()
    if repository is None:
        raise NameUnknown(f"repository {name} not found")
    return repository


def ensure_repository(name: str, project: Project | None = None) -> Repository:
    """The repository, created on first use in its project, which must exist.

    `project` saves a lookup when the caller already has it. get_or_create
    survives two pushers racing to create the repository.
    """
    repository = Repository.objects.filter(name=name).first()
    if repository is not None:
        return repository
    if project is None:
        project_name = name.partition("/")[0]
        project = Project.objects.filter(name=project_name).first()
        if project is None:
            raise Denied(f"project {project_name} not found: create the project before pushing to it")
    repository, _ = Repository.objects.get_or_create(name=name, defaults={"project": project})
    return repository
