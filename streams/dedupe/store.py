"""Where dedupe keeps what it has seen: exact keys, LSH buckets, signatures, story sources.

State is split into *generations*. New articles go to the current generation; a new one
starts when the current one is ``window/generations`` old or holds
``max_signatures/generations`` articles, and the oldest is dropped whole. Memory is
therefore bounded by time and by count, lookups read a fixed number of generations
(cost independent of how many articles are stored), and nothing is scanned to expire.

``RedisDedupeStore`` keeps it in Redis (shared by every worker): one Lua call per lookup
and one per insert, each reading or writing a hash with one command per generation.
``InMemoryDedupeStore`` keeps the same structure in process, for ``marsad dedupe test``
and unit tests.
"""

from __future__ import annotations

import hashlib
import math
import threading
import time
from collections import OrderedDict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np
import orjson
import redis

from streams.dedupe.lsh import KEY_WIDTH


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """What is kept of an article that was not a duplicate."""

    id: str
    feed: str
    story_id: str
    event_time: float  # published time when known, else when it was seen (unix seconds)
    shingle_count: int
    signature: np.ndarray  # uint32 MinHash signature of the dedupe shingles
    terms: tuple[str, ...]  # its content words, most frequent first (stories, explanations)

    def to_bytes(self) -> bytes:
        header = orjson.dumps({"id": self.id, "feed": self.feed, "story": self.story_id,
                               "t": self.event_time, "n": self.shingle_count, "terms": self.terms})
        # orjson escapes control characters, so the first NUL ends the header
        return header + b"\x00" + self.signature.astype("<u4").tobytes()

    @classmethod
    def from_bytes(cls, data: bytes) -> StoredArticle:
        header, _, sig = data.partition(b"\x00")
        meta = orjson.loads(header)
        return cls(meta["id"], meta["feed"], meta["story"], float(meta["t"]), int(meta["n"]),
                   np.frombuffer(sig, dtype="<u4").astype(np.uint32), tuple(meta["terms"]))


@dataclass(frozen=True, slots=True)
class Lookup:
    """What one article asks the store: exact keys and bucket keys."""

    url_key: str | None
    content_key: str | None
    buckets: Sequence[bytes]


@dataclass(frozen=True, slots=True)
class LookupResult:
    url_match: StoredArticle | None
    content_match: StoredArticle | None
    # articles sharing at least one bucket, most shared buckets first
    candidates: list[StoredArticle] = field(default_factory=list)


class DedupeStore(Protocol):
    def lookup(self, query: Lookup) -> LookupResult: ...

    def record(self, article: StoredArticle, query: Lookup) -> int:
        """Store a non-duplicate and add its feed to its story; the story's source count."""
        ...

    def record_many(self, items: Iterable[tuple[StoredArticle, Lookup]]) -> None:
        """Bulk insert (benchmarks, warm-up): the same effect as ``record`` for each."""
        ...

    def join_story(self, story_id: str, feed: str) -> int:
        """Add ``feed`` to the story's sources; the number of distinct sources."""
        ...


@dataclass(frozen=True, slots=True)
class StoreLimits:
    window_seconds: float = 7 * 86400
    story_ttl_seconds: float = 7 * 86400
    max_signatures: int = 200_000
    generations: int = 4
    bucket_size: int = 4  # ids kept per bucket (most recent); bounds candidates per lookup
    max_candidates: int = 24  # fetched per lookup, most shared buckets first

    @property
    def generation_seconds(self) -> float:
        return self.window_seconds / self.generations

    @property
    def generation_capacity(self) -> int:
        return max(1, math.ceil(self.max_signatures / self.generations))


def _url_field(key: str) -> bytes:
    return b"u:" + key.encode()


def _content_field(key: str) -> bytes:
    return b"h:" + key.encode()


# --- in memory -----------------------------------------------------------------------------


