"""Read-only tabs of a project: its labels and its audit log."""

from __future__ import annotations

from django.db.models import Q
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render

from events.models import AuditLog
from projects.models import Label
from projects.rbac import Action, Resource

from ..access import project_access
from ..paging import page_of


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
