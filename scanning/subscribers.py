"""What scanning hears from the event bus, so the registry's push and delete paths know
nothing of scanning: scan on push (the projects' `auto_scan` and `auto_sbom_generation`), and
reports dropped when the last artifact with their digest is deleted (as Harbor does).

The bus delivers after the transaction commits, so a scan sees the pushed artifact; a failure
here is logged by the bus and never fails the push or the delete.
"""

from __future__ import annotations

from contextlib import suppress

from events import bus
from events.domain import ArtifactDeleted, ArtifactPushed
from registry.models import Artifact

from .jobs import NotScannable, ScanInProgress, is_scannable, request_scan
from .scan_models import ScanReport

SWITCHES = (("auto_scan", "vulnerability"), ("auto_sbom_generation", "sbom"))


def scan_pushed(event: ArtifactPushed) -> None:
    artifact = (
        Artifact.objects.select_related("repository__project")
        .filter(repository__name=event.repository, digest=event.digest)
        .first()
    )
    if artifact is None or not is_scannable(artifact):
        return
    metadata = artifact.repository.project.metadata or {}
    for switch, scan_type in SWITCHES:
        if str(metadata.get(switch, "")).lower() == "true":
            # No scanner enabled, or the same scan already queued (a re-push): nothing to do.
            with suppress(NotScannable, ScanInProgress):
                request_scan(artifact, scan_type)


def drop_reports(event: ArtifactDeleted) -> None:
    if not Artifact.objects.filter(digest=event.digest).exists():
        ScanReport.objects.filter(digest=event.digest).delete()


def subscribe() -> None:
    bus.subscribe(ArtifactPushed, scan_pushed)
    bus.subscribe(ArtifactDeleted, drop_reports)
