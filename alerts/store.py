"""The dispatcher's durable state in Redis (every key under ``settings.redis_prefix``):

  <p>group:<rule>:<story>       current group of a (rule, story)       JSON GroupState
  <p>opened:<rule>:<story>      the story once had a group of the rule  "1", kept OPENED_TTL_S
  <p>decision:<rule>:<article>  what was decided for one match          JSON, see below
  <p>delivered:<alert>:<chan>   idempotency record of a delivery        JSON {at, status}
  <p>dlq:replayed               dead letters already replayed           hash "p:offset" → time

The decision record makes reprocessing after a crash take the same decision with the
same alert id and the same payload; the delivery record makes it skip what was sent.
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from typing import Any

import orjson
import redis

from alerts.grouping import GroupState, decide
from alerts.payload import build_payload
from kernel.messages import AlertEvent

DAY_S = 86400.0
DELIVERED_TTL_S = 30 * DAY_S
# A near copy is found up to dedupe's window (7 days) after its original; its match must
# not alert again for a rule that fired on the story then, whose group is long gone
# (alerts/grouping.py). A marker of a few bytes outlives the group for that long.
OPENED_TTL_S = 8 * DAY_S


@dataclass(frozen=True)
class StoredDecision:
    action: str  # send | throttle
    reason: str
    alert_id: str
    step: int
    payload: dict[str, Any] | None  # the v1 payload when action == "send"
    reused: bool = False  # True when this match had been decided before (a re-read)

    @property
    def sends(self) -> bool:
        return self.action == "send"


class DispatchStore:
    def __init__(self, client: redis.Redis, prefix: str) -> None:
        self.client, self.prefix = client, prefix

    def _group_key(self, event: AlertEvent) -> str:
        return f"{self.prefix}group:{event.rule.id}:{event.story.id}"

    def _opened_key(self, event: AlertEvent) -> str:
        return f"{self.prefix}opened:{event.rule.id}:{event.story.id}"

    def _decision_key(self, event: AlertEvent) -> str:
        return f"{self.prefix}decision:{event.rule.id}:{event.article.id}"

    def delivered_key(self, alert_id: str, channel: str) -> str:
        return f"{self.prefix}delivered:{alert_id}:{channel}"

    def decide(self, event: AlertEvent, fired_at: float | None = None) -> StoredDecision:
        """Group ``event`` atomically (WATCH/MULTI) and record the decision, or return the
        decision recorded when this match was seen before."""
        decision_key, group_key = self._decision_key(event), self._group_key(event)
        opened_key = self._opened_key(event)
        ttl = int(max(event.throttle_seconds, 0) + DAY_S)
        with self.client.pipeline() as pipe:
            while True:
                try:
                    pipe.watch(decision_key, group_key, opened_key)
                    recorded = pipe.get(decision_key)
                    if recorded is not None:
                        pipe.unwatch()
                        return StoredDecision(**orjson.loads(recorded), reused=True)
                    raw_group = pipe.get(group_key)
                    state = GroupState.from_dict(orjson.loads(raw_group)) if raw_group else None
                    # (only a copy's match without a group asks whether there was one)
                    opened_before = event.from_copy and state is None and bool(pipe.exists(opened_key))
                    decision = decide(state, event, opened_before)
                    payload = (
                        build_payload(event, decision, time.time() if fired_at is None else fired_at)
                        if decision.sends
                        else None
                    )
                    record: dict[str, Any] = {
                        "action": decision.action,
                        "reason": decision.reason,
                        "alert_id": decision.alert_id,
                        "step": decision.step,
                        "payload": payload,
                    }
                    pipe.multi()
                    if decision.group is not None:
                        pipe.set(group_key, orjson.dumps(decision.group.to_dict()), ex=ttl)
                    if decision.reason == "new":
                        pipe.set(opened_key, b"1", ex=int(OPENED_TTL_S))
                    pipe.set(decision_key, orjson.dumps(record), ex=int(ttl + 6 * DAY_S))
                    pipe.execute()
                    return StoredDecision(**record)
                except redis.WatchError:
                    continue

    def group(self, rule_id: str, story_id: str) -> GroupState | None:
        raw = self.client.get(f"{self.prefix}group:{rule_id}:{story_id}")
        return GroupState.from_dict(orjson.loads(raw)) if raw else None

    def was_delivered(self, alert_id: str, channel: str) -> bool:
        return bool(self.client.exists(self.delivered_key(alert_id, channel)))

    def mark_delivered(self, alert_id: str, channel: str, status: int | None) -> None:
        self.client.set(
            self.delivered_key(alert_id, channel),
            orjson.dumps({"at": time.time(), "status": status}),
            ex=int(DELIVERED_TTL_S),
        )

    def replayed(self) -> dict[str, float]:
        raw = self.client.hgetall(f"{self.prefix}dlq:replayed")
        return {k.decode() if isinstance(k, bytes) else k: float(v) for k, v in raw.items()}

    def mark_replayed(self, position: str, at: float) -> None:
        self.client.hset(f"{self.prefix}dlq:replayed", position, at)
