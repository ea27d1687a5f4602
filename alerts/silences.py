"""Silences: "do not deliver alerts of this rule (matching these fields) until then".

Silenced alerts are counted (``marsad_alerts_silenced_total``), not delivered, and they do
not open a group, so the first match after a silence ends still alerts. Matching is
pure; ``SilenceStore`` keeps silences in one Redis hash shared by every dispatcher.
"""

from __future__ import annotations

import fnmatch
import secrets
import time
from collections.abc import Mapping
from dataclasses import asdict, dataclass, field
from typing import Any

import orjson
import redis

from kernel.durations import parse_duration
from kernel.messages import AlertEvent

# Fields an operator can match on with --match key=value (values may use * and ?).
MATCH_FIELDS = ("feed", "language", "severity", "story", "article", "url")
# A silence is a pause, not a way to switch a rule off (for that, disable the rule).
MAX_SILENCE_S = 90 * 86400


@dataclass(frozen=True)
class Silence:
    id: str
    rule: str  # rule id or glob ("*" silences every rule)
    starts_at: float
    ends_at: float
    reason: str
    matchers: dict[str, str] = field(default_factory=dict)
    created_by: str = ""
    created_at: float = 0.0

    def active(self, now: float) -> bool:
        return self.starts_at <= now < self.ends_at

    def matches(self, event: AlertEvent, now: float) -> bool:
        if not self.active(now) or not fnmatch.fnmatchcase(event.rule.id, self.rule):
            return False
        fields = event_fields(event)
        return all(fnmatch.fnmatchcase(fields.get(key, ""), pattern) for key, pattern in self.matchers.items())

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Silence:
        return cls(**data)


def event_fields(event: AlertEvent) -> dict[str, str]:
    return {
        "feed": event.article.feed or "",
        "language": event.article.language or "",
        "severity": event.rule.severity or "",
        "story": event.story.id,
        "article": event.article.id,
        "url": event.article.url or "",
    }


def parse_matchers(items: list[str]) -> dict[str, str]:
    """``["feed=sahil-news", "language=ar"]`` → mapping; ValueError naming the bad item."""
    out: dict[str, str] = {}
    for item in items:
        key, sep, value = item.partition("=")
        key, value = key.strip(), value.strip()
        if not sep or not key or not value:
            raise ValueError(f"--match {item!r}: expected key=value")
        if key not in MATCH_FIELDS:
            raise ValueError(f"--match {item!r}: unknown key {key!r} (one of: {', '.join(MATCH_FIELDS)})")
        out[key] = value
    return out


def silence_seconds(duration: str) -> float:
    """The length of a silence written as ``30m``, ``2h`` or ``1d``: more than 0 and at
    most 90 days; ValueError (``duration: <reason>``) otherwise."""
    try:
        seconds = parse_duration(duration)
    except ValueError as exc:
        raise ValueError(f"duration: {exc}") from None
    if seconds <= 0 or seconds > MAX_SILENCE_S:
        raise ValueError(f"duration: must be more than 0 and at most {MAX_SILENCE_S // 86400}d")
    return seconds


def check_matchers(matchers: Mapping[str, str]) -> dict[str, str]:
    """``matchers`` as a silence keeps them; ValueError (``matchers: <reason>``) naming the
    first key that is not one of MATCH_FIELDS."""
    unknown = sorted(set(matchers) - set(MATCH_FIELDS))
    if unknown:
        raise ValueError(f"matchers: unknown key {unknown[0]!r} (one of: {', '.join(MATCH_FIELDS)})")
    return dict(matchers)


def first_silence(silences: list[Silence], event: AlertEvent, now: float) -> Silence | None:
    return next((s for s in silences if s.matches(event, now)), None)


class SilenceStore:
    """Silences in the Redis hash ``<prefix>silences`` (id → JSON)."""

    def __init__(self, client: redis.Redis, prefix: str, cache_s: float = 1.0) -> None:
        self.client, self.key, self.cache_s = client, f"{prefix}silences", cache_s
        self._cached: list[Silence] = []
        self._cached_at = float("-inf")

    def add(
        self,
        rule: str,
        duration_s: float,
        reason: str,
        matchers: dict[str, str] | None = None,
        created_by: str = "",
        now: float | None = None,
    ) -> Silence:
        now = time.time() if now is None else now
        silence = Silence(
            id=secrets.token_hex(4),
            rule=rule,
            starts_at=now,
            ends_at=now + duration_s,
            reason=reason,
            matchers=dict(matchers or {}),
            created_by=created_by,
            created_at=now,
        )
        self.client.hset(self.key, silence.id, orjson.dumps(silence.to_dict()))
        return silence

    def all(self) -> list[Silence]:
        raw = self.client.hgetall(self.key)
        silences = [Silence.from_dict(orjson.loads(value)) for value in raw.values()]
        return sorted(silences, key=lambda s: (s.created_at, s.id))

    def expire(self, silence_id: str, now: float | None = None) -> Silence | None:
        """End a silence now; None when there is no such silence."""
        raw = self.client.hget(self.key, silence_id)
        if raw is None:
            return None
        now = time.time() if now is None else now
        silence = Silence.from_dict(orjson.loads(raw))
        ended = Silence(**{**silence.to_dict(), "ends_at": min(silence.ends_at, now)})
        self.client.hset(self.key, silence_id, orjson.dumps(ended.to_dict()))
        self._cached_at = float("-inf")
        return ended

    def active(self, now: float | None = None) -> list[Silence]:
        """Active silences, re-read from Redis at most every ``cache_s`` seconds."""
        now = time.time() if now is None else now
        if time.monotonic() - self._cached_at >= self.cache_s:
            self._cached = self.all()
            self._cached_at = time.monotonic()
        return [s for s in self._cached if s.active(now)]
