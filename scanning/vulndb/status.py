"""What the vulnerability database holds and how fresh it is: one function for the command,
the API and the admin's readers alike."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from django.db.models import Max

from scanning.models import Advisory, AffectedPackage, VulnSource


def status() -> dict[str, Any]:
    """Totals, the newest successful import, and each source's last outcome (four queries)."""
    sources = list(VulnSource.objects.order_by("name"))
    updated: datetime | None = max((s.last_import_at for s in sources if s.last_import_at), default=None)
    return {
        "advisory_count": Advisory.objects.count(),
        "affected_package_count": AffectedPackage.objects.count(),
        "updated_at": updated,
        "newest_advisory_modified_at": Advisory.objects.aggregate(newest=Max("modified"))["newest"],
        "sources": [
            {
                "name": s.name,
                "location": s.location,
                "ecosystem": s.ecosystem,
                "advisory_count": s.advisory_count,
                "last_import_at": s.last_import_at,
                "last_attempt_at": s.last_attempt_at,
                "last_error": s.last_error,
                "skipped_count": s.skipped_count,
                "warnings": s.warnings,
            }
            for s in sources
        ],
    }
