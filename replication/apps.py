from django.apps import AppConfig


class ReplicationConfig(AppConfig):
    """Placeholder app: its models arrive with the replication issue."""

    name = "replication"
