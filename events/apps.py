from django.apps import AppConfig


class EventsConfig(AppConfig):
    """The event bus and its subscribers: the audit log now, webhooks and replication later."""

    name = "events"

    def ready(self) -> None:
        from . import audit

        audit.subscribe()
