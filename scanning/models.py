"""The vulnerability database: OSV advisories, the packages they affect, and where they came from.

Advisories are keyed by their OSV id (globally unique across OSV's databases), so a re-import
is an upsert and a record already stored with the same `modified` time is skipped. Affected
packages are their own rows, indexed by (ecosystem, package_key), because the matcher asks
"which advisories name these packages" for a whole image in one query.
"""

from __future__ import annotations

from django.db import models


class VulnSource(models.Model):
    """One configured feed: an OSV `all.zip` URL, or a local zip, JSON file or directory."""

    name = models.CharField(max_length=100, unique=True)
    location = models.CharField(max_length=1000, help_text="URL or local path")
    ecosystem = models.CharField(max_length=100, blank=True, help_text="OSV ecosystem, for display")
    last_attempt_at = models.DateTimeField(null=True, blank=True)
    last_import_at = models.DateTimeField(null=True, blank=True, help_text="last successful import")
    advisory_count = models.PositiveIntegerField(default=0, help_text="valid records in the last import")
    # HTTP validators of the last download, sent back so an unchanged feed costs one 304.
    etag = models.CharField(max_length=300, blank=True)
    last_modified = models.CharField(max_length=100, blank=True)
    last_error = models.TextField(blank=True)
    # Records skipped by the last import (malformed): how many, and the first reasons.
    skipped_count = models.PositiveIntegerField(default=0)
    warnings = models.JSONField(default=list, blank=True)

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class Advisory(models.Model):
    osv_id = models.CharField(max_length=200, primary_key=True)
    source = models.ForeignKey(VulnSource, null=True, blank=True, on_delete=models.SET_NULL, related_name="+")
    aliases = models.JSONField(default=list, blank=True)
    # The CVE ids this advisory stands for (from id, aliases, upstream, or a bundle's `related`).
    cve_ids = models.JSONField(default=list, blank=True)
    summary = models.TextField(blank=True)
    details = models.TextField(blank=True)
    severity = models.CharField(max_length=20, default="Unknown")  # Harbor's scale
    cvss_vector = models.CharField(max_length=300, blank=True)
    cvss_score = models.FloatField(null=True, blank=True)
    published = models.DateTimeField(null=True, blank=True)
    modified = models.DateTimeField()
    withdrawn = models.DateTimeField(null=True, blank=True)
    references = models.JSONField(default=list, blank=True)  # URLs
    cwe_ids = models.JSONField(default=list, blank=True)  # from database_specific (GitHub's)

    class Meta:
        verbose_name_plural = "advisories"
        indexes = [models.Index(fields=["source"], name="scanning_advisory_source")]

    def __str__(self) -> str:
        return self.osv_id


class AffectedPackage(models.Model):
    """One `affected[]` entry of an advisory: a package in one ecosystem and its ranges."""

    advisory = models.ForeignKey(Advisory, on_delete=models.CASCADE, related_name="affected")
    ecosystem = models.CharField(max_length=200)  # as OSV spells it: "Debian:12", "PyPI"
    package = models.CharField(max_length=500)  # as the advisory spells it
    package_key = models.CharField(max_length=500)  # normalised for lookup (PEP 503 for PyPI)
    ranges = models.JSONField(default=list, blank=True)  # [{"type", "events": [{introduced|fixed|...}]}]
    versions = models.JSONField(default=list, blank=True)  # explicit affected versions
    # A per-package rating (Debian urgency, a distribution's own severity) that overrides the
    # advisory's for this package; empty when the record has none.
    severity = models.CharField(max_length=20, blank=True)

    class Meta:
        indexes = [models.Index(fields=["ecosystem", "package_key"], name="scanning_affected_lookup")]

    def __str__(self) -> str:
        return f"{self.ecosystem}/{self.package}"


# Scanners and scan reports live in their own module; imported here so Django finds them.
from .scan_models import (  # noqa: E402
    CVEExport,
    ProjectScanner,
    ScanAllRun,
    ScannerRegistration,
    ScanReport,
)

__all__ = [
    "Advisory",
    "AffectedPackage",
    "CVEExport",
    "ProjectScanner",
    "ScanAllRun",
    "ScanReport",
    "ScannerRegistration",
    "VulnSource",
]
