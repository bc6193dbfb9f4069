"""A project's repositories (search, delete) and a repository's artifacts."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.http import Http404, HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects.rbac import Action, Resource
from registry.models import Repository, Tag
from registry.oci import accessories as accessory_types
from registry.services.accessories import Accessory, accessories_of, artifact_count, listed_artifacts
from registry.services.deletion import delete_repository
from scanning.overview import overviews, primary_summary, reports_of

from ..access import ProjectAccess, project_access
from ..paging import page_of


def registry_host(request: HttpRequest) -> str:
    """The host:port clients pull from (HARBOR_EXTERNAL_URL's, else this request's)."""
    if settings.EXTERNAL_URL:
        return settings.EXTERNAL_URL.split("://", 1)[-1]
    return request.get_host()


def repository_in(access: ProjectAccess, repo: str) -> Repository:
    """`repo` is the name after `<project>/`; a repository of another project is not found."""
    name = f"{access.project.name}/{repo}"
    repository = Repository.objects.filter(project=access.project, name=name).first()
    if repository is None:
        raise Http404("no such repository")
    return repository


def short_name(repository: Repository) -> str:
    return repository.name.partition("/")[2]


def repository_list(request: HttpRequest, project: str) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.LIST, Resource.REPOSITORY)
    query = request.GET.get("q", "").strip()
    repositories = Repository.objects.filter(project=access.project).annotate(artifact_count=artifact_count())
    if query:
        repositories = repositories.filter(name__icontains=query)
    page = page_of(request, repositories.order_by("name"))
    rows = [{"repository": repository, "short": short_name(repository)} for repository in page]
    context = {"access": access, "tab": "repositories", "page": page, "rows": rows, "q": query}
    return render(request, "portal/repositories.html", context)


@require_POST
def repository_delete(request: HttpRequest, project: str, repo: str) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.DELETE, Resource.REPOSITORY)
    repository = repository_in(access, repo)
    delete_repository(repository, access.principal.username)
    messages.success(request, _("Repository %(name)s deleted.") % {"name": repository.name})
    return redirect("portal:repositories", project=project)


def signed(found: list[Accessory]) -> bool:
    """A cosign or notation signature is among the accessories."""
    return any(item.type in (accessory_types.COSIGN, accessory_types.NOTATION) for item in found)


def artifact_list(request: HttpRequest, project: str, repo: str) -> HttpResponse:
    """One page of artifacts with their tags and accessories: a fixed number of queries."""
    access = project_access(request, project)
    access.require(Action.LIST, Resource.ARTIFACT)
    repository = repository_in(access, repo)
    # The manifest bytes are not shown in the list; leave them in the database.
    artifacts = listed_artifacts(repository).defer("content", "extra_attrs").order_by("-push_time", "-id")
    page = page_of(request, artifacts)
    items = list(page)
    for artifact in items:
        artifact.repository = repository  # known already: no query per artifact below
    tags: dict[int, list[str]] = {}
    for artifact_id, name in (
        Tag.objects.filter(artifact__in=items).order_by("name").values_list("artifact_id", "name")
    ):
        tags.setdefault(artifact_id, []).append(name)
    found = accessories_of(items)
    reports = reports_of(items)
    host = registry_host(request)
    rows = [
        {
            "artifact": artifact,
            "tags": tags.get(artifact.pk, []),
            "signed": signed(found.get(artifact.pk, [])),
            "scan": primary_summary(overviews(reports.get(artifact.pk, []))[0]),
            "pull_tag": f"{host}/{repository.name}:{tags[artifact.pk][0]}" if tags.get(artifact.pk) else "",
            "pull_digest": f"{host}/{repository.name}@{artifact.digest}",
        }
        for artifact in items
    ]
    context = {
        "access": access,
        "tab": "repositories",
        "repository": repository,
        "repo": short_name(repository),
        "page": page,
        "rows": rows,
    }
    return render(request, "portal/artifacts.html", context)
