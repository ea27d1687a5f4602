"""The inbox's data: alerts from ``<ns>.alerts`` (``TopicLog``), their outcomes and
acknowledgements from Redis (``AlertStates``), the article of one alert from the retained
``<ns>.articles``. The selection itself is ``inbox.py``."""

from __future__ import annotations

import time
from typing import Any

import redis

from kernel.messages import AlertEvent, document_text
from kernel.settings import Settings
from marsad.console import inbox
from marsad.console.alert_states import AlertStates, failed_alert_id
from marsad.console.errors import NotFound
from marsad.console.retained import DAY_S, find_article
from marsad.console.topic_log import Record, shared_log


def alert_event(raw: bytes) -> AlertEvent | None:
    try:
        return AlertEvent.from_bytes(raw)
    except ValueError:
        return None


def alert_records(settings: Settings) -> list[Record[AlertEvent]]:
    return shared_log(settings, settings.topic_alerts, alert_event).refresh()


class Inbox:
    def __init__(self, settings: Settings, client: redis.Redis) -> None:
        self.settings = settings
        self.states = AlertStates(client, settings.redis_prefix)

    def items(self) -> list[inbox.InboxItem]:
        records = alert_records(self.settings)
        failed = [r.value for r in shared_log(self.settings, self.settings.topic_alerts_dlq, failed_alert_id).refresh()]
        outcomes = self.states.outcomes([r.value for r in records], failed)
        acks = self.states.acks()
        return [
            inbox.InboxItem(r.position, r.value, outcome, acks.get(r.position))
            for r, outcome in zip(records, outcomes, strict=True)
        ]

    def page(self, query: inbox.InboxQuery, *, offset: int, limit: int, group: bool) -> dict[str, Any]:
        """One page of the selection: alerts, or stories with their alerts when ``group``."""
        everything = self.items()
        chosen = inbox.selected(everything, query)
        base: dict[str, Any] = {"offset": offset, "limit": limit, "facets": inbox.facets(everything)}
        if group:
            groups = inbox.by_story(chosen)
            return base | {
                "total": len(groups),
                "alerts_total": len(chosen),
                "groups": [
                    {"story": g.story, "count": len(g.alerts), "alerts": [inbox.alert_view(i) for i in g.alerts[:20]]}
                    for g in groups[offset : offset + limit]
                ],
            }
        return base | {"total": len(chosen), "alerts": [inbox.alert_view(i) for i in chosen[offset : offset + limit]]}

    def item(self, alert_id: str) -> inbox.InboxItem:
        found = next((i for i in self.items() if i.id == alert_id), None)
        if found is None:
            raise NotFound(f"no alert {alert_id!r} on {self.settings.topic_alerts}")
        return found

    def detail(self, alert_id: str) -> dict[str, Any]:
        """The alert, its evidence in sentence context, its article's text when still
        retained, and the silence prefilled from it."""
        item = self.item(alert_id)
        event = item.event
        age_days = max(0.0, time.time() - event.matched_at) / DAY_S + 1
        article = find_article(self.settings, event.article.id, age_days)
        document = document_text(article.title, article.text) if article is not None else None
        return {
            "alert": inbox.alert_view(item),
            "evidence": inbox.evidence_in_context(event, document),
            "document": document,
            "silence": inbox.silence_prefill(event),
        }

    def acknowledge(self, alert_id: str, by: str) -> dict[str, Any]:
        self.item(alert_id)
        return self.states.acknowledge(alert_id, by)
