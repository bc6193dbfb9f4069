"""The vulnerability pull policy (`prevent_vul` + `severity`), asked on every manifest GET.

As Harbor's `vulnerable` middleware: a scannable image of a project that prevents vulnerable
pulls is refused with 412 PROJECTPOLICYVIOLATION when its scan (by the project's scanner)
found, outside the effective CVE allowlist, vulnerabilities at or above the project's severity;
when it was never scanned; or when its scan is not a Success. Non-scannable artifacts and
indexes pass, and so do scanners (principals holding `scanner-pull`).

The manifest GET budget is one query with a token, so whether a project prevents vulnerable
pulls is remembered per process for `VULN_POLICY_CACHE_SECONDS` (a project saved in this process
is forgotten at once; other processes see the change within that time). Per process rather than
in Django's cache: a Redis cache may be shared by several installations (or test databases),
and a stale answer from another one must never be possible. Only projects with the policy on
pay for the artifact and its report.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from django.conf import settings
from django.db.models.signals import post_save

from projects.allowlists import effective_allowlist
from projects.models import Project
from projects.permissions import can
from projects.rbac import Action, Resource
from registry.auth.identity import Identity
from registry.models import Artifact
from registry.oci.errors import ProjectPolicyViolation

from .adapter import VULN_REPORT_TYPES
from .jobs import is_scannable
from .overview import reports_of
from .scan_models import ScanReport
from .vulndb.severity import rank

_PREVENT = "'Prevent images with vulnerability severity of \"{severity}\" or higher from running.' "


@dataclass(frozen=True)
class Policy:
    prevent: bool
    severity: str  # Harbor's spelling: "Low", "High"...


_remembered: dict[str, tuple[float, Policy]] = {}


def _policy(metadata: dict[str, str]) -> Policy:
    prevent = str(metadata.get("prevent_vul", "")).lower() == "true"
    return Policy(prevent, str(metadata.get("severity") or "low").capitalize())


def _remember(project_name: str, policy: Policy) -> Policy:
    _remembered[project_name] = (time.monotonic() + settings.VULN_POLICY_CACHE_SECONDS, policy)
    return policy


def policy_of(project_name: str) -> Policy:
    cached = _remembered.get(project_name)
    if cached is not None and cached[0] > time.monotonic():
        return cached[1]
    metadata = Project.objects.filter(name=project_name).values_list("metadata", flat=True).first()
    return _remember(project_name, _policy(metadata or {}))


def project_saved(sender: type[Project], instance: Project, **kwargs: object) -> None:
    """A project saved here is known here at once (no query on the next pull)."""
    _remember(instance.name, _policy(instance.metadata or {}))


def connect() -> None:
    post_save.connect(project_saved, sender=Project, dispatch_uid="scanning-pull-policy")


def is_scanner(identity: Identity, repository_name: str, project: Project) -> bool:
    """Token callers hold what their token says (the token service adds `scanner-pull` to a
    scanner's pull); Basic callers what the permission module says."""
    if identity.token_access is not None:
        return identity.token_allows("repository", repository_name, Action.SCANNER_PULL.value)
    return can(identity.principal, Action.SCANNER_PULL, Resource.REPOSITORY, project)


def check_pull(identity: Identity, repository_name: str, digest: str) -> None:
    """Raise `ProjectPolicyViolation` when the policy refuses this pull; else return."""
    policy = policy_of(repository_name.split("/", 1)[0])
    if not policy.prevent:
        return
    artifact = (
        Artifact.objects.select_related("repository__project")
        .filter(repository__name=repository_name, digest=digest)
        .first()
    )
    if artifact is None or not is_scannable(artifact):
        return  # indexes, charts, signatures, SBOMs...
    project = artifact.repository.project
    if is_scanner(identity, repository_name, project):
        return
    prevent = _PREVENT.format(severity=policy.severity)
    help_ = "To continue with pull, please contact your project administrator for help."
    report = next((r for r in reports_of([artifact])[artifact.pk] if r.mime_type in VULN_REPORT_TYPES), None)
    if report is None:
        raise ProjectPolicyViolation(
            "current image without vulnerability scanning cannot be pulled due to configured policy in "
            f"{prevent}{help_}"
        )
    if report.status != ScanReport.SUCCESS:
        raise ProjectPolicyViolation(
            f'current image with "{report.status}" status of vulnerability scanning cannot be pulled due to '
            f"configured policy in {prevent}{help_}"
        )
    allowed = effective_allowlist(project)
    found = [v for v in (report.report or {}).get("vulnerabilities") or [] if v.get("id") not in allowed]
    worst = max((str(v.get("severity", "Unknown")) for v in found), key=rank, default=None)
    if worst is not None and rank(worst) >= rank(policy.severity):
        thing = "vulnerabilities" if len(found) > 1 else "vulnerability"
        raise ProjectPolicyViolation(
            f"current image with {len(found)} {thing} cannot be pulled due to configured policy in {prevent}"
            "To continue with pull, please contact your project administrator to exempt matched "
            "vulnerabilities through configuring the CVE allowlist."
        )
