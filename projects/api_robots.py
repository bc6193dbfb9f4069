"""`/robots`: system and project robot accounts (Harbor's robot API v2)."""

from __future__ import annotations

from typing import Any

from django.db.models import Case, CharField, Value, When
from drf_spectacular.utils import extend_schema, extend_schema_view
from rest_framework import serializers
from rest_framework.request import Request
from rest_framework.response import Response

from harbor_site.api.errors import BadRequest, Conflict, NotFound
from harbor_site.api.permissions import require
from harbor_site.api.query import Field, parse_q
from harbor_site.api.schema import LOCATION, errors, ok, paging, path_id
from harbor_site.api.validation import validated
from harbor_site.api.views import HarborAPIView

from .api_system_schema import (
    RobotCreatedSerializer,
    RobotCreateSerializer,
    RobotSecretRequestSerializer,
    RobotSecretSerializer,
    RobotSerializer,
    RobotUpdateSerializer,
)
from .models import Project, Robot
from .rbac import Action, Resource
from .robots import RobotError, create_robot, delete_robot, login_name, set_secret, update_robot


def _unix(value: Any) -> int:
    return int(value.timestamp()) if value is not None else -1


def robot_json(robot: Robot) -> dict[str, Any]:
    return {
        "id": robot.pk,
        "name": login_name(robot),
        "description": robot.description,
        "level": robot.level,
        "duration": robot.duration,
        "editable": True,
        "disable": robot.disabled,
        "expires_at": _unix(robot.expires_at),
        "permissions": robot.permissions,
        "creator_type": robot.creator_type,
        "creator_ref": robot.creator_ref or 0,
        "creation_time": robot.created_at,
        "update_time": robot.updated_at,
    }


class RobotRequest(serializers.Serializer):
    name = serializers.CharField(max_length=128, required=False)
    description = serializers.CharField(required=False, allow_blank=True)
    secret = serializers.CharField(required=False, allow_blank=True, max_length=128)
    level = serializers.ChoiceField(choices=["system", "project"], required=False)
    disable = serializers.BooleanField(required=False)
    duration = serializers.IntegerField(required=False)
    permissions = serializers.ListField(child=serializers.DictField(), required=False)


# harborapi's update_robot sends the whole Robot back, read-only fields included.
_READ_ONLY = ("id", "editable", "expires_at", "creator_type", "creator_ref", "creation_time", "update_time")


def _validated(request: Request) -> dict[str, Any]:
    return validated(RobotRequest, request, ignored=_READ_ONLY)


def _project_of_request(data: dict[str, Any]) -> Project | None:
    """A project robot's project is the namespace of its one permission."""
    if data.get("level", "system") != "project":
        return None
    permissions = data.get("permissions") or []
    if len(permissions) != 1:
        raise BadRequest("a project robot carries exactly one permission, on its own project")
    project = Project.objects.filter(name=permissions[0].get("namespace")).first()
    if project is None:
        raise NotFound(f"project {permissions[0].get('namespace')} not found")
    return project


def _robot_error(exc: RobotError) -> Exception:
    return Conflict(str(exc)) if "already exists" in str(exc) else BadRequest(str(exc))


