"""A project's labels (create, delete) and its audit log."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from events.models import AuditLog
from projects.models import Label
from projects.rbac import Action, Resource

from ..access import project_access
from ..paging import page_of
from .labels import create_label, delete_label


def label_list(request: HttpRequest, project: str) -> HttpResponse:
    """The project's labels and the global ones its artifacts may carry."""
    access = project_access(request, project)
    access.require(Action.LIST, Resource.LABEL)
    labels = Label.objects.filter(Q(project=access.project) | Q(scope=Label.GLOBAL)).order_by("scope", "name")
    context = {"access": access, "tab": "labels", "page": page_of(request, labels)}
    return render(request, "portal/labels.html", context)


def log_list(request: HttpRequest, project: str) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.LIST, Resource.LOG)
    query = request.GET.get("q", "").strip()
    logs = AuditLog.objects.filter(project_id=access.project.pk)
    if query:
        logs = logs.filter(Q(username__icontains=query) | Q(resource__icontains=query))
    page = page_of(request, logs.order_by("-op_time", "-id"))
    context = {"access": access, "tab": "logs", "page": page, "q": query}
    return render(request, "portal/logs.html", context)


@require_POST
def label_create(request: HttpRequest, project: str) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.CREATE, Resource.LABEL)
    create_label(request, access.project)
    return redirect("portal:labels", project=project)


@require_POST
def label_delete(request: HttpRequest, project: str, label_id: int) -> HttpResponse:
    """Only the project's own labels are deleted here; global ones belong to the administrators."""
    access = project_access(request, project)
    access.require(Action.DELETE, Resource.LABEL)
    label = Label.objects.filter(pk=label_id, project=access.project, scope=Label.PROJECT).first()
    if label is None:
        raise Http404("no such label")
    delete_label(request, label)
    return redirect("portal:labels", project=project)
