from django.apps import AppConfig


class ScanningConfig(AppConfig):
    """The built-in scanner: the vulnerability database (`vulndb/`) and, later, scan jobs."""

    name = "scanning"
