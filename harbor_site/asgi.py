"""ASGI entry point, kept for the future `/ws/` live-progress channel only."""

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbor_site.settings")

application = get_asgi_application()
