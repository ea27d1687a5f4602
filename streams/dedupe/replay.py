"""One decision per article, however often Kafka delivers it.

Kafka delivers at least once: an article processed again after a crash (its offset was
not committed yet) must get the decision it got the first time, not be called a
duplicate of itself. The first decision is kept under the article's id for the dedupe
window and returned as it was for every later delivery.
"""

from __future__ import annotations

import dataclasses
from typing import Any, Protocol

import orjson

from streams.dedupe.core import DedupeDecision, DedupeInput, Deduplicator
from streams.dedupe.store import Outlet


class DecisionLog(Protocol):
    """Where first decisions are kept: the part of a Redis client that is used."""

    def get(self, name: str) -> Any: ...

    def set(self, name: str, value: bytes, ex: int) -> Any: ...


class ReplaySafeDeduplicator:
    """A ``Deduplicator`` that answers a replayed article with its first decision."""

    def __init__(self, inner: Deduplicator, client: DecisionLog, prefix: str, ttl_s: int) -> None:
        self.inner, self.client, self.prefix, self.ttl_s = inner, client, prefix, ttl_s

    def process(self, article: DedupeInput) -> DedupeDecision:
        key = f"{self.prefix}dedupe:decision:{article.id}"
        seen = self.client.get(key)
        if seen is not None:
            fields = orjson.loads(seen)
            # outlets were added later: a decision kept before has none
            fields["story_outlets"] = tuple(Outlet(**o) for o in fields.get("story_outlets", ()))
            return DedupeDecision(**fields)
        decision = self.inner.process(article)
        self.client.set(key, orjson.dumps(dataclasses.asdict(decision)), ex=self.ttl_s)
        return decision
