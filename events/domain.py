"""Domain events: what happened, told by the part of the system it happened in.

Publishers (the registry, robots, projects) know only these classes and
`bus.publish`; they know nothing of the audit log, webhooks or replication.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import datetime

from django.utils import timezone


@dataclass(frozen=True)
class Event:
    operator: str
    occurred_at: datetime = field(default_factory=timezone.now, kw_only=True)


@dataclass(frozen=True)
class ArtifactEvent(Event):
    project_id: int | None  # None on the pull path; resolved from the repository name later
    repository: str
    digest: str
    tag: str = ""

    @property
    def resource(self) -> str:
        return f"{self.repository}:{self.tag}" if self.tag else f"{self.repository}@{self.digest}"


@dataclass(frozen=True)
class ArtifactPushed(ArtifactEvent):
    pass


@dataclass(frozen=True)
class ArtifactPulled(ArtifactEvent):
    pass


@dataclass(frozen=True)
class ArtifactDeleted(ArtifactEvent):
    pass


@dataclass(frozen=True)
class RobotCreated(Event):
    name: str
    project_id: int | None = None


@dataclass(frozen=True)
class RobotDeleted(Event):
    name: str
    project_id: int | None = None


@dataclass(frozen=True)
class ConfigurationUpdated(Event):
    keys: tuple[str, ...]


@dataclass(frozen=True)
class UserLoggedIn(Event):
    pass


@dataclass(frozen=True)
class UserLoggedOut(Event):
    pass


@dataclass(frozen=True)
class ProjectEvent(Event):
    project_id: int
    name: str


@dataclass(frozen=True)
class ProjectCreated(ProjectEvent):
    pass


@dataclass(frozen=True)
class ProjectUpdated(ProjectEvent):
    pass


@dataclass(frozen=True)
class ProjectDeleted(ProjectEvent):
    pass


@dataclass(frozen=True)
class UserEvent(Event):
    """A change to a user account; `name` is the username (the audit log's resource)."""

    name: str


@dataclass(frozen=True)
class UserCreated(UserEvent):
    pass


@dataclass(frozen=True)
class UserUpdated(UserEvent):
    pass


@dataclass(frozen=True)
class UserDeleted(UserEvent):
    pass


@dataclass(frozen=True)
class MemberEvent(Event):
    """A change to a project membership; `name` is the user's or group's name."""

    project_id: int
    project_name: str
    name: str
    entity_type: str  # "u" (user) or "g" (group), as Harbor spells them


@dataclass(frozen=True)
class MemberCreated(MemberEvent):
    pass


@dataclass(frozen=True)
class MemberUpdated(MemberEvent):
    pass


@dataclass(frozen=True)
class MemberDeleted(MemberEvent):
    pass


@dataclass(frozen=True)
class TrustedKeyEvent(Event):
    """A change to the keys a project trusts for signatures; `name` is the key's name."""

    project_id: int
    project_name: str
    name: str

    @property
    def resource(self) -> str:
        return f"{self.project_name}/{self.name}"


@dataclass(frozen=True)
class TrustedKeyCreated(TrustedKeyEvent):
    pass


@dataclass(frozen=True)
class TrustedKeyDeleted(TrustedKeyEvent):
    pass
