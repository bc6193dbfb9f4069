"""The websocket of the portal's live pages: `/ws/jobs/`."""

from __future__ import annotations

import asyncio
import contextlib
from typing import Any

from channels.db import database_sync_to_async
from channels.generic.websocket import AsyncJsonWebsocketConsumer
from django.conf import settings

from .live import JOBS_GROUP, jobs_snapshot

UNAUTHORIZED = 4401  # a websocket close code in the application range, after HTTP's 401


class JobsConsumer(AsyncJsonWebsocketConsumer):
    """Sends `{"type": "jobs", "jobs": [...]}` when the caller's view of background jobs
    changes: at once on connect, then on each notice or poll that finds a difference."""

    groups = [JOBS_GROUP]

    async def connect(self) -> None:
        self.user = self.scope.get("user")
        if self.user is None or not self.user.is_authenticated:
            await self.close(code=UNAUTHORIZED)
            return
        await self.accept()
        self.sent: list[dict[str, Any]] | None = None
        await self.push()
        self.poller = asyncio.create_task(self.poll())

    async def poll(self) -> None:
        while True:
            await asyncio.sleep(settings.LIVE_POLL_SECONDS)
            await self.push()

    async def jobs_changed(self, event: dict[str, Any]) -> None:
        await self.push()

    async def push(self) -> None:
        jobs = await database_sync_to_async(jobs_snapshot)(self.user)
        if jobs != self.sent:
            self.sent = jobs
            await self.send_json({"type": "jobs", "jobs": jobs})

    async def disconnect(self, code: int) -> None:
        poller = getattr(self, "poller", None)
        if poller is not None:
            poller.cancel()
            with contextlib.suppress(asyncio.CancelledError):
                await poller
