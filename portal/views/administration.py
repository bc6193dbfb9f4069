"""The administrators' pages: users, groups, global labels and the system audit log.

Each page asks `can()` about a system resource (project None); changes go through
`accounts.api.services` (`set_sysadmin`, `delete_user`, which refuses the built-in
admin and one's own account; `create_user`, `create_group`) and the label helpers the API
uses. LDAP groups are added through the REST API or an LDAP import, which check the DN
against the directory.
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.api.services import (
    AccountError,
    create_group,
    create_user,
    deletable,
    delete_user,
    local_accounts_problem,
    set_sysadmin,
)
from accounts.api.users import listed_users
from accounts.models import GroupType, User, UserGroup
from events.models import AuditLog
from projects.models import Label
from projects.permissions import can
from projects.principals import Principal
from projects.rbac import Action, Resource

from ..access import Abilities, principal_of
from ..paging import page_of
from .labels import create_label, delete_label


def require_system(request: HttpRequest, action: Action, resource: Resource) -> Principal:
    """A logged-in user who may not do this is refused (403); `login_required` sends the
    anonymous to the login page first."""
    principal = principal_of(request)
    if not can(principal, action, resource):
        raise PermissionDenied(f"you may not {action.value} {resource.value}")
    return principal


def admin_page(request: HttpRequest, template: str, tab: str, **context: object) -> HttpResponse:
    may = Abilities(principal_of(request), None, set())
    return render(request, f"portal/admin_{template}.html", {"tab": tab, "may": may, **context})


@login_required
def users(request: HttpRequest) -> HttpResponse:
    principal = require_system(request, Action.LIST, Resource.USER)
    query = request.GET.get("q", "").strip()
    found = listed_users()
    if query:
        found = found.filter(Q(username__icontains=query) | Q(email__icontains=query))
    page = page_of(request, found.order_by("username"))
    rows = [{"user": user, "deletable": deletable(principal, user)} for user in page]
    creatable = local_accounts_problem() is None
    return admin_page(request, "users", "users", page=page, rows=rows, q=query, creatable=creatable)


@login_required
@require_POST
def user_create(request: HttpRequest) -> HttpResponse:
    principal = require_system(request, Action.CREATE, Resource.USER)
    fields = {
        name: request.POST.get(name, "").strip() for name in ("username", "email", "realname", "comment")
    }
    try:
        if problem := local_accounts_problem():
            raise AccountError(problem)
        user = create_user(principal, password=request.POST.get("password", ""), **fields)
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s created.") % {"name": user.username})
    return redirect("portal:admin-users")


def _user(user_id: int) -> User:
    user = listed_users().filter(pk=user_id).first()
    if user is None:
        raise Http404("no such user")
    return user


@login_required
@require_POST
def user_sysadmin(request: HttpRequest, user_id: int) -> HttpResponse:
    principal = require_system(request, Action.UPDATE, Resource.USER)
    user = _user(user_id)
    set_sysadmin(principal, user, request.POST.get("sysadmin") == "true")
    messages.success(request, _("%(name)s updated.") % {"name": user.username})
    return redirect("portal:admin-users")


@login_required
@require_POST
def user_delete(request: HttpRequest, user_id: int) -> HttpResponse:
    principal = require_system(request, Action.DELETE, Resource.USER)
    user = _user(user_id)
    try:
        delete_user(principal, user)
    except AccountError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s deleted.") % {"name": user.username})
    return redirect("portal:admin-users")


@login_required
def groups(request: HttpRequest) -> HttpResponse:
    require_system(request, Action.LIST, Resource.USER_GROUP)
    page = page_of(request, UserGroup.objects.order_by("name", "id"))
    kinds = [(GroupType.HTTP, GroupType.HTTP.label), (GroupType.OIDC, GroupType.OIDC.label)]
    return admin_page(request, "groups", "groups", page=page, kinds=kinds)


@login_required
@require_POST
def group_create(request: HttpRequest) -> HttpResponse:
    """HTTP and OIDC groups: names only (an LDAP group needs its DN checked by the directory)."""
    require_system(request, Action.CREATE, Resource.USER_GROUP)
    try:
        kind = int(request.POST.get("group_type", "0") or 0)
        if kind == GroupType.LDAP:
            raise AccountError(_("LDAP groups are imported from the directory, not created here."))
        group = create_group(request.POST.get("name", "").strip(), kind, "")
    except (AccountError, ValueError) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("%(name)s created.") % {"name": group.name})
    return redirect("portal:admin-groups")


@login_required
def labels(request: HttpRequest) -> HttpResponse:
    require_system(request, Action.READ, Resource.LABEL)
    page = page_of(request, Label.objects.filter(scope=Label.GLOBAL).order_by("name"))
    return admin_page(request, "labels", "labels", page=page)


@login_required
@require_POST
def label_add(request: HttpRequest) -> HttpResponse:
    require_system(request, Action.CREATE, Resource.LABEL)
    create_label(request, None)
    return redirect("portal:admin-labels")


@login_required
@require_POST
def label_remove(request: HttpRequest, label_id: int) -> HttpResponse:
    require_system(request, Action.DELETE, Resource.LABEL)
    label = Label.objects.filter(pk=label_id, scope=Label.GLOBAL).first()
    if label is None:
        raise Http404("no such label")
    delete_label(request, label)
    return redirect("portal:admin-labels")


@login_required
def logs(request: HttpRequest) -> HttpResponse:
    require_system(request, Action.LIST, Resource.AUDIT_LOG)
    query = request.GET.get("q", "").strip()
    entries = AuditLog.objects.all()
    if query:
        entries = entries.filter(Q(username__icontains=query) | Q(resource__icontains=query))
    page = page_of(request, entries.order_by("-op_time", "-id"))
    return admin_page(request, "logs", "logs", page=page, q=query)
