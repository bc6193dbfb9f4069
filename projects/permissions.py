"""The one permission check.

Every interface (`/v2/`, the token service, the REST API, the portal, the admin)
asks `can()`; none checks roles on its own. The rules, from Harbor
(`shared/reference/harbor.md` §2):

* a system administrator may do everything except `scanner-pull`, which only
  scanner robots hold;
* a member may do what the union of their roles allows (`rbac.ROLE_GRANTS`);
* on a public project everyone, anonymous included, also gets `rbac.PUBLIC_GRANTS`;
* a robot may do exactly what its permissions grant (a `push` grant implies
  `pull`), plus what anyone may do on a public project; it is never an admin;
* the registry catalog is for system administrators only (and robots granted
  `catalog:read` in the system namespace).

When the answer is no, an interface refuses with 401 a caller who has not
authenticated (so the client can log in) and with 403 one who has.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from django.db.models import Q, QuerySet

from .principals import Principal, PrincipalKind
from .rbac import PUBLIC_GRANTS, ROLE_GRANTS, Action, Resource, Role

if TYPE_CHECKING:
    from .models import Project


def roles_in(principal: Principal, project: Project) -> set[Role]:
    """The principal's roles in the project: their own and their groups' (one query)."""
    if principal.user_id is None:
        return set()
    from .models import ProjectMember

    members = ProjectMember.objects.filter(project=project).filter(
        Q(user_id=principal.user_id) | Q(group__users__id=principal.user_id)
    )
    return {Role(role) for role in members.values_list("role", flat=True)}


def can(
    principal: Principal,
    action: Action,
    resource: Resource,
    project: Project | None = None,
    roles: set[Role] | None = None,
) -> bool:
    """May `principal` do `action` on `resource` of `project` (None: a system resource)?

    `roles` lets a caller asking many questions about one project (a permission
    listing) look the principal's roles up once; it must be `roles_in(principal, project)`.
    """
    if principal.is_sysadmin:
        return action is not Action.SCANNER_PULL
    if principal.kind is PrincipalKind.ROBOT:
        return _robot_can(principal, action, resource, project)
    if project is None:
        return False
    if project.public and action in PUBLIC_GRANTS.get(resource, ()):
        return True
    if roles is None:
        roles = roles_in(principal, project)
    return any(action in ROLE_GRANTS[role].get(resource, ()) for role in roles)


def _robot_can(principal: Principal, action: Action, resource: Resource, project: Project | None) -> bool:
    """Robots hold exactly their granted (namespace, resource, action) triples, plus public pulls."""
    grants = principal.robot_grants
    if project is None:
        return ("/", resource.value, action.value) in grants
    if project.public and action in PUBLIC_GRANTS.get(resource, ()):
        return True
    return any((namespace, resource.value, action.value) in grants for namespace in (project.name, "*"))


def allowed_actions(
    principal: Principal, actions: set[Action], resource: Resource, project: Project | None
) -> set[Action]:
    """The subset of `actions` the principal may do; the token service downscopes with it."""
    return {action for action in actions if can(principal, action, resource, project)}


def may_create_project(principal: Principal) -> bool:
    """Harbor's `project_creation_restriction`: everyone (logged in) or admins only; robots
    need the system permission `project:create`."""
    from configuration.store import get as config_value

    if principal.is_sysadmin:
        return True
    if principal.kind is PrincipalKind.ROBOT:
        return ("/", "project", "create") in principal.robot_grants
    return principal.is_authenticated and config_value("project_creation_restriction") == "everyone"


def may_operate(principal: Principal) -> bool:
    """May the principal use the operators' admin site? Those who may change the system
    configuration: system administrators."""
    return can(principal, Action.UPDATE, Resource.CONFIGURATION)


def visible_projects(principal: Principal) -> QuerySet[Project]:
    """Projects the principal can see: all for admins, else public ones, memberships, and
    for robots the projects their permissions name (all of them for `*`)."""
    from .models import Project

    projects = Project.objects.all()
    if principal.is_sysadmin:
        return projects
    visible = Q(public=True)
    if principal.kind is PrincipalKind.ROBOT:
        namespaces = {namespace for namespace, _, _ in principal.robot_grants if namespace != "/"}
        if "*" in namespaces:
            return projects
        return projects.filter(visible | Q(name__in=namespaces))
    if principal.user_id is not None:
        visible |= Q(members__user_id=principal.user_id) | Q(members__group__users__id=principal.user_id)
    return projects.filter(visible).distinct()
