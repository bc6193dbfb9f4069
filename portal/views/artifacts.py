"""One artifact: tags (add, remove), manifest and config, build history, an index's
references, accessories, and deleting it."""

from __future__ import annotations

import json
from typing import Any

from django.contrib import messages
from django.db.models import Q
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from projects.models import Label
from projects.rbac import Action, Resource
from registry.models import Artifact, ArtifactReference, Repository
from registry.oci.errors import RegistryError
from registry.services.accessories import accessories_of
from registry.services.artifacts import create_tag, delete_tag, find_artifact
from registry.services.deletion import delete_artifact
from registry.services.labels import attach_label, detach_label, labels_of
from registry.services.metadata import ConfigUnreadable, build_history, is_image, read_config
from registry.storage import blob_store
from scanning.jobs import NotScannable, ScanInProgress, is_scannable, scan
from scanning.overview import overviews, primary_summary, reports_of, vulnerability_addition
from scanning.vulndb.severity import rank
from signatures.verification import verdicts

from ..access import ProjectAccess, project_access
from .repositories import registry_host, repository_in, short_name, signed


def _artifact(access: ProjectAccess, repo: str, reference: str) -> tuple[Repository, Artifact]:
    repository = repository_in(access, repo)
    try:
        return repository, find_artifact(repository, reference)
    except RegistryError:
        raise Http404("no such artifact") from None


def _pretty(content: bytes) -> str:
    try:
        return json.dumps(json.loads(content), indent=2, sort_keys=False)
    except ValueError:
        return content.decode("utf-8", "replace")


def _layers(content: bytes) -> list[dict[str, Any]]:
    """An image manifest's layer descriptors (an index has none)."""
    try:
        layers = json.loads(content).get("layers")
    except (ValueError, AttributeError):
        return []
    return [layer for layer in layers if isinstance(layer, dict)] if isinstance(layers, list) else []


def _config(artifact: Artifact) -> dict[str, Any] | None:
    try:
        return read_config(artifact)
    except ConfigUnreadable:
        return None


def artifact_detail(request: HttpRequest, project: str, repo: str, reference: str) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.READ, Resource.ARTIFACT)
    repository, artifact = _artifact(access, repo, reference)
    tags = list(artifact.tags.order_by("name").values_list("name", flat=True))
    artifact.repository = repository
    found = accessories_of([artifact])[artifact.pk]
    checked = verdicts(repository.project_id, found)
    scan_overview, sbom_overview = overviews(reports_of([artifact])[artifact.pk])
    attached = labels_of([artifact]).get(artifact.pk, [])
    references = ArtifactReference.objects.filter(parent=artifact).select_related("child").order_by("id")
    config = _config(artifact)
    host = registry_host(request)
    context = {
        "access": access,
        "tab": "repositories",
        "repository": repository,
        "repo": short_name(repository),
        "artifact": artifact,
        "tags": tags,
        "signed": signed(found),
        "accessories": [{"item": item, "verdict": checked.get(item.artifact.pk)} for item in found],
        "labels": attached,
        "scan": primary_summary(scan_overview),
        "sbom": sbom_overview,
        "vulnerabilities": _vulnerabilities(artifact, request.GET.get("sort", "")),
        "sort": request.GET.get("sort", ""),
        "scannable": is_scannable(artifact),
        "attachable": Label.objects.filter(Q(scope=Label.GLOBAL) | Q(project_id=repository.project_id))
        .exclude(pk__in=[label.pk for label in attached])
        .order_by("name"),
        "references": references,
        "manifest": _pretty(bytes(artifact.content)),
        "layers": _layers(bytes(artifact.content)),
        "config": json.dumps(config, indent=2) if config else "",
        "config_unreadable": config is None,
        "history": build_history(artifact) if is_image(artifact) and config is not None else [],
        "pull_tag": f"{host}/{repository.name}:{tags[0]}" if tags else "",
        "pull_digest": f"{host}/{repository.name}@{artifact.digest}",
    }
    return render(request, "portal/artifact.html", context)


def _back(project: str, repo: str, digest: str) -> HttpResponse:
    return redirect("portal:artifact", project=project, repo=repo, reference=digest)


@require_POST
def artifact_delete(request: HttpRequest, project: str, repo: str, reference: str) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.DELETE, Resource.ARTIFACT)
    artifact = _artifact(access, repo, reference)[1]
    try:
        delete_artifact(artifact, access.principal.username)
    except RegistryError as exc:
        messages.error(request, exc.message)
        return _back(project, repo, artifact.digest)
    messages.success(request, _("Artifact %(digest)s deleted.") % {"digest": artifact.digest})
    return redirect("portal:artifacts", project=project, repo=repo)


