"""Harbor's password rule, used for user passwords and robot / CLI secrets alike."""

from __future__ import annotations

import re
from typing import Any

from django.core.exceptions import ValidationError

MIN_LENGTH, MAX_LENGTH = 8, 128
RULE = "8 to 128 characters with at least one upper-case letter, one lower-case letter and one digit"


def password_problem(password: str) -> str | None:
    """What is wrong with the password under Harbor's rule, or None."""
    if not MIN_LENGTH <= len(password) <= MAX_LENGTH:
        return f"the password must have {RULE}"
    if not (re.search(r"[A-Z]", password) and re.search(r"[a-z]", password) and re.search(r"\d", password)):
        return f"the password must have {RULE}"
    return None


class HarborPasswordValidator:
    """A Django password validator (AUTH_PASSWORD_VALIDATORS) applying Harbor's rule."""

    def validate(self, password: str, user: Any = None) -> None:
        problem = password_problem(password)
        if problem:
            raise ValidationError(problem, code="password_rule")

    def get_help_text(self) -> str:
        return f"Your password must have {RULE}."
