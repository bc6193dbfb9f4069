"""Downscoping requested token scopes through the permission module.

Harbor's rules (`shared/reference/harbor.md` §1.6): each requested action is
granted only if the caller may do it; a missing project or an unknown resource
type yields an empty action list rather than an error; the catalog is kept
for system administrators only.
"""

from __future__ import annotations

from projects.models import Project
from projects.permissions import can
from projects.principals import Principal
from projects.rbac import Action, Resource

from .scopes import Scope

REPOSITORY_ACTIONS = {"pull": Action.PULL, "push": Action.PUSH, "delete": Action.DELETE}


def _repository_actions(principal: Principal, name: str, requested: tuple[str, ...]) -> tuple[str, ...]:
    project_name, slash, _ = name.partition("/")
    project = Project.objects.filter(name=project_name).first() if slash else None
    if project is None:
        return ()
    wanted = set(REPOSITORY_ACTIONS) if "*" in requested else set(requested)
    granted = tuple(
        action
        for action in sorted(wanted & set(REPOSITORY_ACTIONS))
        if can(principal, REPOSITORY_ACTIONS[action], Resource.REPOSITORY, project)
    )
    # As Harbor: a scanner's pull token also says `scanner-pull`, which pull policies let through.
    if "pull" in granted and can(principal, Action.SCANNER_PULL, Resource.REPOSITORY, project):
        granted += ("scanner-pull",)
    return granted


def grant(principal: Principal, requested: list[Scope]) -> list[Scope]:
    """The requested scopes, each cut down to the actions the principal holds."""
    granted = []
    for scope in requested:
        if scope.type == "repository":
            actions = _repository_actions(principal, scope.name, scope.actions)
        elif scope.type == "registry" and scope.name == "catalog":
            actions = ("*",) if can(principal, Action.READ, Resource.CATALOG) else ()
        else:
            actions = ()
        granted.append(Scope(scope.type, scope.name, actions))
    return granted
