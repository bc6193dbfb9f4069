"""Repository and tag name grammar (OCI distribution spec) and Harbor's project split."""

from __future__ import annotations

import re

from .errors import NameInvalid, TagInvalid

_COMPONENT = r"[a-z0-9]+(?:(?:\.|_|__|-+)[a-z0-9]+)*"
_NAME = re.compile(rf"^{_COMPONENT}(?:/{_COMPONENT})*$")
TAG_PATTERN = r"^[a-zA-Z0-9_][a-zA-Z0-9._-]{0,127}$"
_TAG = re.compile(TAG_PATTERN)
MAX_NAME_LENGTH = 255


def validate_repository_name(name: str) -> tuple[str, str]:
    """Validate a repository name and split it into (project, rest).

    Harbor requires at least two components: the first is the project.
    """
    if len(name) > MAX_NAME_LENGTH or not _NAME.match(name):
        raise NameInvalid(f"invalid repository name {name!r}")
    project, _, rest = name.partition("/")
    if not rest:
        raise NameInvalid(f"repository name {name!r} must be <project>/<repository>, e.g. library/{name}")
    return project, rest


def is_valid_tag(tag: str) -> bool:
    return bool(_TAG.match(tag))


def validate_tag(tag: str) -> str:
    if not is_valid_tag(tag):
        raise TagInvalid(f"invalid tag {tag!r}")
    return tag
