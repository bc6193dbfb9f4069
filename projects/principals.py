"""Who is asking: the identity every permission decision is made for.

Authentication (Basic, Bearer tokens, sessions) produces a `Principal`; the
permission module consumes it. Keeping it a small immutable value means the
hot path never needs to load a user row just to answer "anonymous or admin?".
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum
from typing import Any


class PrincipalKind(StrEnum):
    ANONYMOUS = "anonymous"
    USER = "user"
    ROBOT = "robot"


# (namespace, resource, action): namespace is a project name, "*" (every project) or "/" (system).
RobotGrant = tuple[str, str, str]


@dataclass(frozen=True, slots=True)
class Principal:
    kind: PrincipalKind
    username: str = ""
    user_id: int | None = None
    is_sysadmin: bool = False
    robot_id: int | None = None
    robot_grants: frozenset[RobotGrant] = frozenset()

    @property
    def is_authenticated(self) -> bool:
        return self.kind is not PrincipalKind.ANONYMOUS


ANONYMOUS = Principal(PrincipalKind.ANONYMOUS)


def principal_for_user(user: Any) -> Principal:
    """The principal of a Django user (anonymous users map to ANONYMOUS)."""
    if user is None or not user.is_authenticated:
        return ANONYMOUS
    return Principal(
        PrincipalKind.USER, username=user.username, user_id=user.pk, is_sysadmin=user.is_sysadmin
    )
