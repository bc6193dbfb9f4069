from django.apps import AppConfig


class ProjectsConfig(AppConfig):
    """Projects, their members and the one permission module everything asks."""

    name = "projects"
