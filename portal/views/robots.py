"""A project's robot accounts: create one (its secret is shown once), delete one."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.cache import never_cache
from django.views.decorators.http import require_POST

from configuration.store import get as config_value
from projects.models import Robot
from projects.rbac import Action, Resource
from projects.robots import RobotError, create_robot, delete_robot, login_name

from ..access import ProjectAccess, project_access
from ..paging import page_of

# The permissions the form offers; the service checks every grant against Harbor's list.
OFFERED = [
    ("repository:pull", gettext_lazy("Pull")),
    ("repository:push", gettext_lazy("Push")),
    ("artifact:delete", gettext_lazy("Delete artifacts")),
    ("tag:create", gettext_lazy("Create tags")),
    ("tag:delete", gettext_lazy("Delete tags")),
]


def robot_list(request: HttpRequest, project: str) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.LIST, Resource.ROBOT)
    return _robots_page(request, access)


def _robots_page(
    request: HttpRequest, access: ProjectAccess, new_secret: dict[str, str] | None = None
) -> HttpResponse:
    page = page_of(request, Robot.objects.filter(project=access.project).order_by("name"))
    rows = [{"robot": robot, "login": login_name(robot)} for robot in page]
    context = {
        "access": access,
        "tab": "robots",
        "page": page,
        "rows": rows,
        "offered": OFFERED,
        "default_duration": config_value("robot_token_duration"),
        "new_secret": new_secret,
    }
    return render(request, "portal/robots.html", context)


def _duration(value: str) -> int | None:
    try:
        return int(value)
    except ValueError:
        return None


@never_cache
@require_POST
def robot_create(request: HttpRequest, project: str) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.CREATE, Resource.ROBOT)
    chosen = [item.split(":", 1) for item in request.POST.getlist("access") if ":" in item]
    permissions = [
        {
            "kind": "project",
            "namespace": access.project.name,
            "access": [{"resource": resource, "action": action} for resource, action in chosen],
        }
    ]
    try:
        robot, secret = create_robot(
            request.POST.get("name", "").strip(),
            permissions,
            project=access.project,
            duration=_duration(request.POST.get("duration", "")),
            description=request.POST.get("description", ""),
            creator=access.principal,
        )
    except RobotError as exc:
        messages.error(request, str(exc))
        return redirect("portal:robots", project=project)
    # The secret is in this response only (no redirect, no session): it is stored hashed.
    return _robots_page(request, access, {"login": login_name(robot), "secret": secret})


@require_POST
def robot_delete(request: HttpRequest, project: str, robot_id: int) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.DELETE, Resource.ROBOT)
    robot = Robot.objects.filter(project=access.project, pk=robot_id).first()
    if robot is None:
        raise Http404("no such robot")
    delete_robot(robot, access.principal)
    messages.success(request, _("Robot account deleted."))
    return redirect("portal:robots", project=project)
