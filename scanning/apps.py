from django.apps import AppConfig


class ScanningConfig(AppConfig):
    """The vulnerability database, scanner registrations, scan jobs and their reports."""

    name = "scanning"

    def ready(self) -> None:
        from . import on_push, pull_policy

        on_push.subscribe()
        pull_policy.connect()