@require_POST
def tag_add(request: HttpRequest, project: str, repo: str, reference: str) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.CREATE, Resource.TAG)
    artifact = _artifact(access, repo, reference)[1]
    name = request.POST.get("name", "").strip()
    try:
        create_tag(artifact, name)
    except RegistryError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Tag %(name)s added.") % {"name": name})
    return _back(project, repo, artifact.digest)


@require_POST
def tag_remove(request: HttpRequest, project: str, repo: str, reference: str, tag: str) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.DELETE, Resource.TAG)
    artifact = _artifact(access, repo, reference)[1]
    try:
        delete_tag(artifact, tag)
    except RegistryError as exc:
        messages.error(request, exc.message)
    else:
        messages.success(request, _("Tag %(name)s removed.") % {"name": tag})
    return _back(project, repo, artifact.digest)


@require_POST
def label_attach(request: HttpRequest, project: str, repo: str, reference: str) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.CREATE, Resource.ARTIFACT_LABEL)
    artifact = _artifact(access, repo, reference)[1]
    try:
        attach_label(artifact, int(request.POST.get("label", "0") or 0))
    except (RegistryError, ValueError) as exc:
        messages.error(request, str(exc))
    return _back(project, repo, artifact.digest)


@require_POST
def label_detach(
    request: HttpRequest, project: str, repo: str, reference: str, label_id: int
) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.DELETE, Resource.ARTIFACT_LABEL)
    artifact = _artifact(access, repo, reference)[1]
    try:
        detach_label(artifact, label_id)
    except RegistryError as exc:
        messages.error(request, str(exc))
    return _back(project, repo, artifact.digest)


# Sort keys of the vulnerability table (`?sort=`): the worst first by default.
_VULNERABILITY_SORTS: dict[str, Any] = {
    "severity": lambda v: (-rank(v.get("severity", "")), v.get("id", "")),
    "package": lambda v: (v.get("package", ""), v.get("id", "")),
    "id": lambda v: v.get("id", ""),
    "fix": lambda v: (not v.get("fix_version"), v.get("package", "")),
}


def _vulnerabilities(artifact: Artifact, sort: str) -> list[dict[str, Any]]:
    """The rows of the artifact's vulnerability report (its scanner's, as the API shows it)."""
    rows: list[dict[str, Any]] = []
    for report in vulnerability_addition(artifact).values():
        rows.extend(v for v in (report or {}).get("vulnerabilities", []) if isinstance(v, dict))
    return sorted(rows, key=_VULNERABILITY_SORTS.get(sort, _VULNERABILITY_SORTS["severity"]))


@require_POST
def artifact_scan(request: HttpRequest, project: str, repo: str, reference: str) -> HttpResponse:
    """Scan for vulnerabilities or generate the SBOM, as `POST .../scan` does."""
    kind = "sbom" if request.POST.get("scan_type") == "sbom" else "vulnerability"
    access = project_access(request, project)
    access.require(Action.CREATE, Resource.SBOM if kind == "sbom" else Resource.SCAN)
    artifact = _artifact(access, repo, reference)[1]
    try:
        scan(artifact, kind)
    except (NotScannable, ScanInProgress) as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, _("Scan requested; its progress shows on the Jobs page."))
    return _back(project, repo, artifact.digest)


def artifact_sbom(request: HttpRequest, project: str, repo: str, reference: str) -> HttpResponse:
    """The SBOM document the scanner stored as the artifact's accessory, as a download."""
    access = project_access(request, project)
    access.require(Action.READ, Resource.SBOM)
    repository, artifact = _artifact(access, repo, reference)
    artifact.repository = repository
    sbom = overviews(reports_of([artifact])[artifact.pk])[1] or {}
    accessory = Artifact.objects.filter(repository=repository, digest=sbom.get("sbom_digest") or "-").first()
    if accessory is None:
        raise Http404("this artifact has no SBOM")
    layers = json.loads(bytes(accessory.content)).get("layers") or [{}]
    response = StreamingHttpResponse(
        blob_store().read_blob(layers[0]["digest"]),  # streamed: an SBOM may be large
        content_type=layers[0].get("mediaType", "application/json"),
    )
    name = f"{repository.name.replace('/', '_')}_{artifact.digest[7:19]}.spdx.json"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response
