"""The projects list (search, create) and a project's summary tab."""

from __future__ import annotations

from django.contrib import messages
from django.core.exceptions import PermissionDenied
from django.db.models import Count, OuterRef, Subquery
from django.db.models.functions import Coalesce
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from projects.api_quotas import storage_used
from projects.models import Project, ProjectMember
from projects.permissions import may_create_project
from projects.services import ProjectError, create_project, roles_by_project
from registry.models import Artifact, Repository

from ..access import principal_of, project_access
from ..paging import page_of
from ..roles import ROLE_NAMES


def _count(model: type, **outer: str) -> Coalesce:
    """A correlated count subquery: one SQL statement for the whole page, whatever its size."""
    rows = model.objects.filter(**{key: OuterRef(value) for key, value in outer.items()})
    counts = rows.order_by().values(*outer).annotate(total=Count("pk")).values("total")
    return Coalesce(Subquery(counts), 0)


def quota(limit: int, used: int) -> dict[str, int | None]:
    """What a quota bar shows: the bytes used, the limit (None: unlimited) and the percentage."""
    if limit < 0:
        return {"used": used, "limit": None, "percent": None}
    return {"used": used, "limit": limit, "percent": min(100, round(100 * used / limit)) if limit else 100}


@require_http_methods(["GET", "POST"])
def project_list(request: HttpRequest) -> HttpResponse:
    principal = principal_of(request)
    may_create = may_create_project(principal)
    form_error, form_name = "", ""
    if request.method == "POST":
        if not may_create:
            raise PermissionDenied("only system administrators may create projects")
        form_name = request.POST.get("name", "").strip()
        try:
            project = create_project(principal, form_name, public=request.POST.get("public") == "on")
        except ProjectError as exc:
            form_error = str(exc)
        else:
            messages.success(request, _("Project %(name)s created.") % {"name": project.name})
            return redirect("portal:project", project=project.name)
    query = request.GET.get("q", "").strip()
    projects = Project.objects.visible_to(principal).annotate(repo_count=_count(Repository, project="pk"))
    if query:
        projects = projects.filter(name__icontains=query)
    page = page_of(request, projects.order_by("name"))
    ids = [project.pk for project in page]
    roles = roles_by_project(principal, ids)
    used = storage_used(ids)
    rows = [
        {
            "project": project,
            "roles": [ROLE_NAMES[role] for role in roles.get(project.pk, [])],
            "quota": quota(project.storage_limit, used[project.pk]),
        }
        for project in page
    ]
    context = {
        "page": page,
        "rows": rows,
        "q": query,
        "may_create": may_create,
        "form_error": form_error,
        "form_name": form_name,
    }
    return render(request, "portal/projects.html", context, status=400 if form_error else 200)


def project_summary(request: HttpRequest, project: str) -> HttpResponse:
    access = project_access(request, project)
    current = access.project
    members = ProjectMember.objects.filter(project=current).values("role").annotate(total=Count("pk"))
    context = {
        "access": access,
        "tab": "summary",
        "repo_count": Repository.objects.filter(project=current).count(),
        "artifact_count": Artifact.objects.filter(repository__project=current).count(),
        "members": [{"role": ROLE_NAMES[row["role"]], "total": row["total"]} for row in members],
        "quota": quota(current.storage_limit, storage_used([current.pk])[current.pk]),
        "my_roles": [ROLE_NAMES[role] for role in sorted(access.roles)],
    }
    return render(request, "portal/project_summary.html", context)