@dataclass
class _Generation:
    started: float
    records: dict[str, StoredArticle] = field(default_factory=dict)
    exact: dict[bytes, str] = field(default_factory=dict)
    buckets: dict[bytes, list[str]] = field(default_factory=dict)


class InMemoryDedupeStore:
    """The Redis store's structure in one process (no sharing between workers)."""

    def __init__(self, limits: StoreLimits | None = None, clock=time.time) -> None:
        self.limits = limits or StoreLimits()
        self._clock = clock
        self._generations: OrderedDict[int, _Generation] = OrderedDict()
        self._current = 0
        self._stories: dict[str, tuple[set[str], float]] = {}

    def _live(self) -> list[_Generation]:
        return [self._generations[n] for n in sorted(self._generations, reverse=True)]

    def lookup(self, query: Lookup) -> LookupResult:
        url_match = content_match = None
        hits: dict[str, int] = {}
        found: dict[str, StoredArticle] = {}
        for gen in self._live():
            if query.url_key and url_match is None:
                rid = gen.exact.get(_url_field(query.url_key))
                url_match = gen.records.get(rid) if rid else None
            if query.content_key and content_match is None:
                rid = gen.exact.get(_content_field(query.content_key))
                content_match = gen.records.get(rid) if rid else None
            for bucket in query.buckets:
                for rid in gen.buckets.get(bucket, ()):
                    if rid in gen.records:
                        hits[rid] = hits.get(rid, 0) + 1
                        found.setdefault(rid, gen.records[rid])
        ranked = sorted(hits, key=lambda rid: -hits[rid])[: self.limits.max_candidates]
        return LookupResult(url_match, content_match, [found[rid] for rid in ranked])

    def _generation_for_insert(self) -> _Generation:
        now = self._clock()
        gen = self._generations.get(self._current)
        if gen is None or now - gen.started >= self.limits.generation_seconds or \
                len(gen.records) >= self.limits.generation_capacity:
            self._current += 1
            self._generations[self._current] = _Generation(started=now)
            while len(self._generations) > self.limits.generations:
                self._generations.popitem(last=False)
        return self._generations[self._current]

    def _insert(self, article: StoredArticle, query: Lookup) -> None:
        gen = self._generation_for_insert()
        gen.records[article.id] = article
        if query.url_key:
            gen.exact[_url_field(query.url_key)] = article.id
        if query.content_key:
            gen.exact[_content_field(query.content_key)] = article.id
        for bucket in query.buckets:
            ids = gen.buckets.setdefault(bucket, [])
            ids.insert(0, article.id)
            del ids[self.limits.bucket_size:]

    def record(self, article: StoredArticle, query: Lookup) -> int:
        self._insert(article, query)
        return self.join_story(article.story_id, article.feed)

    def record_many(self, items: Iterable[tuple[StoredArticle, Lookup]]) -> None:
        for article, query in items:
            self.record(article, query)

    def join_story(self, story_id: str, feed: str) -> int:
        now = self._clock()
        feeds, expires = self._stories.get(story_id, (set(), 0.0))
        if expires and expires < now:
            feeds = set()
        feeds.add(feed)
        self._stories[story_id] = (feeds, now + self.limits.story_ttl_seconds)
        if len(self._stories) > 4 * self.limits.max_signatures:
            self._stories = {k: v for k, v in self._stories.items() if v[1] >= now}
        return len(feeds)


# --- Redis ---------------------------------------------------------------------------------

