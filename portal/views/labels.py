"""Creating and deleting labels, for a project's tab and for the administrators' global list.

A label is checked by the API's own request rules (`LabelRequest`) and saved by its
`save_label`, so a name, colour or duplicate is refused here exactly as there.
"""

from __future__ import annotations

from django.contrib import messages
from django.http import HttpRequest
from django.utils.translation import gettext as _
from rest_framework.exceptions import APIException

from projects.api_labels import LabelRequest, save_label
from projects.models import Label, Project


def create_label(request: HttpRequest, project: Project | None) -> None:
    """A project label (`project` given) or a global one; the outcome becomes a message."""
    fields = {key: request.POST.get(key, "").strip() for key in ("name", "description", "color")}
    checked = LabelRequest(data=fields)
    if not checked.is_valid():
        errors = "; ".join(f"{key}: {' '.join(map(str, value))}" for key, value in checked.errors.items())
        messages.error(request, errors)
        return
    scope = Label.PROJECT if project is not None else Label.GLOBAL
    label = Label(**checked.validated_data, scope=scope, project=project)
    try:
        save_label(label)
    except APIException as exc:
        messages.error(request, str(exc.detail))
    else:
        messages.success(request, _("Label %(name)s created.") % {"name": label.name})


def delete_label(request: HttpRequest, label: Label) -> None:
    label.delete()
    messages.success(request, _("Label %(name)s deleted.") % {"name": label.name})
