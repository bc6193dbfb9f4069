from django.apps import AppConfig


class ConfigurationConfig(AppConfig):
    """Harbor's system configuration (`/configurations`): typed keys, stored values, env overrides."""

    name = "configuration"