@extend_schema_view(
    get=extend_schema(
        operation_id="listRobots",
        summary="List robot accounts",
        description=(
            "System administrators see every robot; `q=Level=project,ProjectID=<id>` lists one project's "
            "robots, which its project admins may do."
        ),
        parameters=paging(),
        responses={**ok(RobotSerializer(many=True)), **errors(400, 403, 404)},
    ),
    post=extend_schema(
        operation_id="createRobot",
        summary="Create a robot account; its secret is in the answer, once",
        description="A project robot (level project) carries exactly one permission, on its project.",
        parameters=[LOCATION],
        request=RobotCreateSerializer,
        responses={**ok(RobotCreatedSerializer, "Created", status=201), **errors(400, 403, 404, 409)},
    ),
)
@extend_schema(tags=["robot"])
class RobotListView(HarborAPIView):
    q_fields = {"name": Field("name"), "Level": Field("robot_level"), "ProjectID": Field("project_id")}
    sort_fields = {"name": "name", "creation_time": "created_at", "id": "id"}
    default_ordering = ["name"]

    def get(self, request: Request) -> Response:
        robots = Robot.objects.select_related("project").annotate(
            robot_level=Case(
                When(project__isnull=True, then=Value("system")),
                default=Value("project"),
                output_field=CharField(),
            )
        )
        condition = parse_q(request.query_params.get("q"), self.q_fields)
        project_ids = [value for key, value in condition.children if key == "project_id"]
        if project_ids:  # listing one project's robots: a project permission
            if not isinstance(project_ids[0], int):
                raise BadRequest(f"ProjectID must be a project id, not {project_ids[0]!r}")
            project = Project.objects.filter(pk=project_ids[0]).first()
            if project is None:
                raise NotFound(f"project {project_ids[0]} not found")
            require(request, Action.LIST, Resource.ROBOT, project)
        else:
            require(request, Action.LIST, Resource.ROBOT)
        return self.paged(request, self.filtered(request, robots), lambda page: [robot_json(r) for r in page])

    def post(self, request: Request) -> Response:
        data = _validated(request)
        project = _project_of_request(data)
        require(request, Action.CREATE, Resource.ROBOT, project)
        try:
            robot, secret = create_robot(
                data.get("name", ""),
                data.get("permissions"),
                project=project,
                duration=data.get("duration"),
                description=data.get("description", ""),
                creator=request.user,
                secret=data.get("secret") or None,
                disabled=data.get("disable", False),
            )
        except RobotError as exc:
            raise _robot_error(exc) from None
        body = {
            "id": robot.pk,
            "name": login_name(robot),
            "secret": secret,
            "creation_time": robot.created_at,
            "expires_at": _unix(robot.expires_at),
        }
        return Response(body, status=201, headers={"Location": f"/api/v2.0/robots/{robot.pk}"})


@extend_schema_view(
    get=extend_schema(
        operation_id="getRobotByID",
        summary="Read a robot account",
        responses={**ok(RobotSerializer), **errors(403, 404)},
    ),
    put=extend_schema(
        operation_id="updateRobot",
        summary="Change a robot's description, disable flag, duration or permissions",
        request=RobotUpdateSerializer,
        responses={**ok(), **errors(400, 403, 404)},
    ),
    patch=extend_schema(
        operation_id="refreshSec",
        summary="Refresh a robot's secret (generated, or the one given)",
        request=RobotSecretRequestSerializer,
        responses={**ok(RobotSecretSerializer), **errors(400, 403, 404)},
    ),
    delete=extend_schema(
        operation_id="deleteRobot",
        summary="Delete a robot account",
        responses={**ok(), **errors(403, 404)},
    ),
)
@extend_schema(tags=["robot"], parameters=[path_id("robot_id", "The robot's id.")])
class RobotView(HarborAPIView):
    def _robot(self, request: Request, robot_id: int, action: Action) -> Robot:
        robot = Robot.objects.select_related("project").filter(pk=robot_id).first()
        if robot is None:
            require(request, action, Resource.ROBOT)  # only an admin learns that it does not exist
            raise NotFound(f"robot {robot_id} not found")
        require(request, action, Resource.ROBOT, robot.project)
        return robot

    def get(self, request: Request, robot_id: int) -> Response:
        return Response(robot_json(self._robot(request, robot_id, Action.READ)))

    def put(self, request: Request, robot_id: int) -> Response:
        robot = self._robot(request, robot_id, Action.UPDATE)
        data = _validated(request)
        if data.get("level") and data["level"] != robot.level:
            raise BadRequest("the level of a robot cannot change")
        try:
            update_robot(
                robot,
                data.get("description"),
                data.get("disable"),
                data.get("duration"),
                data.get("permissions"),
            )
        except RobotError as exc:
            raise BadRequest(str(exc)) from None
        return Response()

    def patch(self, request: Request, robot_id: int) -> Response:
        """Refresh the secret (generated, or the one given); the new secret is returned once."""
        robot = self._robot(request, robot_id, Action.UPDATE)
        given = request.data.get("secret") if isinstance(request.data, dict) else None
        if given is not None and not isinstance(given, str):
            raise BadRequest("secret must be a string")
        try:
            secret = set_secret(robot, given or None)
        except RobotError as exc:
            raise BadRequest(str(exc)) from None
        return Response({"secret": secret})

    def delete(self, request: Request, robot_id: int) -> Response:
        delete_robot(self._robot(request, robot_id, Action.DELETE), request.user)
        return Response()
