"""Harbor's project metadata: a map of string keys to string values, validated here once."""

from __future__ import annotations

from typing import Any

BOOLEAN_KEYS = (
    "public",
    "enable_content_trust",
    "enable_content_trust_cosign",
    "enable_signature_verification",  # ours, not Harbor's: see docs/signatures.md
    "prevent_vul",
    "auto_scan",
    "auto_sbom_generation",
    "reuse_sys_cve_allowlist",
    "proxy_cache_local_on_not_found",
    "proxy_referrer_api",
)
# Pull policies about signatures; proxy-cache projects cannot have them (their content is
# someone else's), as Harbor drops its content-trust keys there.
SIGNATURE_KEYS = ("enable_content_trust", "enable_content_trust_cosign", "enable_signature_verification")
SEVERITIES = ("none", "low", "medium", "high", "critical")
PROXY_KEYS = (
    "proxy_speed_kb",
    "max_upstream_conn",
    "proxy_cache_local_on_not_found",
    "proxy_referrer_api",
    "proxy_cache_filter_pattern",
    "proxy_cache_filter_kind",
)
OTHER_KEYS = (
    "severity",
    "retention_id",
    "proxy_speed_kb",
    "max_upstream_conn",
    "proxy_cache_filter_pattern",
    "proxy_cache_filter_kind",
)
KNOWN_KEYS = frozenset(BOOLEAN_KEYS + OTHER_KEYS)


class MetadataError(ValueError):
    pass


def clean_metadata(values: Any, *, proxy: bool = False) -> dict[str, str]:
    """Validate a metadata map; returns it with every value as Harbor's string form.

    Proxy keys are dropped for ordinary projects and content-trust keys for proxy
    projects, as Harbor does.
    """
    if not isinstance(values, dict):
        raise MetadataError("metadata must be an object")
    cleaned: dict[str, str] = {}
    for key, value in values.items():
        if key not in KNOWN_KEYS:
            raise MetadataError(f"unknown metadata key {key!r}")
        if value is None:
            continue
        text = str(value).lower() if isinstance(value, bool) else str(value)
        if key in BOOLEAN_KEYS and text not in ("true", "false"):
            raise MetadataError(f'metadata {key} must be "true" or "false"')
        if key == "severity" and text not in SEVERITIES:
            raise MetadataError(f"severity must be one of {', '.join(SEVERITIES)}")
        if key in ("proxy_speed_kb", "max_upstream_conn") and not text.lstrip("-").isdigit():
            raise MetadataError(f"metadata {key} must be an integer")
        if key == "proxy_cache_filter_kind" and text not in ("doublestar", "regex"):
            raise MetadataError("proxy_cache_filter_kind must be doublestar or regex")
        if (key in PROXY_KEYS and not proxy) or (key in SIGNATURE_KEYS and proxy):
            continue
        cleaned[key] = text
    return cleaned
