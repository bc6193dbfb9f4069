"""Labels on artifacts: attaching, detaching, and which labels may go where.

A project label belongs to its project's artifacts only; a global label may go on any artifact.
That rule lives here, so the API, the portal and the admin attach labels the same way.
"""

from __future__ import annotations

from django.db import IntegrityError, transaction

from projects.models import Label

from ..models import Artifact, ArtifactLabel
from ..oci.errors import BadRequest, RegistryError
from .artifacts import Conflict


class LabelUnknown(RegistryError):
    code, status, message = "NOT_FOUND", 404, "label not found"


def attach_label(artifact: Artifact, label_id: int) -> ArtifactLabel:
    """Attach a label: unknown labels are a 404, another project's label a 400, an attached one a 409."""
    label = Label.objects.filter(pk=label_id).first()
    if label is None:
        raise LabelUnknown(f"label {label_id} not found")
    if label.scope == Label.PROJECT and label.project_id != artifact.repository.project_id:
        raise BadRequest(f"label {label_id} belongs to another project and cannot be added to this artifact")
    try:
        with transaction.atomic():
            return ArtifactLabel.objects.create(artifact=artifact, label=label)
    except IntegrityError:
        raise Conflict(f"label {label_id} is already added to the artifact {artifact.digest}") from None


def detach_label(artifact: Artifact, label_id: int) -> None:
    deleted, _ = ArtifactLabel.objects.filter(artifact=artifact, label_id=label_id).delete()
    if not deleted:
        raise LabelUnknown(f"label {label_id} is not added to the artifact {artifact.digest}")


def labels_of(artifacts: list[Artifact]) -> dict[int, list[Label]]:
    """The labels of a page of artifacts, in one query."""
    found: dict[int, list[Label]] = {}
    rows = ArtifactLabel.objects.filter(artifact__in=artifacts).select_related("label").order_by("id")
    for row in rows:
        found.setdefault(row.artifact_id, []).append(row.label)
    return found
