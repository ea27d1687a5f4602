"""Per-feed connector state, kept in Redis so that a restart neither re-publishes nor
forgets: conditional-GET validators and body hash, the adaptive interval and next poll
time, error counts and the last error, and the ids of the items already published.

Keys (``<ns>:`` is ``Settings.redis_prefix``):
  <ns>:connector:feed:<feed id>   hash  — FeedState fields
  <ns>:connector:seen:<feed id>   zset  — article id → last time the item was in the feed

Seen ids are refreshed on every parsed body and trimmed to the SEEN_CAP most recently
present, so the set stays bounded while an item that is still in the feed is never
forgotten (a fetch keeps at most `feed_max_items` items, itself at most this many).
"""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from typing import Protocol

import redis.asyncio as aioredis
from redis.typing import EncodableT

from connectors.fetch import Validators
from kernel.redis_client import connected_async_redis
from kernel.settings import Settings

SEEN_CAP = 20_000


@dataclass
class FeedState:
    etag: str | None = None
    last_modified: str | None = None
    body_hash: str | None = None
    interval: float | None = None  # adaptive interval (seconds); None before the first poll
    next_poll_at: float = 0.0  # unix seconds; 0 = due now
    consecutive_errors: int = 0
    errors_total: int = 0
    polls_total: int = 0
    items_total: int = 0  # items published
    last_status: str | None = None  # new_items | no_new_items | not_modified | error | rate_limited
    last_error: str | None = None
    last_error_kind: str | None = None
    last_error_at: float | None = None
    last_success_at: float | None = None

    @property
    def validators(self) -> Validators:
        return Validators(etag=self.etag, last_modified=self.last_modified, body_hash=self.body_hash)

    def to_redis(self) -> dict[str, str]:
        return {k: str(v) for k, v in asdict(self).items() if v is not None}

    @classmethod
    def from_redis(cls, data: dict[bytes | str, bytes | str]) -> FeedState:
        state = cls()
        decoded = {
            (k.decode() if isinstance(k, bytes) else k): (v.decode("utf-8", "replace") if isinstance(v, bytes) else v)
            for k, v in data.items()
        }
        for f in fields(cls):
            if f.name not in decoded:
                continue
            raw = decoded[f.name]
            try:
                if f.name in ("consecutive_errors", "errors_total", "polls_total", "items_total"):
                    value: object = int(raw)
                elif f.name in ("interval", "next_poll_at", "last_error_at", "last_success_at"):
                    value = float(raw)
                else:
                    value = raw
            except ValueError:
                continue  # a hand-edited or corrupt field falls back to its default
            setattr(state, f.name, value)
        return state


class StateStore(Protocol):
    async def load(self, feed_id: str) -> FeedState: ...
    async def load_many(self, feed_ids: list[str]) -> dict[str, FeedState]: ...
    async def save(self, feed_id: str, state: FeedState) -> None: ...
    async def unseen(self, feed_id: str, article_ids: list[str]) -> list[str]: ...
    async def mark_seen(self, feed_id: str, article_ids: list[str], at: float) -> None: ...
    async def close(self) -> None: ...


class RedisStateStore:
    def __init__(self, client: aioredis.Redis, prefix: str) -> None:
        self.client = client
        self.prefix = prefix

    @classmethod
    async def connect(cls, settings: Settings, timeout_s: float = 5.0) -> RedisStateStore:
        """A store on a reachable Redis, or StackUnavailable within about ``timeout_s``."""
        return cls(await connected_async_redis(settings, timeout_s=timeout_s), settings.redis_prefix)

    def _feed_key(self, feed_id: str) -> str:
        return f"{self.prefix}connector:feed:{feed_id}"

    def _seen_key(self, feed_id: str) -> str:
        return f"{self.prefix}connector:seen:{feed_id}"

    async def load(self, feed_id: str) -> FeedState:
        return FeedState.from_redis(await self.client.hgetall(self._feed_key(feed_id)))

    async def load_many(self, feed_ids: list[str]) -> dict[str, FeedState]:
        states: dict[str, FeedState] = {}
        for start in range(0, len(feed_ids), 1000):
            chunk = feed_ids[start : start + 1000]
            async with self.client.pipeline(transaction=False) as pipe:
                for feed_id in chunk:
                    pipe.hgetall(self._feed_key(feed_id))
                results = await pipe.execute()
            states.update({fid: FeedState.from_redis(r) for fid, r in zip(chunk, results)})
        return states

    async def save(self, feed_id: str, state: FeedState) -> None:
        key = self._feed_key(feed_id)
        cleared = [k for k, v in asdict(state).items() if v is None]
        async with self.client.pipeline(transaction=True) as pipe:
            # redis-py's mapping type is invariant in its keys: copy into the wider type
            fields: dict[EncodableT, EncodableT] = dict(state.to_redis().items())
            pipe.hset(key, mapping=fields)
            if cleared:
                pipe.hdel(key, *cleared)
            await pipe.execute()

    async def unseen(self, feed_id: str, article_ids: list[str]) -> list[str]:
        if not article_ids:
            return []
        scores = await self.client.zmscore(self._seen_key(feed_id), article_ids)
        return [aid for aid, score in zip(article_ids, scores) if score is None]

    async def mark_seen(self, feed_id: str, article_ids: list[str], at: float) -> None:
        if not article_ids:
            return
        key = self._seen_key(feed_id)
        async with self.client.pipeline(transaction=True) as pipe:
            pipe.zadd(key, {aid: at for aid in article_ids})
            pipe.zremrangebyrank(key, 0, -(SEEN_CAP + 1))
            await pipe.execute()

    async def close(self) -> None:
        await self.client.aclose()


class MemoryStateStore:
    """The same interface in process memory: for `feeds parse`, unit tests and the
    benchmark's stateless mode. Nothing survives the process."""

    def __init__(self) -> None:
        self.states: dict[str, FeedState] = {}
        self.seen: dict[str, dict[str, float]] = {}

    async def load(self, feed_id: str) -> FeedState:
        state = self.states.get(feed_id)
        return FeedState(**asdict(state)) if state else FeedState()

    async def load_many(self, feed_ids: list[str]) -> dict[str, FeedState]:
        return {fid: await self.load(fid) for fid in feed_ids}

    async def save(self, feed_id: str, state: FeedState) -> None:
        self.states[feed_id] = FeedState(**asdict(state))

    async def unseen(self, feed_id: str, article_ids: list[str]) -> list[str]:
        seen = self.seen.get(feed_id, {})
        return [aid for aid in article_ids if aid not in seen]

    async def mark_seen(self, feed_id: str, article_ids: list[str], at: float) -> None:
        seen = self.seen.setdefault(feed_id, {})
        seen.update({aid: at for aid in article_ids})
        if len(seen) > SEEN_CAP:
            for aid, _ in sorted(seen.items(), key=lambda kv: kv[1])[: len(seen) - SEEN_CAP]:
                del seen[aid]

    async def close(self) -> None:
        return None
