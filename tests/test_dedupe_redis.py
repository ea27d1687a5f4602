"""The Redis store on the real local stack: same decisions as in memory, bounded state."""

from __future__ import annotations

import random
import uuid

import pytest
import redis

from streams.dedupe import DedupeConfig, DedupeInput, Deduplicator, InMemoryDedupeStore, RedisDedupeStore, StoreLimits
from tests.test_dedupe_corpus import EVENTS, SAME_ENTITIES, edits

pytestmark = pytest.mark.stack


def _stream() -> list[DedupeInput]:
    rng = random.Random(2)
    reports = [r for pair in EVENTS for r in pair] + [r for _, r in SAME_ENTITIES]
    items = [DedupeInput(id=r.key, feed=f"o{i % 4}", url=f"https://o{i % 4}.example/{r.key}", title=r.title,
                         text=r.text, published=r.published, seen_at=1_700_000_000.0) for i, r in enumerate(reports)]
    for r in reports[:6]:
        for kind, (title, text) in edits(r, rng).items():
            items.append(DedupeInput(id=f"{r.key}~{kind}", feed=f"c{rng.randrange(3)}", url="", title=title,
                                     text=text, published=r.published, seen_at=1_700_000_000.0))
    items.append(DedupeInput(id="url-copy", feed="z", url=f"http://www.o0.example/{reports[0].key}/?utm_source=x",
                             title="x", text="y", seen_at=1_700_000_000.0))
    return items


@pytest.fixture
def client(stack) -> redis.Redis:
    return redis.Redis.from_url(stack.redis_url)


def test_redis_store_decides_like_the_in_memory_store(stack, client: redis.Redis) -> None:
    prefix = f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:"
    in_redis = Deduplicator(RedisDedupeStore(client, prefix))
    in_memory = Deduplicator(InMemoryDedupeStore())
    for item in _stream():
        assert in_redis.process(item) == in_memory.process(item), item.id
    assert in_redis.process(_stream()[-1]).kind == "exact-url"


def test_redis_state_is_bounded_by_count(stack, client: redis.Redis) -> None:
    prefix = f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:"
    config = DedupeConfig(max_signatures=6)
    store = RedisDedupeStore(client, prefix, StoreLimits(max_signatures=6, generations=2))
    dedup = Deduplicator(store, config)
    reports = [r for pair in EVENTS for r in pair]
    for r in reports[:10]:
        dedup.process(DedupeInput(id=r.key, feed="f", url="", title=r.title, text=r.text))
    generations = {key.decode().rsplit(":", 1)[0] for key in client.scan_iter(match=f"{prefix}dedupe:g:*")}
    assert len(generations) == 2  # generations of 3: the oldest were dropped whole
    records = sum(client.hlen(f"{g}:r") for g in generations)
    assert records == 4  # 10 articles = 3 + 3 + 3 + 1; the last two generations remain
    ttl = client.ttl(f"{prefix}dedupe:g:4:r")
    assert 0 < ttl <= int(7 * 86400 * 1.5) + 1
    first = dedup.process(DedupeInput(id="again", feed="f", url="", title=reports[0].title, text=reports[0].text))
    assert first.duplicate_of is None
    last = dedup.process(DedupeInput(id="again9", feed="f", url="", title=reports[9].title, text=reports[9].text))
    assert last.duplicate_of == reports[9].key


def test_any_article_id_is_safe_in_redis(stack, client: redis.Redis) -> None:
    # ids with spaces, newlines, quotes: bucket entries are fixed-width slots, never split on text
    prefix = f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:"
    in_redis = Deduplicator(RedisDedupeStore(client, prefix))
    in_memory = Deduplicator(InMemoryDedupeStore())
    odd = [DedupeInput(id=f"item {i} \n\t«{x.id}» ", feed=x.feed, url=x.url, title=x.title, text=x.text,
                       published=x.published, seen_at=x.seen_at) for i, x in enumerate(_stream())]
    decisions = [(in_redis.process(item), in_memory.process(item)) for item in odd]
    assert all(r == m for r, m in decisions)
    assert sum(r.duplicate_of is not None for r, _ in decisions) >= 30
    assert {r.duplicate_of for r, _ in decisions if r.duplicate_of} <= {item.id for item in odd}
    for key in client.scan_iter(match=f"{prefix}dedupe:g:*:b"):
        for entry in client.hvals(key):
            assert 0 < len(entry) <= 4 * 8 and len(entry) % 8 == 0


def test_redis_store_recovers_from_flushed_scripts_and_a_dropped_connection(stack, client: redis.Redis) -> None:
    prefix = f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:"
    name = f"dedupe-test-{uuid.uuid4().hex[:8]}"
    own = redis.Redis.from_url(stack.redis_url, client_name=name)  # its connections carry the name
    dedup = Deduplicator(RedisDedupeStore(own, prefix))
    items = _stream()
    assert dedup.process(items[0]).duplicate_of is None
    client.script_flush()  # as after a Redis restart
    assert dedup.process(items[1]).duplicate_of is None
    victims = [c["id"] for c in client.client_list() if c.get("name") == name]
    assert victims
    for victim in victims:  # the store's held connection dies
        client.client_kill_filter(_id=victim)
    again = dedup.process(DedupeInput(id="again", feed="z", url="", title=items[0].title, text=items[0].text))
    assert (again.duplicate_of, again.kind, again.story_sources) == (items[0].id, "exact-content", 2)