# Keys read and written by the scripts are derived from the prefix passed in ARGV (all
# under one namespace); this targets a single Redis server, not Redis Cluster.
#
# Layout of generation n under "<prefix>dedupe:g:<n>":
#   :r  hash  slot -> StoredArticle bytes
#   :x  hash  "u:<url key>" / "h:<content key>" -> slot
#   :b  hash  bucket key (lsh.KEY_WIDTH bytes) -> slots of its newest articles, newest first
# A slot is a fixed-width (SLOT_WIDTH bytes) hash of the article id, so bucket entries are
# cut by position: any id (spaces, newlines, any length) is safe, and entries stay small.
# Bucket keys arrive as one string of fixed-width keys, split in the script, and every
# hash is read and written with one HMGET/HSET per generation (not one call per field).
_LOOKUP = """
local n = tonumber(redis.call('HGET', KEYS[1], 'n') or '0')
local gprefix, gens, limit = ARGV[1], tonumber(ARGV[2]), tonumber(ARGV[3])
local kw, sw, nexact = tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6])
local blob = ARGV[7 + nexact]
local fields = {}
for i = 1, #blob, kw do fields[#fields + 1] = string.sub(blob, i, i + kw - 1) end
local exact = {}
local hits, where, order = {}, {}, {}
for g = n, math.max(1, n - gens + 1), -1 do
  local p = gprefix .. g
  if nexact > 0 then
    local slots = redis.call('HMGET', p .. ':x', unpack(ARGV, 7, 6 + nexact))
    for i = 1, nexact do
      if exact[i] == nil and slots[i] then
        local rec = redis.call('HGET', p .. ':r', slots[i])
        if rec then exact[i] = rec end
      end
    end
  end
  if #fields > 0 then
    local vals = redis.call('HMGET', p .. ':b', unpack(fields))
    for i = 1, #vals do
      local v = vals[i]
      if v then
        for j = 1, #v, sw do
          local slot = string.sub(v, j, j + sw - 1)
          local h = hits[slot]
          if h == nil then
            order[#order + 1] = slot
            hits[slot], where[slot] = 1, p
          elseif where[slot] == p then
            hits[slot] = h + 1
          end
        end
      end
    end
  end
end
-- most shared buckets first, ties in order of discovery (newest generation, bucket order):
-- a counting sort, as hits never exceed the number of buckets (table.sort with a Lua
-- comparator cost more than everything else in this script)
local by_hits, most = {}, 0
for _, slot in ipairs(order) do
  local h = hits[slot]
  local list = by_hits[h]
  if list == nil then list = {}; by_hits[h] = list end
  list[#list + 1] = slot
  if h > most then most = h end
end
order = {}
for h = most, 1, -1 do
  local list = by_hits[h]
  if list then for _, slot in ipairs(list) do order[#order + 1] = slot end end
end
local out = {}
for i = 1, nexact do out[i] = exact[i] or false end
local taken, next_index = 0, 1
while taken < limit and next_index <= #order do
  -- the next candidates in rank order, read with one HMGET per generation
  local batch = {}
  while #batch < limit - taken and next_index <= #order do
    batch[#batch + 1] = order[next_index]; next_index = next_index + 1
  end
  local by_gen, gen_order = {}, {}
  for _, slot in ipairs(batch) do
    local p = where[slot]
    if by_gen[p] == nil then by_gen[p] = {}; gen_order[#gen_order + 1] = p end
    local list = by_gen[p]; list[#list + 1] = slot
  end
  local records = {}
  for _, p in ipairs(gen_order) do
    local recs = redis.call('HMGET', p .. ':r', unpack(by_gen[p]))
    for i, slot in ipairs(by_gen[p]) do records[slot] = recs[i] end
  end
  for _, slot in ipairs(batch) do
    local rec = records[slot]
    if rec and taken < limit then out[#out + 1] = rec; taken = taken + 1 end
  end
end
return out
"""

