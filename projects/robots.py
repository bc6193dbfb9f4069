"""Robot accounts: creating them with validated permissions, secrets, and who they are at login."""

from __future__ import annotations

import re
import secrets
import string
from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib.auth.hashers import make_password
from django.utils import timezone

from accounts.validators import password_problem
from configuration.store import get as config_value
from events.bus import publish
from events.domain import RobotCreated, RobotDeleted

from .models import PROJECT_NAME_PATTERN, Project, Robot
from .principals import Principal, PrincipalKind, RobotGrant
from .robot_grants import PROJECT_GRANTABLE, SYSTEM_GRANTABLE

ROBOT_NAME = re.compile(PROJECT_NAME_PATTERN)


class RobotError(ValueError):
    """A robot request the API answers with 400 BAD_REQUEST."""


def _validated_access(entry: dict[str, Any], grantable: frozenset[tuple[str, str]]) -> list[dict[str, str]]:
    access = entry.get("access")
    if not isinstance(access, list) or not access:
        raise RobotError("each permission needs a non-empty access list")
    cleaned = []
    for item in access:
        resource, action = str(item.get("resource", "")), str(item.get("action", ""))
        if (resource, action) not in grantable:
            raise RobotError(f"bad request permission: {resource}:{action}")
        cleaned.append({"resource": resource, "action": action, "effect": item.get("effect") or "allow"})
    return cleaned


def validate_permissions(project: Project | None, permissions: Any) -> list[dict[str, Any]]:
    """Check a robot's permission list against the grantable lists and its level."""
    if not isinstance(permissions, list) or not permissions:
        raise RobotError("a robot needs at least one permission")
    if project is not None and len(permissions) != 1:
        raise RobotError("a project robot carries exactly one permission, on its own project")
    cleaned = []
    for entry in permissions:
        kind, namespace = entry.get("kind"), entry.get("namespace")
        if kind == "system":
            if project is not None or namespace != "/":
                raise RobotError("system permissions need a system robot and the namespace '/'")
            access = _validated_access(entry, SYSTEM_GRANTABLE)
        elif kind == "project":
            if project is not None and namespace != project.name:
                raise RobotError(f"a robot of project {project.name} can only hold permissions on it")
            if namespace != "*" and not Project.objects.filter(name=namespace).exists():
                raise RobotError(f"project {namespace} not found")
            access = _validated_access(entry, PROJECT_GRANTABLE)
        else:
            raise RobotError(f"unknown permission kind {kind!r}")
        cleaned.append({"kind": kind, "namespace": namespace, "access": access})
    return cleaned


def generate_secret() -> str:
    """A random secret that also satisfies Harbor's password rule."""
    alphabet = string.ascii_letters + string.digits
    while True:
        secret = "".join(secrets.choice(alphabet) for _ in range(32))
        if password_problem(secret) is None:
            return secret


def _expiry(duration: int) -> Any:
    return None if duration == -1 else timezone.now() + timedelta(days=duration)


def create_robot(
    name: str,
    permissions: Any,
    project: Project | None = None,
    duration: int | None = None,
    description: str = "",
    creator: Principal | None = None,
    secret: str | None = None,
    disabled: bool = False,
) -> tuple[Robot, str]:
    """Create a robot; returns it and its secret, which is never shown again."""
    if not isinstance(name, str) or not ROBOT_NAME.match(name) or len(name) > 128:
        raise RobotError(f"invalid robot name {name!r}: use [a-z0-9]+(?:[._-][a-z0-9]+)*")
    duration = config_value("robot_token_duration") if duration is None else duration
    _check_duration(duration)
    if secret is not None and (problem := password_problem(secret)):
        raise RobotError(problem)
    full_name = f"{project.name}+{name}" if project is not None else name
    if Robot.objects.filter(name=full_name).exists():
        raise RobotError(f"robot {full_name} already exists")
    secret = secret or generate_secret()
    robot = Robot.objects.create(
        name=full_name,
        project=project,
        description=description,
        permissions=validate_permissions(project, permissions),
        duration=duration,
        expires_at=_expiry(duration),
        secret=make_password(secret),
        disabled=disabled,
        creator_type="robot" if creator is not None and creator.kind is PrincipalKind.ROBOT else "local",
        creator_ref=(creator.robot_id or creator.user_id) if creator is not None else None,
    )
    publish(RobotCreated(creator.username if creator else "", name=robot.name, project_id=robot.project_id))
    return robot, secret


def _check_duration(duration: Any) -> None:
    if not isinstance(duration, int) or isinstance(duration, bool) or duration == 0 or duration < -1:
        raise RobotError("duration is a number of days, or -1 for never")


def update_robot(
    robot: Robot,
    description: str | None = None,
    disabled: bool | None = None,
    duration: int | None = None,
    permissions: Any = None,
) -> Robot:
    """Change what may change: description, disabled, duration (restarts the expiry), permissions."""
    if permissions is not None:
        robot.permissions = validate_permissions(robot.project, permissions)
    if duration is not None and duration != robot.duration:
        _check_duration(duration)
        robot.duration, robot.expires_at = duration, _expiry(duration)
    if description is not None:
        robot.description = description
    if disabled is not None:
        robot.disabled = disabled
    robot.save()
    return robot


def delete_robot(robot: Robot, operator: Principal) -> None:
    name, project_id = robot.name, robot.project_id
    robot.delete()
    publish(RobotDeleted(operator.username, name=name, project_id=project_id))


def set_secret(robot: Robot, secret: str | None = None) -> str:
    """Refresh the secret (None: generate one) and return it, once."""
    if secret is not None and (problem := password_problem(secret)):
        raise RobotError(problem)
    secret = secret or generate_secret()
    robot.secret = make_password(secret)
    robot.save(update_fields=["secret", "updated_at"])
    return secret


def login_name(robot: Robot) -> str:
    return settings.ROBOT_NAME_PREFIX + robot.name


def is_robot_login(username: str) -> bool:
    return username.startswith(settings.ROBOT_NAME_PREFIX)


def usable_robot(username: str) -> Robot | None:
    """The robot behind a login name, if it exists, is enabled and has not expired."""
    robot = Robot.objects.filter(name=username.removeprefix(settings.ROBOT_NAME_PREFIX)).first()
    if robot is None or robot.disabled:
        return None
    if robot.expires_at is not None and robot.expires_at <= timezone.now():
        return None
    return robot


def robot_grants(robot: Robot) -> frozenset[RobotGrant]:
    """The robot's permissions as (namespace, resource, action); push implies pull."""
    grants: set[RobotGrant] = set()
    for entry in robot.permissions:
        namespace = "/" if entry["kind"] == "system" else entry["namespace"]
        for item in entry["access"]:
            if item.get("effect", "allow") != "allow":
                continue
            resource = (
                "" if entry["kind"] == "project" and item["resource"] == "project" else item["resource"]
            )
            grants.add((namespace, resource, item["action"]))
            if resource == "repository" and item["action"] == "push":
                grants.add((namespace, resource, "pull"))
    return frozenset(grants)


def robot_principal(robot: Robot) -> Principal:
    return Principal(
        PrincipalKind.ROBOT, username=login_name(robot), robot_id=robot.pk, robot_grants=robot_grants(robot)
    )
