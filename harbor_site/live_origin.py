"""The Origin check of the portal's websockets.

The websocket server listens on its own port, so a page of the portal (`host:8080`) opens
`ws://host:8081/...`: same host, another port. Channels' own validator compares origins with
`ALLOWED_HOSTS`, which is `*` by default here (the registry answers any name it is reached by),
and would then let any site's page open a socket with the user's cookies. This one requires
the Origin's host name to be the host name the socket was opened to, whatever the port.
"""

from __future__ import annotations

from typing import Any
from urllib.parse import urlsplit

from channels.security.websocket import WebsocketDenier


def _host_name(authority: str) -> str:
    return (urlsplit(f"//{authority}").hostname or "").lower()


class SameHostOriginValidator:
    def __init__(self, application: Any) -> None:
        self.application = application

    async def __call__(self, scope: dict[str, Any], receive: Any, send: Any) -> Any:
        headers = dict(scope.get("headers") or [])
        origin = urlsplit(headers.get(b"origin", b"").decode("latin-1")).hostname
        host = _host_name(headers.get(b"host", b"").decode("latin-1"))
        if not origin or not host or origin.lower() != host:
            return await WebsocketDenier()(scope, receive, send)
        return await self.application(scope, receive, send)
