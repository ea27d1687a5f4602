"""The stories view's data: the retained ``<ns>.articles`` of the last hours (read at most
every few seconds per process) and the alerts of ``<ns>.alerts``. Ranking and shapes are
``stories.py``."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from typing import Any

from kernel.messages import Article
from kernel.settings import Settings
from marsad.console import stories
from marsad.console.errors import NotFound
from marsad.console.inbox_service import alert_records
from marsad.console.retained import DAY_S, RetainedArticles

REREAD_AFTER_S = 10.0


@dataclass
class Snapshot:
    read_at: float
    hours: float
    articles: list[Article]


SNAPSHOTS: dict[tuple[str, str], Snapshot] = {}
SNAPSHOTS_LOCK = threading.Lock()


def recent_articles(settings: Settings, hours: float) -> list[Article]:
    """The articles of the last ``hours``, newest copy of each id last."""
    key = (settings.kafka_bootstrap, settings.topic_articles)
    with SNAPSHOTS_LOCK:
        snap = SNAPSHOTS.get(key)
        if snap is None or snap.hours < hours or time.monotonic() - snap.read_at > REREAD_AFTER_S:
            found = [item.article for item in RetainedArticles(settings, hours * 3600 / DAY_S)]
            snap = Snapshot(time.monotonic(), hours, found)
            SNAPSHOTS[key] = snap
    since = time.time() - hours * 3600
    latest = {a.id: a for a in snap.articles if a.first_seen_at >= since}
    return list(latest.values())


class StoriesView:
    def __init__(self, settings: Settings) -> None:
        self.settings = settings

    def ranked(self, hours: float, limit: int) -> dict[str, Any]:
        now = time.time()
        grouped = stories.group_stories(recent_articles(self.settings, hours))
        alerts = [r.value for r in alert_records(self.settings)]
        views = stories.ranked(grouped, alerts, now)
        return {"now": now, "hours": hours, "total": len(views), "stories": views[:limit]}

    def story(self, story_id: str, hours: float) -> dict[str, Any]:
        grouped = stories.group_stories(a for a in recent_articles(self.settings, hours) if a.story.id == story_id)
        if story_id not in grouped:
            raise NotFound(f"no story {story_id!r} in the last {hours:g} hours")
        alerts = [r.value for r in alert_records(self.settings)]
        return stories.story_detail(grouped[story_id], alerts, time.time())

    def article(self, article_id: str, hours: float) -> dict[str, Any]:
        found = next((a for a in recent_articles(self.settings, hours) if a.id == article_id), None)
        if found is None:
            raise NotFound(f"no article {article_id!r} in the last {hours:g} hours")
        alerts = [r.value for r in alert_records(self.settings) if r.value.article.id == article_id]
        return stories.full_article(found, stories.evidence_by_article(alerts).get(article_id, []))
