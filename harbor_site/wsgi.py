"""WSGI entry point: every HTTP route is served from a WSGI server (see docs/architecture.md)."""

import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbor_site.settings")

application = get_wsgi_application()
