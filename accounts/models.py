"""The user model.

A custom user model from the first migration, because swapping it later is a
painful data migration. Harbor's "sysadmin_flag" is Django's `is_superuser`.
"""

from __future__ import annotations

from django.contrib.auth.models import AbstractUser
from django.db import models


class User(AbstractUser):
    """A human account; `is_superuser` is Harbor's system administrator."""

    realname = models.CharField(max_length=255, blank=True)
    comment = models.CharField(max_length=255, blank=True)

    @property
    def is_sysadmin(self) -> bool:
        return self.is_superuser
