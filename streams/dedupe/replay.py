"""One decision per article, however often Kafka delivers it.

Kafka delivers at least once: an article processed again after a crash (its offset was
not committed yet) must get the decision it got the first time, not be called a
duplicate of itself. The first decision is kept under the article's id for the dedupe
window and returned as it was for every later delivery.

``process_many`` decides a batch (the worker's poll) with two round trips for the guard
instead of two per article: one MGET for every article's earlier decision, one pipeline
writing the new ones. A decision made but not written yet (Redis failed later in the
batch) is kept in memory and given again when the batch is retried.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Sequence
from typing import Any, Protocol

import orjson
import redis

from streams.dedupe.core import DedupeDecision, DedupeInput, Deduplicator
from streams.dedupe.store import Outlet


class DecisionWrites(Protocol):
    """A Redis pipeline: SETs queued, sent together by ``execute``."""

    def set(self, name: str, value: bytes, ex: int) -> Any: ...

    def execute(self) -> Any: ...


class DecisionLog(Protocol):
    """Where first decisions are kept: the part of a Redis client that is used."""

    def get(self, name: str) -> Any: ...

    def set(self, name: str, value: bytes, ex: int) -> Any: ...

    def mget(self, keys: Sequence[str]) -> Any: ...

    def pipeline(self, transaction: bool = ...) -> DecisionWrites: ...


def _decision(seen: bytes) -> DedupeDecision:
    fields = orjson.loads(seen)
    # outlets were added later: a decision kept before has none
    fields["story_outlets"] = tuple(Outlet(**o) for o in fields.get("story_outlets", ()))
    return DedupeDecision(**fields)


class ReplaySafeDeduplicator:
    """A ``Deduplicator`` that answers a replayed article with its first decision."""

    def __init__(self, inner: Deduplicator, client: DecisionLog, prefix: str, ttl_s: int) -> None:
        self.inner, self.client, self.prefix, self.ttl_s = inner, client, prefix, ttl_s
        # decided, not written yet: article id -> (key, encoded decision, decision)
        self._unwritten: dict[str, tuple[str, bytes, DedupeDecision]] = {}

    def _key(self, article_id: str) -> str:
        return f"{self.prefix}dedupe:decision:{article_id}"

    def process(self, article: DedupeInput) -> DedupeDecision:
        key = self._key(article.id)
        seen = self.client.get(key)
        if seen is not None:
            return _decision(seen)
        decision = self.inner.process(article)
        self.client.set(key, orjson.dumps(dataclasses.asdict(decision)), ex=self.ttl_s)
        return decision

    def process_many(self, articles: Sequence[DedupeInput]) -> list[DedupeDecision | Exception]:
        """Every article's decision, in order, as ``process`` gives them one by one; an
        article whose decision raised (not Redis) gets its exception instead, so that one
        bad article does not stop the batch. Redis being unreachable propagates: retry the batch."""
        if not articles:
            return []
        keys = [self._key(article.id) for article in articles]
        earlier = self.client.mget(keys)
        out: list[DedupeDecision | Exception] = []
        decided: dict[str, DedupeDecision] = {}  # an id delivered twice in one batch
        unwritten = self._unwritten
        try:
            for article, key, seen in zip(articles, keys, earlier):
                pending = unwritten.get(article.id)
                if seen is not None:
                    decision = _decision(seen)
                elif pending is not None:
                    decision = pending[2]
                elif article.id in decided:
                    decision = decided[article.id]
                else:
                    try:
                        decision = self.inner.process(article)
                    except (redis.ConnectionError, redis.TimeoutError):
                        raise
                    except Exception as exc:
                        out.append(exc)
                        continue
                    unwritten[article.id] = (key, orjson.dumps(dataclasses.asdict(decision)), decision)
                decided[article.id] = decision
                out.append(decision)
        finally:
            self.flush()
        return out

    def flush(self) -> None:
        """Write the decisions made and not written yet (one round trip)."""
        if not self._unwritten:
            return
        writes = self.client.pipeline(transaction=False)
        for key, value, _ in self._unwritten.values():
            writes.set(key, value, ex=self.ttl_s)
        writes.execute()
        self._unwritten.clear()
