"""What happened to each alert after the worker raised it, read from the dispatcher's
records in Redis (layout in ``alerts/store.py``), and operators' acknowledgements.

Outcome of one alert event:

  silenced   no decision was recorded and a silence covered the alert when it matched
  throttled  the dispatcher grouped it into an alert already sent for its story
  delivered  sent, and every channel it was for has a delivery record
  failed     sent, and a delivery of it went to the dead-letter topic
  pending    anything else (not decided yet, or deliveries still being tried)

Acknowledgements: ``<prefix>console:alerts:acks`` hash, alert id → {"by", "at"}.
"""

from __future__ import annotations

import time
from collections.abc import Iterable, Sequence
from typing import Any, Literal

import orjson
import redis

from alerts.silences import Silence, SilenceStore
from alerts.store import DispatchStore
from alerts.tasks import DeadLetter
from kernel.messages import AlertEvent

Outcome = Literal["delivered", "failed", "silenced", "throttled", "pending"]
OUTCOMES: tuple[Outcome, ...] = ("delivered", "failed", "silenced", "throttled", "pending")


def failed_alert_id(raw: bytes) -> str | None:
    """The dispatcher's alert id of a dead letter, for a ``TopicLog`` of the DLQ topic."""
    try:
        letter = DeadLetter.from_bytes(raw)
    except ValueError:
        return None
    return letter.task.alert_id if letter.task is not None else None


def silenced_at(silences: Sequence[Silence], event: AlertEvent) -> Silence | None:
    return next((s for s in silences if s.matches(event, event.matched_at)), None)


class AlertStates:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client = client
        self.prefix = prefix
        self.dispatch = DispatchStore(client, prefix)
        self.silences = SilenceStore(client, prefix, cache_s=0)
        self.acks_key = f"{prefix}console:alerts:acks"

    def decision_key(self, event: AlertEvent) -> str:
        # The layout documented in alerts/store.py: one record per (rule, article).
        return f"{self.prefix}decision:{event.rule.id}:{event.article.id}"

    def outcomes(self, events: Sequence[AlertEvent], failed_ids: Iterable[str]) -> list[Outcome]:
        failed = set(failed_ids)
        silences = self.silences.all()
        with self.client.pipeline(transaction=False) as pipe:
            for event in events:
                pipe.get(self.decision_key(event))
            decisions = pipe.execute()
        parsed = [orjson.loads(raw) if raw else None for raw in decisions]
        with self.client.pipeline(transaction=False) as pipe:
            for event, decision in zip(events, parsed, strict=True):
                if decision and decision.get("action") == "send":
                    for channel in event.notify:
                        pipe.exists(self.dispatch.delivered_key(str(decision["alert_id"]), channel))
            delivered = iter(pipe.execute())
        out: list[Outcome] = []
        for event, decision in zip(events, parsed, strict=True):
            if decision is None:
                out.append("silenced" if silenced_at(silences, event) else "pending")
            elif decision.get("action") != "send":
                out.append("throttled")
            else:
                sent = [bool(next(delivered)) for _ in event.notify]
                if str(decision["alert_id"]) in failed:
                    out.append("failed")
                else:
                    out.append("delivered" if sent and all(sent) else "pending")
        return out

    # --- acknowledgements ------------------------------------------------------------
    def acks(self) -> dict[str, dict[str, Any]]:
        return {
            (k.decode() if isinstance(k, bytes) else k): orjson.loads(v)
            for k, v in self.client.hgetall(self.acks_key).items()
        }

    def acknowledge(self, alert_id: str, by: str, now: float | None = None) -> dict[str, Any]:
        """Record who acknowledged the alert and when; the first acknowledgement stays."""
        record = {"by": by, "at": time.time() if now is None else now}
        if not self.client.hsetnx(self.acks_key, alert_id, orjson.dumps(record)):
            raw = self.client.hget(self.acks_key, alert_id)
            return dict(orjson.loads(raw)) if raw else record
        return record

    def unacknowledge(self, alert_id: str) -> bool:
        return bool(self.client.hdel(self.acks_key, alert_id))
