"""Projects: creating, changing and deleting them, and the first-start set-up."""

from __future__ import annotations

import re
import secrets
from typing import Any

from django.contrib.auth import get_user_model
from django.db import transaction
from django.db.models import Q

from events.bus import publish
from events.domain import ProjectCreated, ProjectDeleted, ProjectUpdated

from .allowlists import AllowlistError, set_allowlist
from .metadata import MetadataError, clean_metadata
from .models import PROJECT_NAME_PATTERN, Project, ProjectMember
from .principals import Principal
from .rbac import Role

DEFAULT_PROJECT = "library"


def ensure_admin(password: str | None) -> str | None:
    """Create `admin` if missing; return the generated password (None if given or existing)."""
    users = get_user_model()
    if users.objects.filter(username="admin").exists():
        return None
    generated = None if password else secrets.token_urlsafe(12)
    users.objects.create_superuser("admin", "admin@localhost", password or generated, is_staff=True)
    return generated


def ensure_default_project() -> Project:
    project, _ = Project.objects.get_or_create(name=DEFAULT_PROJECT, defaults={"public": True})
    return project


class ProjectError(ValueError):
    """A project request the API refuses; `status` says how."""

    def __init__(self, message: str, status: int = 400) -> None:
        super().__init__(message)
        self.status = status


def _validate_name(name: Any) -> str:
    if not isinstance(name, str) or not re.match(PROJECT_NAME_PATTERN, name) or len(name) > 255:
        raise ProjectError(
            f"invalid project name {name!r}: use [a-z0-9]+(?:[._-][a-z0-9]+)*, at most 255 characters"
        )
    return name


def _apply_metadata(project: Project, metadata: dict[str, str]) -> None:
    if "public" in metadata:
        project.public = metadata.pop("public") == "true"
    project.metadata = {**project.metadata, **metadata}


def _apply_allowlist(project: Project, cve_allowlist: Any) -> None:
    if cve_allowlist is None:
        return
    try:
        set_allowlist(project, cve_allowlist)
    except AllowlistError as exc:
        raise ProjectError(str(exc)) from None


@transaction.atomic
def create_project(
    principal: Principal,
    name: Any,
    metadata: Any = None,
    public: bool | None = None,
    cve_allowlist: Any = None,
) -> Project:
    """Create a project; the creator (a user) becomes its project admin."""
    _validate_name(name)
    try:
        cleaned = clean_metadata(metadata or {})
    except MetadataError as exc:
        raise ProjectError(str(exc)) from None
    if public is not None and "public" not in cleaned:
        cleaned["public"] = "true" if public else "false"
    if cleaned.get("retention_id"):
        raise ProjectError("retention_id must be omitted or empty when creating a project")
    if Project.objects.filter(name=name).exists():
        raise ProjectError(f"the project named {name} already exists", status=409)
    project = Project(name=name, owner_id=principal.user_id)
    _apply_metadata(project, cleaned)
    project.save()
    _apply_allowlist(project, cve_allowlist)
    if principal.user_id is not None:
        ProjectMember.objects.create(project=project, user_id=principal.user_id, role=Role.PROJECT_ADMIN)
    publish(ProjectCreated(principal.username, project_id=project.pk, name=project.name))
    return project


@transaction.atomic
def update_project(
    principal: Principal,
    project: Project,
    metadata: Any = None,
    public: bool | None = None,
    cve_allowlist: Any = None,
) -> Project:
    try:
        cleaned = clean_metadata(metadata or {})
    except MetadataError as exc:
        raise ProjectError(str(exc)) from None
    if public is not None and "public" not in cleaned:
        cleaned["public"] = "true" if public else "false"
    _apply_metadata(project, cleaned)
    project.save()
    _apply_allowlist(project, cve_allowlist)
    publish(ProjectUpdated(principal.username, project_id=project.pk, name=project.name))
    return project


def deletable(project: Project) -> tuple[bool, str]:
    """Harbor refuses to delete a project that still holds repositories."""
    if project.repositories.exists():
        return False, "the project contains repositories, can not be deleted"
    return True, ""


@transaction.atomic
def delete_project(principal: Principal, project: Project) -> None:
    ok, message = deletable(project)
    if not ok:
        raise ProjectError(message, status=412)
    project_id, name = project.pk, project.name
    project.delete()
    publish(ProjectDeleted(principal.username, project_id=project_id, name=name))


def roles_by_project(principal: Principal, project_ids: list[int]) -> dict[int, list[int]]:
    """The principal's role ids in each of these projects, in one query (no N+1 in lists)."""
    if principal.user_id is None or not project_ids:
        return {}
    members = ProjectMember.objects.filter(project_id__in=project_ids).filter(
        Q(user_id=principal.user_id) | Q(group__users__id=principal.user_id)
    )
    roles: dict[int, set[int]] = {}
    for project_id, role in members.values_list("project_id", "role"):
        roles.setdefault(project_id, set()).add(role)
    return {project_id: sorted(values) for project_id, values in roles.items()}
