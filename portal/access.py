"""What the portal may show and do for the person asking, decided by `projects.permissions`.

The portal never checks a role itself: it turns the session user into a `Principal`,
asks `can()` once per question, and hides what the answer forbids. A project the
principal may not read is answered with 404, so a private project's existence is not
revealed to non-members; an action on a visible project that is not allowed is 403.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpRequest

from projects.models import Project
from projects.permissions import can, roles_in
from projects.principals import Principal, principal_for_user
from projects.rbac import Action, Resource, Role


def principal_of(request: HttpRequest) -> Principal:
    return principal_for_user(getattr(request, "user", None))


class Abilities(Mapping[str, bool]):
    """`may.<resource>_<action>` in templates (`may.repository_delete`, `may.project_update`,
    `may.artifact_label_create`): each lookup is one `can()` call, with the roles looked up once.
    Unknown keys are simply not allowed."""

    def __init__(self, principal: Principal, project: Project | None, roles: set[Role]) -> None:
        self.principal, self.project, self.roles = principal, project, roles

    def __getitem__(self, key: str) -> bool:
        name, _, verb = key.rpartition("_")
        name = name.replace("_", "-")
        try:
            resource = Resource("" if name == "project" else name)
            action = Action(verb)
        except ValueError:
            raise KeyError(key) from None
        return can(self.principal, action, resource, self.project, self.roles)

    def __iter__(self) -> Iterator[str]:
        return iter(())

    def __len__(self) -> int:
        return 0


@dataclass
class ProjectAccess:
    """A project the principal may read, and a way to ask about everything else in it."""

    project: Project
    principal: Principal
    roles: set[Role] = field(default_factory=set)

    @property
    def may(self) -> Abilities:
        return Abilities(self.principal, self.project, self.roles)

    def can(self, action: Action, resource: Resource) -> bool:
        return can(self.principal, action, resource, self.project, self.roles)

    def require(self, action: Action, resource: Resource) -> None:
        """Refuse (403) an action the page would not have offered."""
        if not self.can(action, resource):
            raise PermissionDenied(f"you may not {action.value} {resource.value or 'the project'}")


def project_access(request: HttpRequest, name: str) -> ProjectAccess:
    """The project by name, or 404 when it does not exist or the principal may not read it."""
    project = Project.objects.filter(name=name).first()
    if project is None:
        raise Http404("no such project")
    principal = principal_of(request)
    roles = roles_in(principal, project)
    if not can(principal, Action.READ, Resource.SELF, project, roles):
        raise Http404("no such project")
    return ProjectAccess(project, principal, roles)
