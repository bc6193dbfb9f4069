"""Pull bookkeeping (artifact and tag `pull_time`, repository `pull_count`), written in batches
off the pull path."""

from __future__ import annotations

from collections import Counter
from datetime import datetime

from django.db.models import F, Q

from events.domain import ArtifactPulled, Event

from .models import Artifact, Repository, Tag


def record_pull_times(events: list[Event]) -> None:
    """One UPDATE per distinct artifact (and tag) in the batch, with its latest pull time, and
    one per repository adding its pulls to `pull_count`."""
    artifacts: dict[tuple[str, str], datetime] = {}
    tags: dict[tuple[str, str], datetime] = {}
    pulls: Counter[str] = Counter()
    for event in events:
        if not isinstance(event, ArtifactPulled):
            continue
        pulls[event.repository] += 1
        key = (event.repository, event.digest)
        artifacts[key] = max(artifacts.get(key, event.occurred_at), event.occurred_at)
        if event.tag:
            tag_key = (event.repository, event.tag)
            tags[tag_key] = max(tags.get(tag_key, event.occurred_at), event.occurred_at)
    for (repository, digest), when in artifacts.items():
        Artifact.objects.filter(repository__name=repository, digest=digest).filter(
            Q(pull_time__isnull=True) | Q(pull_time__lt=when)
        ).update(pull_time=when)
    for (repository, name), when in tags.items():
        Tag.objects.filter(repository__name=repository, name=name).filter(
            Q(pull_time__isnull=True) | Q(pull_time__lt=when)
        ).update(pull_time=when)
    for repository, count in pulls.items():
        Repository.objects.filter(name=repository).update(pull_count=F("pull_count") + count)
