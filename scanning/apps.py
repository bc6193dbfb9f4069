from django.apps import AppConfig


class ScanningConfig(AppConfig):
    """Placeholder app: its models arrive with the scanning issue."""

    name = "scanning"
