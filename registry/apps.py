from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The OCI distribution API and everything content-addressed."""

    name = "registry"

    def ready(self) -> None:
        from events.bus import subscribe_batched
        from events.domain import ArtifactPulled

        from .pulls import record_pull_times

        subscribe_batched(ArtifactPulled, record_pull_times)
