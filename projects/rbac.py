"""Harbor's project roles and what each may do, as data.

This is the matrix of `shared/reference/harbor.md` §2.2 written once, in the
reference's own shape: one row per resource, one column per role, plus the
column every caller gets on a public project. `permissions.can` reads it and
nothing else decides what a role allows.
"""

from __future__ import annotations

from enum import StrEnum

from django.db import models


class Role(models.IntegerChoices):
    """Harbor's role ids, as its API and database spell them."""

    PROJECT_ADMIN = 1, "projectAdmin"
    DEVELOPER = 2, "developer"
    GUEST = 3, "guest"
    MAINTAINER = 4, "maintainer"
    LIMITED_GUEST = 5, "limitedGuest"


class Action(StrEnum):
    PULL = "pull"
    PUSH = "push"
    CREATE = "create"
    READ = "read"
    UPDATE = "update"
    DELETE = "delete"
    LIST = "list"
    OPERATE = "operate"
    SCANNER_PULL = "scanner-pull"
    STOP = "stop"


class Resource(StrEnum):
    SELF = ""
    MEMBER = "member"
    METADATA = "metadata"
    LOG = "log"
    LABEL = "label"
    QUOTA = "quota"
    REPOSITORY = "repository"
    TAG_RETENTION = "tag-retention"
    IMMUTABLE_TAG = "immutable-tag"
    CONFIGURATION = "configuration"
    ROBOT = "robot"
    NOTIFICATION_POLICY = "notification-policy"
    SCAN = "scan"
    SBOM = "sbom"
    SCANNER = "scanner"
    ARTIFACT = "artifact"
    ARTIFACT_ADDITION = "artifact-addition"
    TAG = "tag"
    ACCESSORY = "accessory"
    ARTIFACT_LABEL = "artifact-label"
    PREHEAT_POLICY = "preheat-policy"
    EXPORT_CVE = "export-cve"
    TRUSTED_KEY = "trusted-key"  # ours: the keys signatures are verified against
    # System resources (`/system/<resource>`, harbor.md §2.3, §2.4), granted to system
    # administrators and to robots whose permissions name them in the `/` namespace.
    # (configuration, label, quota, robot and scanner exist in both namespaces.)
    AUDIT_LOG = "audit-log"
    CATALOG = "catalog"
    GARBAGE_COLLECTION = "garbage-collection"
    JOBSERVICE_MONITOR = "jobservice-monitor"
    LDAP_USER = "ldap-user"
    PREHEAT_INSTANCE = "preheat-instance"
    PROJECT = "project"
    PURGE_AUDIT = "purge-audit"
    REGISTRY = "registry"
    REPLICATION = "replication"
    REPLICATION_ADAPTER = "replication-adapter"
    REPLICATION_POLICY = "replication-policy"
    SCAN_ALL = "scan-all"
    SECURITY_HUB = "security-hub"
    SYSTEM_VOLUMES = "system-volumes"
    USER = "user"
    USER_GROUP = "user-group"


PUBLIC = "public"
_COLUMNS = (Role.PROJECT_ADMIN, Role.MAINTAINER, Role.DEVELOPER, Role.GUEST, Role.LIMITED_GUEST, PUBLIC)

# resource: projectAdmin | maintainer | developer | guest | limitedGuest | public project
_MATRIX = """
self                | read update delete                               | read | read | read | read | read
member              | create read update delete list                    | read list | read list | read list | |
metadata            | create read update delete                        | read | | | |
log                 | list                                             | | | | |
label               | create read update delete list                   | create read update delete list | read list | read list | | read list
quota               | read                                             | read | read | read | read |
repository          | create read update delete list pull push         | create read update delete list pull push | create read update list pull push | read list pull | read list pull | list pull
tag-retention       | create read update delete list operate           | create read update delete list operate | create read update delete list operate | | |
immutable-tag       | create update delete list                        | create update delete list | | | |
configuration       | read update                                      | read | read | read | read |
robot               | create read update delete list                   | read list | read list | read list | |
notification-policy | create read update delete list                   | read list | | | |
scan                | create read stop                                 | create read stop | read | read | read | read
sbom                | create read stop                                 | create read stop | read | read | read |
scanner             | read create                                      | read | read | read | read | read
artifact            | create read delete list                          | create read delete list | create read list | read list | read list | read list
artifact-addition   | read                                             | read | read | read | read | read
tag                 | create list delete                               | create list delete | create list | list | list | list
accessory           | list                                             | list | list | list | list | list
artifact-label      | create delete                                    | create delete | create delete | | |
preheat-policy      | create read update delete list                   | | | | |
export-cve          | create read list                                 | create read list | create read list | | |
trusted-key         | create read delete list                          | read list | read list | read list | |
"""

Grants = dict[Resource, frozenset[Action]]


def _parse(matrix: str) -> dict[object, Grants]:
    """Turn the table above into {column: {resource: actions}}."""
    table: dict[object, Grants] = {column: {} for column in _COLUMNS}
    for line in matrix.strip().splitlines():
        name, *cells = (cell.strip() for cell in line.split("|"))
        if len(cells) != len(_COLUMNS):
            raise ValueError(f"RBAC row {name!r} has {len(cells)} columns, not {len(_COLUMNS)}")
        resource = Resource("" if name == "self" else name)
        for column, cell in zip(_COLUMNS, cells, strict=True):
            if cell:
                table[column][resource] = frozenset(Action(a) for a in cell.split())
    return table


_TABLE = _parse(_MATRIX)
ROLE_GRANTS: dict[Role, Grants] = {role: _TABLE[role] for role in Role}
PUBLIC_GRANTS: Grants = _TABLE[PUBLIC]
