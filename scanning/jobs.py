"""Scan jobs: asking for a scan, stopping one, and running one (in a Celery worker).

The report row is the job record. Asking writes it as Pending and enqueues its id once the
transaction commits; the worker claims it with a conditional UPDATE (Pending -> Running), so a
message delivered twice runs the scan once; the result is written with another conditional
UPDATE (only while Running), so a scan stopped meanwhile stays Stopped whatever the scanner
answers later.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from contextlib import suppress
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone

from registry.models import Artifact
from registry.oci import mediatypes as mt
from registry.services.metadata import is_image

from . import builtin
from .adapter import NATIVE_REPORT, SBOM_REPORT, SPDX_JSON, VULNERABILITY_REPORT, AdapterError, ScanRequest
from .inventory import InventoryError
from .registrations import client_for, scanner_of
from .reports import check_vulnerability_report, summarize
from .sbom_accessory import push_sbom
from .scan_models import ScanAllRun, ScanReport
from .scanner_robot import scanner_robot

logger = logging.getLogger(__name__)

SCAN_TYPES = {"vulnerability": VULNERABILITY_REPORT, "sbom": SBOM_REPORT}
ONGOING = (ScanReport.PENDING, ScanReport.RUNNING)


class NotScannable(Exception):
    """422: no scanner can read this artifact (not an image, an index, or no scanner at all)."""


class ScanInProgress(Exception):
    """409: a scan of the same kind by the same scanner is already pending or running."""


class NoScanRunning(Exception):
    """400: there is nothing to stop."""


def is_scannable(artifact: Artifact) -> bool:
    """An image manifest that is not itself an accessory. An index is scanned through its
    images (`scan`), never as itself."""
    return is_image(artifact) and not artifact.subject_digest


def images_of(artifact: Artifact) -> list[Artifact]:
    """What scanning `artifact` means: itself, or for an index its scannable images."""
    if artifact.media_type not in mt.INDEXES:
        return [artifact]
    children = Artifact.objects.filter(parent_refs__parent=artifact).order_by("id")
    found = []
    for child in children:
        child.repository = artifact.repository
        if is_scannable(child):
            found.append(child)
    return found


def scan(artifact: Artifact, scan_type: str) -> list[ScanReport]:
    """`POST .../scan`: the artifact, or each image of an index (those already being scanned
    are left to finish); NotScannable when there is nothing to scan."""
    images = images_of(artifact)
    if not images or not all(is_scannable(image) for image in images):
        raise NotScannable(
            f"{artifact.repository.name}@{artifact.digest} ({artifact.type}) cannot be scanned"
        )
    if len(images) == 1 and images[0] is artifact:
        return [request_scan(artifact, scan_type)]
    reports = []
    for image in images:
        with suppress(ScanInProgress):
            reports.append(request_scan(image, scan_type))
    if not reports:
        raise ScanInProgress(f"every image of {artifact.digest} is already being scanned")
    return reports


def request_scan(artifact: Artifact, scan_type: str, run: ScanAllRun | None = None) -> ScanReport:
    """Record a Pending scan of `artifact` (its repository loaded) and enqueue it on commit."""
    if not is_scannable(artifact):
        raise NotScannable(
            f"{artifact.repository.name}@{artifact.digest} ({artifact.type}) cannot be scanned"
        )
    registration = scanner_of(artifact.repository.project)
    if registration is None:
        raise NotScannable(f"no scanner is enabled for project {artifact.repository.project.name}")
    with transaction.atomic():
        report, created = ScanReport.objects.select_for_update().get_or_create(
            digest=artifact.digest,
            registration=registration,
            mime_type=SCAN_TYPES[scan_type],
            defaults={"repository": artifact.repository.name, "scan_all_run": run},
        )
        if not created:
            if report.status in ONGOING:
                raise ScanInProgress(
                    f"a {scan_type} scan of {artifact.digest} is already {report.status.lower()}"
                )
            _reset(report, artifact.repository.name, run)
        transaction.on_commit(lambda: _enqueue(report.pk, run is not None))
    return report


def _reset(report: ScanReport, repository: str, run: ScanAllRun | None) -> None:
    report.repository, report.scan_all_run = repository, run
    report.status, report.start_time, report.end_time = ScanReport.PENDING, None, None
    report.report, report.log, report.severity = None, "", ""
    report.total = report.fixable = report.critical = report.high = report.medium = report.low = 0
    report.unknown = 0
    report.save()


def _enqueue(report_id: int, scan_all: bool) -> None:
    from .tasks import run_scan, run_scan_all_item

    (run_scan_all_item if scan_all else run_scan).delay(report_id)


def stop_scan(artifact: Artifact, scan_type: str) -> int:
    """Mark the ongoing scans of this kind of the artifact (or of an index's images) Stopped;
    how many there were."""
    digests = {image.digest for image in images_of(artifact)} | {artifact.digest}
    stopped = ScanReport.objects.filter(
        digest__in=digests, mime_type=SCAN_TYPES[scan_type], status__in=ONGOING
    ).update(status=ScanReport.STOPPED, end_time=timezone.now())
    if not stopped:
        raise NoScanRunning(f"no {scan_type} scan of {artifact.digest} is pending or running")
    return stopped


class ScanLog:
    """What the scan's log endpoint shows: timestamped lines."""

    def __init__(self) -> None:
        self.lines: list[str] = []

    def add(self, message: str) -> None:
        self.lines.append(f"{timezone.now().isoformat(timespec='seconds')} {message}")

    def text(self) -> str:
        return "\n".join(self.lines) + "\n"


def execute(report_id: int) -> str:
    """Run one scan; the final status (or why nothing ran)."""
    now = timezone.now()
    if not ScanReport.objects.filter(pk=report_id, status=ScanReport.PENDING).update(
        status=ScanReport.RUNNING, start_time=now
    ):
        return "not pending"  # stopped before it started, or a duplicate delivery
    report = ScanReport.objects.select_related("registration").get(pk=report_id)
    log = ScanLog()
    log.add(f"scan of {report.repository}@{report.digest} by {report.registration.name} ({report.mime_type})")
    artifact = (
        Artifact.objects.select_related("repository__project")
        .filter(repository__name=report.repository, digest=report.digest)
        .first()
    )
    try:
        if artifact is None:
            raise InventoryError("the artifact no longer exists")
        scan = _builtin if report.registration.builtin else _remote
        result = scan(report, artifact, log)
    except (InventoryError, AdapterError, ValueError) as error:
        log.add(f"error: {error}")
        return _finish(report_id, ScanReport.ERROR, None, log)
    except Exception as error:  # a bug: recorded on the job rather than leaving it Running
        logger.exception("scan %s failed", report_id)
        log.add(f"internal error: {type(error).__name__}: {error}")
        return _finish(report_id, ScanReport.ERROR, None, log)
    log.add("done")
    return _finish(report_id, ScanReport.SUCCESS, result, log)


def _finish(report_id: int, status: str, result: dict[str, Any] | None, log: ScanLog) -> str:
    values: dict[str, Any] = {
        "status": status,
        "end_time": timezone.now(),
        "report": result,
        "log": log.text(),
    }
    if result is not None and "vulnerabilities" in result:
        summary = summarize(result)
        values.update(severity=summary.severity, total=summary.total, fixable=summary.fixable)
        values.update({key.lower(): count for key, count in summary.counts.items()})
    written = ScanReport.objects.filter(pk=report_id, status=ScanReport.RUNNING).update(**values)
    return status if written else ScanReport.STOPPED


def _builtin(report: ScanReport, artifact: Artifact, log: ScanLog) -> dict[str, Any]:
    if report.mime_type == SBOM_REPORT:
        sbom, warnings = builtin.scan_sbom(artifact, report.repository, SPDX_JSON, _registry_host())
        _log_warnings(log, warnings)
        return _stored_sbom(artifact, sbom, log)
    result, warnings = builtin.scan_vulnerabilities(artifact, report.repository)
    _log_warnings(log, warnings)
    log.add(f"{len(result['vulnerabilities'])} vulnerabilities found")
    return result


def _wanted_type(metadata: dict[str, Any], mime_type: str) -> str:
    """The report type to ask for: ours, or for vulnerabilities Harbor's native v1.0 when the
    adapter produces only that (its reports are read alike; v1.1 only adds fields)."""
    produced = {
        str(t)
        for capability in metadata.get("capabilities", [])
        if isinstance(capability, dict)
        for t in capability.get("produces_mime_types") or []
    }
    if mime_type == VULNERABILITY_REPORT and mime_type not in produced and NATIVE_REPORT in produced:
        return NATIVE_REPORT
    return mime_type


def _remote(report: ScanReport, artifact: Artifact, log: ScanLog) -> dict[str, Any]:
    registration = report.registration
    sbom = report.mime_type == SBOM_REPORT
    with client_for(registration) as client:
        wanted = _wanted_type(client.metadata(), report.mime_type)
    if wanted != report.mime_type:
        log.add(f"the adapter produces {wanted}, not {report.mime_type}: asking for that")
    capability: dict[str, Any] = {
        "type": "sbom" if sbom else "vulnerability",
        "produces_mime_types": [wanted],
    }
    if sbom:
        capability["parameters"] = {"sbom_media_types": [SPDX_JSON]}
    deadline = time.monotonic() + settings.SCAN_TIMEOUT_MINUTES * 60
    with scanner_robot(artifact.repository.project) as authorization, client_for(registration) as client:
        request = ScanRequest(
            registry_url=_registry_url(registration.use_internal_addr),
            authorization=authorization,
            repository=artifact.repository.name,
            digest=artifact.digest,
            mime_type=artifact.media_type,
            capabilities=[capability] if sbom else [],
        )
        scan_id = client.scan(request)
        log.add(f"submitted to {registration.url}: scan request {scan_id}")
        params = {"sbom_media_type": SPDX_JSON} if sbom else None
        result = client.report(scan_id, wanted, deadline, params, keep_going=_still_running(report.pk))
    log.add("report received")
    if sbom:
        return _stored_sbom(artifact, result, log)
    check_vulnerability_report(result)
    return result


def _still_running(report_id: int) -> Callable[[], bool]:
    return lambda: ScanReport.objects.filter(pk=report_id, status=ScanReport.RUNNING).exists()


def _stored_sbom(artifact: Artifact, sbom_report: Any, log: ScanLog) -> dict[str, Any]:
    if not isinstance(sbom_report, dict) or not isinstance(sbom_report.get("sbom"), dict):
        raise ValueError("the SBOM report holds no SBOM document")
    media_type = str(sbom_report.get("media_type") or SPDX_JSON)
    document = json.dumps(sbom_report["sbom"]).encode()
    digest = push_sbom(artifact, document, media_type)
    log.add(f"SBOM ({media_type}, {len(document)} bytes) stored as accessory {digest}")
    return {"sbom_digest": digest, "media_type": media_type}


def _log_warnings(log: ScanLog, warnings: list[str]) -> None:
    for warning in warnings:
        log.add(f"warning: {warning}")


def _registry_url(internal: bool) -> str:
    return settings.INTERNAL_URL if internal or not settings.EXTERNAL_URL else settings.EXTERNAL_URL


def _registry_host() -> str:
    return _registry_url(False).split("://", 1)[-1]
