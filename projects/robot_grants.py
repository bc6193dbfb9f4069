"""What a robot account may be granted (Harbor's "Nolimit" permission provider, harbor.md §2.4).

Written as data, one line per resource, in the reference's own words; anything
else asked for a robot is refused with `bad request permission: <res>:<act>`.
"""

from __future__ import annotations

CRUD_LIST = "create read update delete list"

_SYSTEM = f"""
audit-log           list
preheat-instance    {CRUD_LIST}
project             list create
replication-policy  {CRUD_LIST}
replication         read create list
replication-adapter list
registry            {CRUD_LIST}
scan-all            read update stop create
system-volumes      read
garbage-collection  read create list update stop
purge-audit         read create list update stop
jobservice-monitor  list stop
scanner             {CRUD_LIST}
label               read create delete update
security-hub        read list
catalog             read
quota               read list update
robot               create read list delete
user                create read update list delete
ldap-user           create list
user-group          {CRUD_LIST}
"""

_PROJECT = f"""
log                 list
project             read delete update
metadata            {CRUD_LIST}
repository          read update delete list pull push
artifact            read create list delete
scan                create read stop
sbom                create stop read
tag                 create list delete
accessory           list
artifact-addition   read
artifact-label      create delete
scanner             create read
preheat-policy      {CRUD_LIST}
immutable-tag       create delete list update
notification-policy {CRUD_LIST}
tag-retention       {CRUD_LIST}
label               {CRUD_LIST}
quota               read
robot               create read list delete
export-cve          create read
member              {CRUD_LIST}
"""


def _parse(text: str) -> frozenset[tuple[str, str]]:
    pairs = set()
    for line in text.strip().splitlines():
        resource, *actions = line.split()
        pairs.update((resource, action) for action in actions)
    return frozenset(pairs)


SYSTEM_GRANTABLE = _parse(_SYSTEM)
PROJECT_GRANTABLE = _parse(_PROJECT)
