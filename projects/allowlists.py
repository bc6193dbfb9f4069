"""CVE allowlists: the system's and each project's (`reuse_sys_cve_allowlist` picks which counts)."""

from __future__ import annotations

import re
import time
from typing import Any

from .models import CVEAllowlist, Project

_CVE_ID = re.compile(r"^[A-Za-z0-9][A-Za-z0-9._:-]{0,127}$")


class AllowlistError(ValueError):
    pass


def clean_allowlist(data: Any) -> tuple[list[dict[str, str]], int | None]:
    if not isinstance(data, dict):
        raise AllowlistError("the CVE allowlist must be an object with items and expires_at")
    items = data.get("items") or []
    if not isinstance(items, list):
        raise AllowlistError("items must be a list of {cve_id}")
    cleaned, seen = [], set()
    for item in items:
        cve_id = item.get("cve_id") if isinstance(item, dict) else None
        if not isinstance(cve_id, str) or not _CVE_ID.match(cve_id.strip()):
            raise AllowlistError(f"invalid cve_id {cve_id!r}")
        if cve_id.strip() not in seen:
            seen.add(cve_id.strip())
            cleaned.append({"cve_id": cve_id.strip()})
    expires_at = data.get("expires_at")
    if expires_at is not None and (not isinstance(expires_at, int) or isinstance(expires_at, bool)):
        raise AllowlistError("expires_at must be unix seconds or null (never)")
    return cleaned, expires_at


def set_allowlist(project: Project | None, data: Any) -> CVEAllowlist:
    items, expires_at = clean_allowlist(data)
    allowlist, _ = CVEAllowlist.objects.update_or_create(
        project=project, defaults={"items": items, "expires_at": expires_at}
    )
    return allowlist


def allowlist_json(allowlist: CVEAllowlist | None, project_id: int = 0) -> dict[str, Any]:
    if allowlist is None:
        return {"project_id": project_id, "items": [], "expires_at": None}
    return {
        "id": allowlist.pk,
        "project_id": allowlist.project_id or 0,
        "items": allowlist.items,
        "expires_at": allowlist.expires_at,
        "creation_time": allowlist.created_at,
        "update_time": allowlist.updated_at,
    }


def effective_allowlist(project: Project) -> frozenset[str]:
    """The CVE ids a vulnerability policy ignores for the project: the system list when the
    project says `reuse_sys_cve_allowlist`, else its own; nothing once that list has expired."""
    reuse = str((project.metadata or {}).get("reuse_sys_cve_allowlist", "")).lower() == "true"
    allowlist = CVEAllowlist.objects.filter(project=None if reuse else project).first()
    if allowlist is None:
        return frozenset()
    if allowlist.expires_at is not None and allowlist.expires_at < time.time():
        return frozenset()
    return frozenset(
        item["cve_id"] for item in allowlist.items if isinstance(item, dict) and "cve_id" in item
    )
