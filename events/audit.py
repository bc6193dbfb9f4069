"""The audit log: domain events become `AuditLog` rows and, optionally, syslog lines.

The switches are Harbor's: `disabled_audit_log_event_types` (comma-separated
event types not to record), `skip_audit_log_database` (forward only),
`audit_log_forward_endpoint` (`host:port`, syslog over TCP) and the
environment-only `pull_audit_log_disable`. Pull records arrive in batches from
the bus, never on the pull path itself.
"""

from __future__ import annotations

import logging
import logging.handlers
import socket
from dataclasses import dataclass
from functools import cache

from django.conf import settings
from django.contrib.auth.signals import user_logged_in, user_logged_out

from configuration.store import get_config
from projects.models import Project

from . import bus
from .domain import (
    ArtifactDeleted,
    ArtifactPulled,
    ArtifactPushed,
    ConfigurationUpdated,
    Event,
    MemberCreated,
    MemberDeleted,
    MemberEvent,
    MemberUpdated,
    ProjectCreated,
    ProjectDeleted,
    ProjectUpdated,
    RobotCreated,
    RobotDeleted,
    TrustedKeyCreated,
    TrustedKeyDeleted,
    UserCreated,
    UserDeleted,
    UserLoggedIn,
    UserLoggedOut,
    UserUpdated,
)
from .models import AuditLog

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class Kind:
    event_type: str
    resource_type: str
    operation: str


KINDS: dict[type[Event], Kind] = {
    ArtifactPushed: Kind("create_artifact", "artifact", "create"),
    ArtifactPulled: Kind("pull_artifact", "artifact", "pull"),
    ArtifactDeleted: Kind("delete_artifact", "artifact", "delete"),
    RobotCreated: Kind("create_robot", "robot", "create"),
    RobotDeleted: Kind("delete_robot", "robot", "delete"),
    ConfigurationUpdated: Kind("update_configuration", "configuration", "update"),
    UserLoggedIn: Kind("login_user", "user", "login"),
    ProjectCreated: Kind("create_project", "project", "create"),
    ProjectUpdated: Kind("update_project", "project", "update"),
    ProjectDeleted: Kind("delete_project", "project", "delete"),
    UserLoggedOut: Kind("logout_user", "user", "logout"),
    UserCreated: Kind("create_user", "user", "create"),
    UserUpdated: Kind("update_user", "user", "update"),
    UserDeleted: Kind("delete_user", "user", "delete"),
    MemberCreated: Kind("create_member", "member", "create"),
    MemberUpdated: Kind("update_member", "member", "update"),
    MemberDeleted: Kind("delete_member", "member", "delete"),
    # Ours, not Harbor's: the keys signatures are verified against (signatures/).
    TrustedKeyCreated: Kind("create_trusted_key", "trusted_key", "create"),
    TrustedKeyDeleted: Kind("delete_trusted_key", "trusted_key", "delete"),
}


def _description(event: Event, kind: Kind, resource: str) -> str:
    """Harbor's operation_description: members name the entity and the project
    ("create user member alice in project library"), everything else the resource."""
    if isinstance(event, MemberEvent):
        entity = "user" if event.entity_type == "u" else "group"
        preposition = "from" if kind.operation == "delete" else "in"
        return f"{kind.operation} {entity} member {resource} {preposition} project {event.project_name}"
    return f"{kind.operation} {kind.resource_type} {resource}"


def _entry(event: Event) -> AuditLog:
    kind = KINDS[type(event)]
    resource = (
        getattr(event, "resource", None)
        or getattr(event, "name", None)
        or ",".join(getattr(event, "keys", ()))
        or event.operator  # a login's resource is the user
    )
    return AuditLog(
        op_time=event.occurred_at,
        username=event.operator or "anonymous",
        event_type=kind.event_type,
        resource_type=kind.resource_type,
        resource=resource,
        operation=kind.operation,
        operation_description=_description(event, kind, resource),
        operation_result=True,
        project_id=getattr(event, "project_id", None),
    )


@cache
def _syslog(endpoint: str) -> logging.Logger:
    host, _, port = endpoint.rpartition(":")
    handler = logging.handlers.SysLogHandler(address=(host, int(port)), socktype=socket.SOCK_STREAM)
    handler.setFormatter(logging.Formatter("harbor-audit: %(message)s\n"))
    forwarder = logging.getLogger(f"harbor.audit.forward.{endpoint}")
    forwarder.propagate = False
    forwarder.addHandler(handler)
    forwarder.setLevel(logging.INFO)
    return forwarder


def _forward(endpoint: str, entries: list[AuditLog]) -> None:
    try:
        forwarder = _syslog(endpoint)
    except (OSError, ValueError) as exc:
        logger.warning("cannot forward audit logs to %s: %s", endpoint, exc)
        return
    for entry in entries:
        forwarder.info(
            "time=%s user=%s type=%s resource=%s result=%s",
            entry.op_time.isoformat(),
            entry.username,
            entry.event_type,
            entry.resource,
            "success" if entry.operation_result else "failure",
        )


def _fill_project_ids(entries: list[AuditLog]) -> None:
    """Pull events do not look up the project on the hot path; one query does it here."""
    missing = {entry.resource.split("/")[0] for entry in entries if entry.project_id is None}
    if not missing:
        return
    ids = dict(Project.objects.filter(name__in=missing).values_list("name", "id"))
    for entry in entries:
        if entry.project_id is None:
            entry.project_id = ids.get(entry.resource.split("/")[0])


def record(events: list[Event]) -> None:
    """Write (and forward) the audit entries of these events, honouring the switches."""
    config = get_config()
    disabled = {name.strip() for name in config["disabled_audit_log_event_types"].split(",") if name.strip()}
    entries = [
        _entry(event)
        for event in events
        if KINDS[type(event)].event_type not in disabled
        and not (isinstance(event, ArtifactPulled) and settings.PULL_AUDIT_LOG_DISABLE)
    ]
    if not entries:
        return
    _fill_project_ids(entries)
    if config["audit_log_forward_endpoint"]:
        _forward(config["audit_log_forward_endpoint"], entries)
    if not config["skip_audit_log_database"]:
        AuditLog.objects.bulk_create(entries)


def _logged_in(sender: object, request: object, user: object, **kwargs: object) -> None:
    bus.publish(UserLoggedIn(getattr(user, "username", "")))


def _logged_out(sender: object, request: object, user: object, **kwargs: object) -> None:
    if user is not None:
        bus.publish(UserLoggedOut(getattr(user, "username", "")))


def subscribe() -> None:
    """Connect the audit log to the bus, and Django's session logins (portal, admin, OIDC) to it."""
    user_logged_in.connect(_logged_in, dispatch_uid="harbor-audit-login")
    user_logged_out.connect(_logged_out, dispatch_uid="harbor-audit-logout")
    for event_type in KINDS:
        if event_type is ArtifactPulled:
            bus.subscribe_batched(event_type, record)
        else:
            bus.subscribe(event_type, lambda event: record([event]))