_INSERT = """
local now, gen_seconds, capacity = tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local gens, ttl, bucket_size = tonumber(ARGV[5]), tonumber(ARGV[6]), tonumber(ARGV[7])
local slot, record, feed, story_ttl = ARGV[8], ARGV[9], ARGV[10], tonumber(ARGV[11])
local kw, nexact = tonumber(ARGV[12]), tonumber(ARGV[13])
local blob = ARGV[14 + nexact]
local st = redis.call('HMGET', KEYS[1], 'n', 'start', 'count')
local n, start, count = tonumber(st[1] or '0'), tonumber(st[2] or '0'), tonumber(st[3] or '0')
if n == 0 or now - start >= gen_seconds or count >= capacity then
  n, start, count = n + 1, now, 0
  local old = ARGV[1] .. (n - gens)
  redis.call('UNLINK', old .. ':r', old .. ':x', old .. ':b')
end
redis.call('HSET', KEYS[1], 'n', n, 'start', start, 'count', count + 1)
local p = ARGV[1] .. n
redis.call('HSET', p .. ':r', slot, record)
if nexact > 0 then
  local pairs_ = {}
  for i = 14, 13 + nexact do pairs_[#pairs_ + 1] = ARGV[i]; pairs_[#pairs_ + 1] = slot end
  redis.call('HSET', p .. ':x', unpack(pairs_))
end
if #blob > 0 then
  local fields = {}
  for i = 1, #blob, kw do fields[#fields + 1] = string.sub(blob, i, i + kw - 1) end
  local current = redis.call('HMGET', p .. ':b', unpack(fields))
  local keep = #slot * (bucket_size - 1)
  local pairs_ = {}
  for i = 1, #fields do
    pairs_[#pairs_ + 1] = fields[i]
    pairs_[#pairs_ + 1] = slot .. string.sub(current[i] or '', 1, keep)
  end
  redis.call('HSET', p .. ':b', unpack(pairs_))
end
for _, suffix in ipairs({':r', ':x', ':b'}) do redis.call('EXPIRE', p .. suffix, ttl) end
redis.call('SADD', KEYS[2], feed)
redis.call('EXPIRE', KEYS[2], story_ttl)
return redis.call('SCARD', KEYS[2])
"""

SLOT_WIDTH = 8


def article_slot(article_id: str) -> bytes:
    """The fixed-width key under which an article is stored in Redis."""
    return hashlib.blake2b(article_id.encode(), digest_size=SLOT_WIDTH).digest()


def _bucket_blob(buckets: Sequence[bytes]) -> bytes:
    blob = b"".join(buckets)
    if len(blob) != KEY_WIDTH * len(buckets):
        raise ValueError(f"bucket keys must be {KEY_WIDTH} bytes each")
    return blob


_JOIN_STORY = """
redis.call('SADD', KEYS[1], ARGV[1])
redis.call('EXPIRE', KEYS[1], tonumber(ARGV[2]))
return redis.call('SCARD', KEYS[1])
"""


class _ScriptCaller:
    """Runs Lua scripts by EVALSHA on one connection held for the store's lifetime.

    Measured on the dedupe benchmark: redis-py's per-command path (pool checkout, retry
    wrapper, observability hooks) cost about three times the client CPU of sending the
    command on a held connection, and dedupe makes two calls per article. A lock keeps
    calls from different threads (the worker runs dedupe in an executor) apart."""

    def __init__(self, client: redis.Redis) -> None:
        self._client = client
        self._lock = threading.Lock()
        self._connection: redis.connection.AbstractConnection | None = None

    def __call__(self, script: redis.commands.core.Script, keys: Sequence, args: Sequence):
        with self._lock:
            try:
                return self._run(script, keys, args)
            except redis.ConnectionError:
                # a dropped connection (Redis restarted, idle socket closed): one fresh try,
                # as redis-py itself would; a second failure, or a timeout (Redis alive but
                # slow: the script may still run), goes to the caller's retry loop
                return self._run(script, keys, args)

    def _run(self, script: redis.commands.core.Script, keys: Sequence, args: Sequence):
        connection = self._connection
        if connection is None:
            connection = self._connection = self._client.connection_pool.get_connection()
        try:
            try:
                connection.send_command("EVALSHA", script.sha, len(keys), *keys, *args)
                return connection.read_response()
            except redis.exceptions.NoScriptError:
                # scripts are gone after a Redis restart: load it again, then run it
                connection.send_command("SCRIPT", "LOAD", script.script)
                connection.read_response()
                connection.send_command("EVALSHA", script.sha, len(keys), *keys, *args)
                return connection.read_response()
        except redis.ResponseError:
            raise  # an error reply (e.g. from the script): the connection is still in step
        except BaseException:
            self._drop_connection()  # a reply may be half read: never reuse the connection
            raise

    def _drop_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.disconnect()
            self._client.connection_pool.release(connection)

    def close(self) -> None:
        with self._lock:
            self._drop_connection()


