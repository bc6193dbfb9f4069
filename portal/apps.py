from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "portal"
    verbose_name = "Portal"

    def ready(self) -> None:
        """Job records saved by a worker notify open live pages (see `live.py`)."""
        from django.db.models.signals import post_save

        from scanning.models import ScanReport, VulnSource

        from .live import job_saved

        post_save.connect(job_saved, sender=VulnSource, dispatch_uid="portal-live-vulnsource")
        post_save.connect(job_saved, sender=ScanReport, dispatch_uid="portal-live-scanreport")
