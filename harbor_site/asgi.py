"""The ASGI application: the portal's websockets (live job updates).

Plain HTTP stays on gunicorn + WSGI (`wsgi.py`, with its fast registry path); this application
is served by uvicorn on its own port (`HARBOR_LIVE_PORT`) for `/ws/...` only. It answers HTTP
too, through Django's ASGI handler, so a proxy may route everything here if it prefers.
"""

from __future__ import annotations

import os

from django.core.asgi import get_asgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "harbor_site.settings")
django_application = get_asgi_application()  # sets Django up before the imports below

from channels.auth import AuthMiddlewareStack  # noqa: E402
from channels.routing import ProtocolTypeRouter, URLRouter  # noqa: E402

from harbor_site.live_origin import SameHostOriginValidator  # noqa: E402
from portal.routing import websocket_urlpatterns  # noqa: E402

application = ProtocolTypeRouter(
    {
        "http": django_application,
        # The session cookie authenticates; the Origin check keeps other sites' pages out.
        "websocket": SameHostOriginValidator(AuthMiddlewareStack(URLRouter(websocket_urlpatterns))),
    }
)