class RedisDedupeStore:
    """Dedupe state in Redis under ``prefix`` (e.g. "marsad:"), shared by all workers."""

    def __init__(self, client: redis.Redis, prefix: str, limits: StoreLimits | None = None) -> None:
        self.client = client
        self.prefix = prefix
        self.limits = limits or StoreLimits()
        self._state_key = f"{prefix}dedupe:gen"
        self._gen_prefix = f"{prefix}dedupe:g:"
        self._lookup = client.register_script(_LOOKUP)
        self._insert = client.register_script(_INSERT)
        self._join_story = client.register_script(_JOIN_STORY)
        self._call = _ScriptCaller(client)

    def close(self) -> None:
        """Give the store's connection back (it is reopened on the next call)."""
        self._call.close()

    def _story_key(self, story_id: str) -> str:
        return f"{self.prefix}dedupe:story:{story_id}"

    @staticmethod
    def _exact_fields(query: Lookup) -> list[bytes]:
        fields = []
        if query.url_key:
            fields.append(_url_field(query.url_key))
        if query.content_key:
            fields.append(_content_field(query.content_key))
        return fields

    def lookup(self, query: Lookup) -> LookupResult:
        exact = self._exact_fields(query)
        reply = self._call(
            self._lookup, [self._state_key],
            [self._gen_prefix, self.limits.generations, self.limits.max_candidates, KEY_WIDTH,
             SLOT_WIDTH, len(exact), *exact, _bucket_blob(query.buckets)],
        )
        records = [StoredArticle.from_bytes(r) if r else None for r in reply]
        url_match = content_match = None
        position = 0
        if query.url_key:
            url_match = records[position]
            position += 1
        if query.content_key:
            content_match = records[position]
            position += 1
        return LookupResult(url_match, content_match, [r for r in records[position:] if r is not None])

    def _insert_args(self, article: StoredArticle, query: Lookup) -> tuple[list, list]:
        exact = self._exact_fields(query)
        limits = self.limits
        ttl = int(limits.window_seconds + limits.generation_seconds) + 1
        return (
            [self._state_key, self._story_key(article.story_id)],
            [self._gen_prefix, time.time(), limits.generation_seconds, limits.generation_capacity,
             limits.generations, ttl, limits.bucket_size, article_slot(article.id), article.to_bytes(),
             article.feed, int(limits.story_ttl_seconds), KEY_WIDTH, len(exact), *exact,
             _bucket_blob(query.buckets)],
        )

    def record(self, article: StoredArticle, query: Lookup) -> int:
        keys, args = self._insert_args(article, query)
        return int(self._call(self._insert, keys, args))

    def record_many(self, items: Iterable[tuple[StoredArticle, Lookup]], batch: int = 1000) -> None:
        pipe = self.client.pipeline(transaction=False)
        pending = 0
        for article, query in items:
            keys, args = self._insert_args(article, query)
            self._insert(keys=keys, args=args, client=pipe)
            pending += 1
            if pending >= batch:
                pipe.execute()
                pending = 0
        if pending:
            pipe.execute()

    def join_story(self, story_id: str, feed: str) -> int:
        return int(self._call(self._join_story, [self._story_key(story_id)],
                              [feed, int(self.limits.story_ttl_seconds)]))
