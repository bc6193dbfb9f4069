"""`/security/summary` and `/security/vul`: Harbor's Security Hub (system administrators)."""

from __future__ import annotations

from typing import Any

from django.db.models import Q
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api.errors import BadRequest
from harbor_site.api.permissions import require
from harbor_site.api.query import split_terms
from harbor_site.api.schema import errors, flag, ok, paging
from harbor_site.api.views import HarborAPIView
from projects.rbac import Action, Resource
from registry.api.base import flag as read_flag

from . import security_hub
from .api_schema import SecuritySummarySerializer, VulnerabilityItemSerializer

# q keys on the artifact, and on the vulnerability row.
_ARTIFACT_KEYS = {
    "project_id": "repository__project_id",
    "repository_name": "repository__name",
    "digest": "digest",
    "tag": "tags__name",
}
_ROW_KEYS = {"cve_id": "id", "severity": "severity", "package": "package", "cvss_score_v3": None}


class SecuritySummaryView(HarborAPIView):
    @extend_schema(
        operation_id="getSecuritySummary",
        tags=["securityhub"],
        summary="Vulnerability counts over all scanned artifacts, the most dangerous CVEs and artifacts",
        parameters=[
            flag("with_dangerous_cve", False, "Include the most dangerous CVEs."),
            flag("with_dangerous_artifact", False, "Include the most dangerous artifacts."),
        ],
        responses={**ok(SecuritySummarySerializer), **errors(403)},
    )
    def get(self, request: Request) -> Response:
        require(request, Action.READ, Resource.SECURITY_HUB)
        return Response(
            security_hub.summary(
                read_flag(request, "with_dangerous_cve", False),
                read_flag(request, "with_dangerous_artifact", False),
            )
        )


def _parse(q: str) -> tuple[Q, list[tuple[str, str]]]:
    artifact_filter, row_terms = Q(), []
    for term in split_terms(q):
        key, sep, value = term.partition("=")
        key = key.strip()
        if not sep or key not in _ARTIFACT_KEYS | _ROW_KEYS:
            known = ", ".join(sorted(_ARTIFACT_KEYS | _ROW_KEYS))
            raise BadRequest(f"bad query term {term!r}: use key=value with a key of {known}")
        if key in _ARTIFACT_KEYS:
            lookup = _ARTIFACT_KEYS[key]
            if value.startswith("~"):
                artifact_filter &= Q(**{f"{lookup}__icontains": value[1:]})
            elif key == "project_id":
                if not value.isdigit():
                    raise BadRequest("project_id must be an integer")
                artifact_filter &= Q(**{lookup: int(value)})
            else:
                artifact_filter &= Q(**{lookup: value})
        else:
            row_terms.append((key, value))
    return artifact_filter, row_terms


def _score_range(value: str) -> tuple[float, float]:
    if not (value.startswith("[") and value.endswith("]") and "~" in value):
        raise BadRequest("cvss_score_v3 takes a range: [min~max]")
    low, _, high = value[1:-1].partition("~")
    try:
        return float(low or 0), float(high or 10)
    except ValueError:
        raise BadRequest(f"bad cvss_score_v3 range {value!r}") from None


def _matches(row: security_hub.VulnRow, terms: list[tuple[str, str]]) -> bool:
    for key, value in terms:
        if key == "cvss_score_v3":
            low, high = _score_range(value)
            if not low <= security_hub.score(row.item) <= high:
                return False
            continue
        actual = str(row.item.get(_ROW_KEYS[key], ""))
        if value.startswith("~"):
            if value[1:].lower() not in actual.lower():
                return False
        elif actual.lower() != value.lower():
            return False
    return True


class SecurityVulnerabilitiesView(HarborAPIView):
    @extend_schema(
        operation_id="listVulnerabilities",
        tags=["securityhub"],
        summary="Vulnerability rows of every scanned artifact",
        parameters=[
            *paging(query=False, sort=False),
            OpenApiParameter(
                "q",
                str,
                description="comma-separated key=value (`~` for contains): cve_id, severity, package, "
                "repository_name, digest, project_id, tag; cvss_score_v3=[min~max]",
            ),
            flag("tune_count", False, "Accepted for Harbor's clients; the count is always exact here."),
            flag("with_tag", False, "Include each artifact's tags."),
        ],
        responses={**ok(VulnerabilityItemSerializer(many=True)), **errors(400, 403)},
    )
    def get(self, request: Request) -> Response:
        require(request, Action.LIST, Resource.SECURITY_HUB)
        artifact_filter, terms = _parse(request.query_params.get("q", ""))
        read_flag(request, "tune_count", False)
        with_tag = read_flag(request, "with_tag", False)
        rows = [row for row in security_hub.vulnerability_rows(artifact_filter) if _matches(row, terms)]

        def serialize(page: Any) -> list[dict[str, Any]]:
            page = list(page)
            tags = security_hub.tags_of({row.artifact.pk for row in page}) if with_tag else {}
            return [row.json(tags.get(row.artifact.pk, []) if with_tag else None) for row in page]

        return self.paged(request, rows, serialize)
