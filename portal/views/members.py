"""A project's members: add a user or group with a role, change the role, remove."""

from __future__ import annotations

from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from rest_framework.exceptions import APIException

from projects.api_members import add_member, change_role, find_entity, members_of, remove_member
from projects.models import ProjectMember
from projects.rbac import Action, Resource, Role

from ..access import ProjectAccess, project_access
from ..paging import page_of
from ..roles import ROLE_CHOICES, ROLE_NAMES


def _role(request: HttpRequest) -> Role | None:
    value = request.POST.get("role", "")
    return Role(int(value)) if value.isdigit() and int(value) in Role.values else None


def _member(access: ProjectAccess, member_id: int) -> ProjectMember:
    member = members_of(access.project).filter(pk=member_id).first()
    if member is None:
        raise Http404("no such member")
    return member


def member_list(request: HttpRequest, project: str) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.LIST, Resource.MEMBER)
    page = page_of(request, members_of(access.project))
    rows = [{"member": member, "role": ROLE_NAMES[Role(member.role)]} for member in page]
    context = {"access": access, "tab": "members", "page": page, "rows": rows, "roles": ROLE_CHOICES}
    return render(request, "portal/members.html", context)


@require_POST
def member_add(request: HttpRequest, project: str) -> HttpResponse:
    """The member is found as the API finds it (LDAP users and groups onboarded on the way)."""
    access = project_access(request, project)
    access.require(Action.CREATE, Resource.MEMBER)
    role, name = _role(request), request.POST.get("name", "").strip()
    kind = "member_group" if request.POST.get("kind") == "group" else "member_user"
    key = "group_name" if kind == "member_group" else "username"
    if role is None or not name:
        messages.error(request, _("Give a name and a role."))
        return redirect("portal:members", project=project)
    try:
        add_member(access.principal, access.project, role, find_entity(access.principal, {kind: {key: name}}))
    except APIException as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, _("%(name)s added as %(role)s.") % {"name": name, "role": ROLE_NAMES[role]})
    return redirect("portal:members", project=project)


@require_POST
def member_role(request: HttpRequest, project: str, member_id: int) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.UPDATE, Resource.MEMBER)
    member, role = _member(access, member_id), _role(request)
    if role is None:
        messages.error(request, _("Choose a role."))
    else:
        change_role(access.principal, access.project, member, role)
        messages.success(request, _("Role changed."))
    return redirect("portal:members", project=project)


@require_POST
def member_remove(request: HttpRequest, project: str, member_id: int) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.DELETE, Resource.MEMBER)
    remove_member(access.principal, access.project, _member(access, member_id))
    messages.success(request, _("Member removed."))
    return redirect("portal:members", project=project)
