"""Deleting artifacts and repositories the way Harbor does (`artifact.Ctl.Delete`,
`repository.Ctl.Delete`); the distribution API's DELETE by digest uses the same path."""

from __future__ import annotations

from django.db import transaction
from django.db.models import Exists, OuterRef

from events.bus import publish
from events.domain import ArtifactDeleted

from ..models import Artifact, ArtifactReference, Repository, Upload
from ..oci.errors import PreconditionFailed
from .accessories import accessories_of
from .uploads import cancel_upload


def delete_artifact(artifact: Artifact, operator: str = "") -> None:
    """Refused (412) while an index lists the artifact; takes its accessories along, and its
    children that have no tags and no other parent. `artifact.repository` must be loaded."""
    repository = artifact.repository
    with transaction.atomic():
        _delete_deeply(artifact, root=True)
        publish(ArtifactDeleted(operator, repository.project_id, repository.name, artifact.digest))


def _delete_deeply(artifact: Artifact, root: bool) -> None:
    if not root and artifact.tags.exists():
        return
    if ArtifactReference.objects.filter(child=artifact).exists():
        if root:
            raise PreconditionFailed(
                f"artifact {artifact.digest} is referenced by an index; delete the index first"
            )
        return
    for accessory in accessories_of([artifact])[artifact.pk]:
        _delete_deeply(accessory.artifact, root=True)
    references = list(ArtifactReference.objects.filter(parent=artifact).select_related("child"))
    ArtifactReference.objects.filter(parent=artifact).delete()
    for reference in references:
        reference.child.repository = artifact.repository
        _delete_deeply(reference.child, root=False)
    artifact.delete()  # its tags go with it


def delete_repository(repository: Repository, operator: str = "") -> None:
    """Delete the repository with every artifact, tag and unfinished upload in it.

    Blob bytes stay in the store until garbage collection, as in Harbor.
    """
    for upload in Upload.objects.filter(repository=repository):
        cancel_upload(upload)
    with transaction.atomic():
        roots = Artifact.objects.filter(repository=repository).exclude(
            Exists(ArtifactReference.objects.filter(child=OuterRef("pk")))
        )
        for digest in roots.values_list("digest", flat=True):
            publish(ArtifactDeleted(operator, repository.project_id, repository.name, digest))
        # Index links first: a child artifact may not go while a link to it remains.
        ArtifactReference.objects.filter(parent__repository=repository).delete()
        repository.delete()
