"""Scanner registrations, which scanner a project uses, and scan reports.

Harbor keeps one report per (artifact digest, scanner registration, report MIME type): the same
image pushed to two repositories is scanned once per scanner, and a rescan replaces the report.
A report row is also the job record of its scan (status, start, end, log), as Harbor's
`scan_report` and its task rows are together.
"""

from __future__ import annotations

import uuid

from django.db import models

from projects.models import Project


def new_uuid() -> str:
    return str(uuid.uuid4())


class ScannerRegistration(models.Model):
    """A scanner Harbor talks to: the built-in one, or an adapter of the pluggable scanner API."""

    AUTH_NONE, AUTH_BASIC, AUTH_BEARER, AUTH_API_KEY = "", "Basic", "Bearer", "X-ScannerAdapter-API-Key"
    AUTH_CHOICES = [(a, a or "none") for a in (AUTH_NONE, AUTH_BASIC, AUTH_BEARER, AUTH_API_KEY)]

    uuid = models.CharField(max_length=64, unique=True, default=new_uuid)
    name = models.CharField(max_length=255, unique=True)
    description = models.TextField(blank=True)
    url = models.CharField(max_length=1000, help_text="the adapter's base URL, without /api/v1")
    auth = models.CharField(max_length=32, blank=True, choices=AUTH_CHOICES)
    # Stored as given (Basic: `user:password`); the API only ever shows it masked.
    access_credential = models.CharField(max_length=4096, blank=True)
    skip_cert_verify = models.BooleanField(default=False)
    use_internal_addr = models.BooleanField(default=False)
    disabled = models.BooleanField(default=False)
    is_default = models.BooleanField(default=False)
    builtin = models.BooleanField(default=False, help_text="the scanner inside this server; not deletable")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        ordering = ["name"]
        constraints = [
            models.UniqueConstraint(
                fields=["is_default"],
                condition=models.Q(is_default=True),
                name="scanning_one_default_scanner",
            )
        ]

    def __str__(self) -> str:
        return self.name


class ProjectScanner(models.Model):
    """A project's own choice of scanner (`PUT /projects/{p}/scanner`); absent: the default."""

    project = models.OneToOneField(Project, on_delete=models.CASCADE, related_name="scanner")
    registration = models.ForeignKey(ScannerRegistration, on_delete=models.CASCADE, related_name="+")

    def __str__(self) -> str:
        return f"{self.project} -> {self.registration}"


class ScanAllRun(models.Model):
    """One scan-all execution: its reports point at it, which gives `/scans/all/metrics`."""

    trigger = models.CharField(max_length=16, default="Manual")  # Manual | Schedule
    requester = models.CharField(max_length=255, blank=True)
    started_at = models.DateTimeField(auto_now_add=True)
    stopped = models.BooleanField(default=False)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"scan all #{self.pk} ({self.trigger})"


class ScanReport(models.Model):
    PENDING, RUNNING, SUCCESS, ERROR, STOPPED = "Pending", "Running", "Success", "Error", "Stopped"
    STATUS_CHOICES = [(s, s) for s in (PENDING, RUNNING, SUCCESS, ERROR, STOPPED)]
    FINISHED = (SUCCESS, ERROR, STOPPED)

    uuid = models.CharField(max_length=64, unique=True, default=new_uuid)  # Harbor's report_id
    digest = models.CharField(max_length=200)
    registration = models.ForeignKey(ScannerRegistration, on_delete=models.CASCADE, related_name="reports")
    mime_type = models.CharField(max_length=200)
    # Where the artifact was when last asked to be scanned: a remote scanner pulls from there.
    repository = models.CharField(max_length=1000)
    status = models.CharField(max_length=16, choices=STATUS_CHOICES, default=PENDING)
    start_time = models.DateTimeField(null=True, blank=True)
    end_time = models.DateTimeField(null=True, blank=True)
    report = models.JSONField(null=True, blank=True)
    # The native report's summary, as columns so that overviews and the security hub need no JSON.
    severity = models.CharField(max_length=16, blank=True)
    total = models.IntegerField(default=0)
    fixable = models.IntegerField(default=0)
    critical = models.IntegerField(default=0)
    high = models.IntegerField(default=0)
    medium = models.IntegerField(default=0)
    low = models.IntegerField(default=0)
    unknown = models.IntegerField(default=0)
    log = models.TextField(blank=True)
    scan_all_run = models.ForeignKey(ScanAllRun, null=True, blank=True, on_delete=models.SET_NULL)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["digest", "registration", "mime_type"], name="scanning_one_report_per_scanner"
            )
        ]
        indexes = [models.Index(fields=["digest"], name="scanning_report_digest")]

    def __str__(self) -> str:
        return f"{self.digest} by {self.registration_id} ({self.mime_type})"


class CVEExport(models.Model):
    """One CVE export (`POST /export/cve`): what was asked, by whom, and the CSV it produced.

    The CSV is kept in the row: an export covers the projects its requester chose and is read
    back once or twice, so the database is simpler than a file store, and it is deleted with
    the row.
    """

    PENDING, RUNNING, SUCCESS, ERROR = "Pending", "Running", "Success", "Error"

    user = models.ForeignKey("accounts.User", null=True, on_delete=models.SET_NULL, related_name="+")
    username = models.CharField(max_length=255)
    job_name = models.CharField(max_length=255, blank=True)
    scan_data_type = models.CharField(max_length=200)
    criteria = models.JSONField(default=dict)
    status = models.CharField(max_length=16, default=PENDING)
    status_text = models.TextField(blank=True)
    start_time = models.DateTimeField(auto_now_add=True)
    end_time = models.DateTimeField(null=True, blank=True)
    csv = models.TextField(blank=True)

    class Meta:
        ordering = ["-id"]

    def __str__(self) -> str:
        return f"CVE export #{self.pk} by {self.username}"
