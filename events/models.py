"""The audit log (Harbor's `audit_log_ext`)."""

from django.db import models


class AuditLog(models.Model):
    op_time = models.DateTimeField(db_index=True)
    username = models.CharField(max_length=255, db_index=True)
    event_type = models.CharField(max_length=64, db_index=True)  # e.g. pull_artifact
    resource_type = models.CharField(max_length=64)
    resource = models.CharField(max_length=1024)
    operation = models.CharField(max_length=32)
    operation_description = models.CharField(max_length=1024, blank=True)
    operation_result = models.BooleanField(default=True)
    project_id = models.BigIntegerField(null=True, blank=True, db_index=True)

    class Meta:
        ordering = ["-op_time", "-id"]

    def __str__(self) -> str:
        return f"{self.op_time:%Y-%m-%d %H:%M:%S} {self.username} {self.event_type} {self.resource}"
