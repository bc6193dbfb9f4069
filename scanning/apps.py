from django.apps import AppConfig


class ScanningConfig(AppConfig):
    """The built-in scanner (inventory, vulnerability database), scanner registrations, scan jobs
    and their reports."""

    name = "scanning"

    def ready(self) -> None:
        from . import pull_policy, subscribers

        subscribers.subscribe()
        pull_policy.connect()
