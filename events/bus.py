"""The in-process event bus.

`publish` hands an event to every subscriber of its class once the current
transaction commits (at once outside a transaction), so nothing hears of a
change that was rolled back. A failing subscriber is logged and does not
affect the others or the request.

Batched subscribers (pull records, pull times) receive lists of events: the
request only appends to a per-process buffer, and a background thread hands
the buffer over about once a second, so the pull path never waits for their
database writes. `flush()` delivers what is buffered at once (at process exit,
and in tests, which run with `EVENTS_BACKGROUND_FLUSH = False`).
"""

from __future__ import annotations

import atexit
import logging
import os
import threading
from collections import defaultdict
from collections.abc import Callable

from django.conf import settings
from django.db import close_old_connections, transaction

from .domain import Event

logger = logging.getLogger(__name__)

Subscriber = Callable[[Event], None]
BatchSubscriber = Callable[[list[Event]], None]

_subscribers: dict[type[Event], list[Subscriber]] = defaultdict(list)
_batch_subscribers: dict[type[Event], list[BatchSubscriber]] = defaultdict(list)
_buffer: list[Event] = []
_lock = threading.Lock()
_flusher_pid: int | None = None
FLUSH_SECONDS = 1.0


def subscribe(event_type: type[Event], subscriber: Subscriber) -> None:
    if subscriber not in _subscribers[event_type]:
        _subscribers[event_type].append(subscriber)


def subscribe_batched(event_type: type[Event], subscriber: BatchSubscriber) -> None:
    if subscriber not in _batch_subscribers[event_type]:
        _batch_subscribers[event_type].append(subscriber)


def _safely(subscriber: Callable, argument: object) -> None:
    try:
        subscriber(argument)
    except Exception:
        logger.exception("event subscriber %s failed", getattr(subscriber, "__qualname__", subscriber))


def _deliver(event: Event) -> None:
    batched = False
    for event_type in type(event).__mro__:
        for subscriber in _subscribers.get(event_type, ()):
            _safely(subscriber, event)
        batched = batched or bool(_batch_subscribers.get(event_type))
    if batched:
        with _lock:
            _buffer.append(event)
        _ensure_flusher()


def publish(event: Event) -> None:
    """Deliver once the current transaction commits: for events that follow a write."""
    transaction.on_commit(lambda: _deliver(event))


def publish_now(event: Event) -> None:
    """Deliver at once: for events that follow no write (a pull)."""
    _deliver(event)


def flush() -> None:
    """Deliver every buffered event to the batched subscribers now."""
    with _lock:
        events = list(_buffer)
        _buffer.clear()
    if not events:
        return
    by_subscriber: dict[BatchSubscriber, list[Event]] = defaultdict(list)
    for event in events:
        for event_type in type(event).__mro__:
            for subscriber in _batch_subscribers.get(event_type, ()):
                by_subscriber[subscriber].append(event)
    for subscriber, batch in by_subscriber.items():
        _safely(subscriber, batch)


def discard_buffered() -> None:
    """Drop buffered events without delivering them (a test starting clean)."""
    with _lock:
        _buffer.clear()


def _flush_forever() -> None:
    stop = threading.Event()
    while not stop.wait(FLUSH_SECONDS):
        close_old_connections()
        flush()


def _ensure_flusher() -> None:
    """One flusher thread per process, started lazily (gunicorn forks after import)."""
    global _flusher_pid
    if not getattr(settings, "EVENTS_BACKGROUND_FLUSH", True) or _flusher_pid == os.getpid():
        return
    with _lock:
        if _flusher_pid == os.getpid():
            return
        _flusher_pid = os.getpid()
    threading.Thread(target=_flush_forever, name="event-flusher", daemon=True).start()
    atexit.register(flush)
