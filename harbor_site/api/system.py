"""Ping, version, system info, health and statistics."""

from __future__ import annotations

import shutil
from typing import Any

from django.conf import settings
from django.db import connection
from django.db.models import Count, Q, Sum
from django.http import HttpResponse
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema
from rest_framework.request import Request
from rest_framework.response import Response

from configuration.store import get_config
from harbor_site.celery import answering_workers
from projects.models import Project
from projects.rbac import Action, Resource
from registry.models import Blob, Repository
from registry.storage import blob_store

from .permissions import allow_anyone, require
from .schema import errors, ok
from .system_schema import (
    GeneralInfoSerializer,
    HealthSerializer,
    StatisticSerializer,
    VersionSerializer,
    VolumesSerializer,
)
from .views import HarborAPIView

HARBOR_VERSION = "v2.15.0-django"


class PingView(HarborAPIView):
    @extend_schema(
        operation_id="getPing",
        tags=["ping"],
        summary="Is the API up? Answers Pong",
        responses={(200, "text/plain"): OpenApiResponse(OpenApiTypes.STR, description="Pong")},
    )
    def get(self, request: Request) -> HttpResponse:
        allow_anyone(request)
        return HttpResponse("Pong", content_type="text/plain")


class VersionView(HarborAPIView):
    @extend_schema(
        operation_id="getVersion",
        tags=["version"],
        summary="The API version (served at /api/version, outside /api/v2.0)",
        responses=ok(VersionSerializer),
    )
    def get(self, request: Request) -> Response:
        allow_anyone(request)
        return Response({"version": "v2.0"})


class SystemInfoView(HarborAPIView):
    @extend_schema(
        operation_id="getSystemInfo",
        tags=["systeminfo"],
        summary="General facts about this Harbor (more for authenticated callers)",
        responses=ok(GeneralInfoSerializer),
    )
    def get(self, request: Request) -> Response:
        allow_anyone(request)
        config = get_config()
        external = settings.EXTERNAL_URL or f"{request.scheme}://{request.get_host()}"
        info: dict[str, Any] = {
            "auth_mode": config["auth_mode"],
            "primary_auth_mode": False,
            "project_creation_restriction": config["project_creation_restriction"],
            "self_registration": config["self_registration"],
            "has_ca_root": False,
            "harbor_version": HARBOR_VERSION,
            "read_only": config["read_only"],
            "banner_message": "",
            "current_time": timezone.now(),
            "oidc_provider_name": config["oidc_name"],
            "with_chartmuseum": False,
            "notification_enable": True,
        }
        if request.user.is_authenticated:
            info.update(
                external_url=external,
                registry_url=external.split("://", 1)[-1],
                registry_storage_provider_name=settings.BLOB_STORAGE,
            )
        return Response(info)


class VolumesView(HarborAPIView):
    @extend_schema(
        operation_id="getVolumes",
        tags=["systeminfo"],
        summary="Total and free space where blobs are stored (system administrators)",
        responses={**ok(VolumesSerializer), **errors(403)},
    )
    def get(self, request: Request) -> Response:
        require(request, Action.READ, Resource.CONFIGURATION)
        root = settings.BLOB_ROOT if settings.BLOB_STORAGE == "filesystem" else settings.DATA_DIR
        root.mkdir(parents=True, exist_ok=True)
        usage = shutil.disk_usage(root)
        return Response({"storage": [{"total": usage.total, "free": usage.free}]})


def _component(name: str, check: Any) -> dict[str, str]:
    try:
        check()
    except Exception as exc:  # a health check reports any failure rather than raising
        return {"name": name, "status": "unhealthy", "error": str(exc)}
    return {"name": name, "status": "healthy"}


def _database() -> None:
    with connection.cursor() as cursor:
        cursor.execute("SELECT 1")


def _redis() -> None:
    import redis

    redis.Redis.from_url(settings.REDIS_URL, socket_timeout=2).ping()


def _storage() -> None:
    blob_store().blob_size("sha256:" + "0" * 64)


def _workers() -> None:
    if not answering_workers():
        raise RuntimeError("no Celery worker answered within a second")


class HealthView(HarborAPIView):
    @extend_schema(
        operation_id="getHealth",
        tags=["health"],
        summary="The health of each component, and overall",
        responses=ok(HealthSerializer),
    )
    def get(self, request: Request) -> Response:
        allow_anyone(request)
        components = [
            {"name": "core", "status": "healthy"},
            _component("database", _database),
            _component("registry", _storage),
            _component("workers", _workers),
        ]
        if settings.REDIS_URL:
            components.append(_component("redis", _redis))
        overall = "healthy" if all(c["status"] == "healthy" for c in components) else "unhealthy"
        return Response({"status": overall, "components": components})


class StatisticsView(HarborAPIView):
    @extend_schema(
        operation_id="getStatistic",
        tags=["statistic"],
        summary="Counts of projects and repositories, and the storage used (system administrators)",
        responses={**ok(StatisticSerializer), **errors(403)},
    )
    def get(self, request: Request) -> Response:
        require(request, Action.READ, Resource.CONFIGURATION)  # Harbor: admin only
        projects = Project.objects.aggregate(public=Count("id", filter=Q(public=True)), total=Count("id"))
        repositories = Repository.objects.aggregate(
            public=Count("id", filter=Q(project__public=True)), total=Count("id")
        )
        return Response(
            {
                "public_project_count": projects["public"],
                "private_project_count": projects["total"] - projects["public"],
                "total_project_count": projects["total"],
                "public_repo_count": repositories["public"],
                "private_repo_count": repositories["total"] - repositories["public"],
                "total_repo_count": repositories["total"],
                "total_storage_consumption": Blob.objects.aggregate(total=Sum("size"))["total"] or 0,
            }
        )
