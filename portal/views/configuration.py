"""A project's configuration tab: its public flag and policy switches, and deleting it.

Changes go through `projects.services.update_project` and `delete_project`, as the API's
`PUT` and `DELETE /projects/{name}` do.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods, require_POST

from projects.metadata import SEVERITIES
from projects.rbac import Action, Resource
from projects.services import ProjectError, delete_project, update_project

from ..access import project_access

# The switches the tab offers, in Harbor's order, with what each means to a reader.
SWITCHES = [
    ("public", gettext_lazy("Public: anyone may pull")),
    ("enable_content_trust", gettext_lazy("Only signed images (Notation) may be pulled")),
    ("enable_content_trust_cosign", gettext_lazy("Only signed images (cosign) may be pulled")),
    ("prevent_vul", gettext_lazy("Prevent vulnerable images from being pulled")),
    ("auto_scan", gettext_lazy("Scan images on push")),
    ("auto_sbom_generation", gettext_lazy("Generate an SBOM on push")),
    ("reuse_sys_cve_allowlist", gettext_lazy("Use the system CVE allowlist")),
]


@require_http_methods(["GET", "POST"])
def configuration(request: HttpRequest, project: str) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.READ, Resource.CONFIGURATION)
    current = access.project
    if request.method == "POST":
        access.require(Action.UPDATE, Resource.SELF)
        metadata = {key: "true" if request.POST.get(key) == "on" else "false" for key, _label in SWITCHES}
        metadata["severity"] = request.POST.get("severity", "")
        try:
            update_project(access.principal, current, metadata)
        except ProjectError as exc:
            messages.error(request, str(exc))
        else:
            messages.success(request, _("Configuration saved."))
        return redirect("portal:configuration", project=project)
    values = {**current.metadata, "public": "true" if current.public else "false"}
    switches = [{"key": key, "label": label, "on": values.get(key) == "true"} for key, label in SWITCHES]
    context = {
        "access": access,
        "tab": "configuration",
        "switches": switches,
        "severities": SEVERITIES,
        "severity": values.get("severity", "low"),
    }
    return render(request, "portal/configuration.html", context)


@require_POST
def project_delete(request: HttpRequest, project: str) -> HttpResponse:
    access = project_access(request, project)
    access.require(Action.DELETE, Resource.SELF)
    try:
        delete_project(access.principal, access.project)
    except ProjectError as exc:
        messages.error(request, str(exc))
        return redirect("portal:configuration", project=project)
    messages.success(request, _("Project %(name)s deleted.") % {"name": project})
    return redirect("portal:projects")
