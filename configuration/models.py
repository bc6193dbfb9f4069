"""Stored values of the system configuration (defaults live in `keys.py`)."""

from django.db import models


class ConfigEntry(models.Model):
    key = models.CharField(max_length=128, unique=True)
    value = models.JSONField()
    updated_at = models.DateTimeField(auto_now=True)

    def __str__(self) -> str:
        return self.key
