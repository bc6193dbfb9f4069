from django.apps import AppConfig


class RegistryConfig(AppConfig):
    """The OCI distribution API and everything content-addressed."""

    name = "registry"
