"""The Redis store on the real local stack: same decisions as in memory, bounded state."""

from __future__ import annotations

import functools
import random
import uuid

import numpy as np
import pytest
import redis

from streams.dedupe import (
    DedupeConfig,
    DedupeInput,
    Deduplicator,
    InMemoryDedupeStore,
    RedisDedupeStore,
    StoreLimits,
    cells,
    redis_store,
)
from streams.dedupe.cells import ENTRY_WIDTH
from streams.dedupe.store import ANCHOR_TAG, BAND_TAG, Lookup, StoredArticle
from tests.support import copy_chain
from tests.support.dedupe_corpus import AGENCY, AGENCY_TITLE, EVENTS, SAME_ENTITIES, TICKER, edits

pytestmark = pytest.mark.stack


def _stream() -> list[DedupeInput]:
    rng = random.Random(2)
    reports = [r for pair in EVENTS for r in pair] + [r for _, r in SAME_ENTITIES]
    items = [
        DedupeInput(
            id=r.key,
            feed=f"o{i % 4}",
            url=f"https://o{i % 4}.example/{r.key}",
            title=r.title,
            text=r.text,
            published=r.published,
            seen_at=1_700_000_000.0,
        )
        for i, r in enumerate(reports)
    ]
    for r in reports[:6]:
        for kind, (title, text) in edits(r, rng).items():
            items.append(
                DedupeInput(
                    id=f"{r.key}~{kind}",
                    feed=f"c{rng.randrange(3)}",
                    url="",
                    title=title,
                    text=text,
                    published=r.published,
                    seen_at=1_700_000_000.0,
                )
            )
    items.append(
        DedupeInput(
            id="url-copy",
            feed="z",
            url=f"http://www.o0.example/{reports[0].key}/?utm_source=x",
            title="x",
            text="y",
            seen_at=1_700_000_000.0,
        )
    )
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


def test_records_kept_in_the_read_memo_decide_like_fresh_reads(stack, client: redis.Redis, monkeypatch) -> None:
    """Stored records a lookup returns are kept parsed (RECORD_MEMO); with a memo of three
    records, always full and evicting, every decision is still the in-memory store's."""
    monkeypatch.setattr(redis_store, "RECORD_MEMO", 3)
    prefix = f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:"
    store = RedisDedupeStore(client, prefix)
    in_redis, in_memory = Deduplicator(store), Deduplicator(InMemoryDedupeStore())
    for item in _stream():
        assert in_redis.process(item) == in_memory.process(item), item.id
    kept = store._read_record.cache_info()
    assert kept.currsize == 3 and kept.hits > 0 and kept.misses > 3


def _cell_entries(client: redis.Redis, store: RedisDedupeStore) -> list[bytes]:
    return [v for v in client.hvals(store.keys["cells"])]


def _cell_seqs(value: bytes) -> list[int]:
    assert 0 < len(value) and len(value) % ENTRY_WIDTH == 0
    return [int.from_bytes(value[i + 4 : i + 8], "big") for i in range(0, len(value), ENTRY_WIDTH)]


def _dead_entries(client: redis.Redis, store: RedisDedupeStore) -> int:
    """Cell entries of evicted articles (a seq below tail), left for lazy removal."""
    tail = int(client.hget(store.keys["meta"], "tail") or 0)
    return sum(seq < tail for value in _cell_entries(client, store) for seq in _cell_seqs(value))


def _assert_consistent(client: redis.Redis, store: RedisDedupeStore) -> None:
    """Every live cell entry (seq from tail on) points at a stored article, a cell's entries
    are newest first (so an evicted article's, left for lazy removal, are its last), and the
    story counts add up to the stored articles."""
    records = set(client.hkeys(store.keys["rec"]))
    assert records == set(client.hkeys(store.keys["keys"]))
    tail = int(client.hget(store.keys["meta"], "tail") or 0)
    referenced: set[bytes] = set()
    for value in _cell_entries(client, store):
        seqs = _cell_seqs(value)
        assert seqs == sorted(seqs, reverse=True)
        referenced |= {seq.to_bytes(4, "big") for seq in seqs if seq >= tail}
    assert referenced <= records
    stories = client.hgetall(store.keys["story"])
    assert sum(int.from_bytes(v[:4], "big") for v in stories.values()) == len(records)
    assert set(client.hkeys(store.keys["outlets"])) <= set(stories)  # outlets leave with their story


def test_redis_state_is_bounded_by_count(stack, client: redis.Redis) -> None:
    prefix = f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:"
    config = DedupeConfig(max_signatures=6)
    store = RedisDedupeStore(client, prefix, StoreLimits(max_signatures=6))
    dedup = Deduplicator(store, config)
    reports = [r for pair in EVENTS for r in pair]
    for r in reports[:10]:
        dedup.process(DedupeInput(id=r.key, feed="f", url="", title=r.title, text=r.text))
        assert client.hlen(store.keys["rec"]) <= 6
        _assert_consistent(client, store)
    assert client.hlen(store.keys["rec"]) == 6  # the 4 oldest were removed, with all their entries
    assert client.hmget(store.keys["meta"], "head", "tail") == [b"10", b"4"]
    for name, key in store.keys.items():  # the second half of the frequencies is not used yet
        assert 0 < client.ttl(key) <= 7 * 86400 + 1 or (name == "df1" and not client.exists(key))
    first = dedup.process(DedupeInput(id="again", feed="f", url="", title=reports[0].title, text=reports[0].text))
    assert first.duplicate_of is None
    last = dedup.process(DedupeInput(id="again9", feed="f", url="", title=reports[9].title, text=reports[9].text))
    assert last.duplicate_of == reports[9].key


def test_redis_state_is_bounded_by_time_and_decides_like_memory(stack, client: redis.Redis) -> None:
    now = [1_700_000_000.0]
    limits = StoreLimits(window_seconds=100, sweep=3)
    config = DedupeConfig(window_seconds=100)
    store = RedisDedupeStore(client, f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:", limits, clock=lambda: now[0])
    in_redis = Deduplicator(store, config)
    in_memory = Deduplicator(InMemoryDedupeStore(limits, clock=lambda: now[0]), config)
    reports = [r for pair in EVENTS for r in pair]
    for step, r in enumerate(reports[:8]):
        now[0] += 15
        # seen_at given: without it each deduplicator reads its own clock, and the story's
        # outlets (with their first report) would differ by microseconds
        item = DedupeInput(id=r.key, feed=f"f{step % 3}", url="", title=r.title, text=r.text, seen_at=now[0])
        assert in_redis.process(item) == in_memory.process(item)
        copy = DedupeInput(
            id=f"{r.key}-copy",
            feed="g",
            url="",
            title=reports[step // 2].title,
            text=reports[step // 2].text,
            seen_at=now[0],
        )
        assert in_redis.process(copy) == in_memory.process(copy), (step, copy.id)
    assert client.hlen(store.keys["rec"]) == len(in_memory.store) < 8
    now[0] += 1000  # everything expired: a few inserts sweep it all
    for r in reports[8:12]:
        item = DedupeInput(id=r.key, feed="f", url="", title=r.title, text=r.text, seen_at=now[0])
        assert in_redis.process(item) == in_memory.process(item)
    assert client.hlen(store.keys["rec"]) == len(in_memory.store) == 4
    _assert_consistent(client, store)


def test_recording_a_stored_article_again_changes_nothing_in_redis(stack, client: redis.Redis) -> None:
    store = RedisDedupeStore(client, f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:")
    dedup = Deduplicator(store)
    item = _stream()[0]
    first = dedup.process(item)
    prepared = dedup.prepare(item)
    cells = client.hgetall(store.keys["cells"])
    assert store.record(prepared.record, prepared.query) == first.story_sources == 1
    assert client.hlen(store.keys["rec"]) == 1 and client.hgetall(store.keys["cells"]) == cells


def test_any_article_id_is_safe_in_redis(stack, client: redis.Redis) -> None:
    # ids with spaces, newlines, quotes: cell entries are fixed-width, never split on text
    prefix = f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:"
    store = RedisDedupeStore(client, prefix)
    in_redis = Deduplicator(store)
    in_memory = Deduplicator(InMemoryDedupeStore())
    odd = [
        DedupeInput(
            id=f"item {i} \n\t«{x.id}» ",
            feed=x.feed,
            url=x.url,
            title=x.title,
            text=x.text,
            published=x.published,
            seen_at=x.seen_at,
        )
        for i, x in enumerate(_stream())
    ]
    decisions = [(in_redis.process(item), in_memory.process(item)) for item in odd]
    assert all(r == m for r, m in decisions)
    assert sum(r.duplicate_of is not None for r, _ in decisions) >= 30
    assert {r.duplicate_of for r, _ in decisions if r.duplicate_of} <= {item.id for item in odd}
    _assert_consistent(client, store)


def test_stories_and_frequencies_in_redis_decide_like_in_memory(stack, client: redis.Redis) -> None:
    from tests.support.dedupe_corpus import corpus_item, corpus_stream

    store = RedisDedupeStore(client, f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:", StoreLimits(df_docs=20))
    in_redis = Deduplicator(store)
    in_memory = Deduplicator(InMemoryDedupeStore(StoreLimits(df_docs=20)))
    reports = corpus_stream()  # 46 articles: the frequencies' halves turn over twice
    decisions = [
        (in_redis.process(corpus_item(r, f"o{i % 3}")), in_memory.process(corpus_item(r, f"o{i % 3}")))
        for i, r in enumerate(reports)
    ]
    assert all(a == b for a, b in decisions)
    assert sum(a.story_reason is not None and a.duplicate_of is None for a, _ in decisions) >= 12
    assert client.hmget(store.keys["meta"], "dfn0", "dfn1") in ([b"20", b"6"], [b"6", b"20"])


def test_late_reports_joining_by_rarity_against_their_story_decide_like_in_memory(stack, client: redis.Redis) -> None:
    from tests.support.bridge_reports import BRIDGE_REPORTS
    from tests.support.dedupe_corpus import corpus_stream

    store = RedisDedupeStore(client, f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:")
    in_redis, in_memory = Deduplicator(store), Deduplicator(InMemoryDedupeStore())
    items = [
        DedupeInput(r.key, f"outlet-{i % 7}", "", r.title, r.text, None, 1.7e9) for i, r in enumerate(corpus_stream())
    ]
    items += [
        DedupeInput(f"bridge-{i}", f"bridge-outlet-{i}", "", title, text, None, 1.7e9)
        for i, (title, text) in enumerate(BRIDGE_REPORTS)
    ]
    decisions = [(in_redis.process(item), in_memory.process(item)) for item in items]
    assert all(a == b for a, b in decisions)
    assert len({a.story_id for a, _ in decisions[-len(BRIDGE_REPORTS) :]}) == 1


def test_redis_store_recovers_from_flushed_scripts_and_a_dropped_connection(stack, client: redis.Redis) -> None:
    prefix = f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:"
    name = f"dedupe-test-{uuid.uuid4().hex[:8]}"
    own = redis.Redis.from_url(stack.redis_url, client_name=name)  # its connections carry the name
    dedup = Deduplicator(RedisDedupeStore(own, prefix))
    items = _stream()
    assert dedup.process(items[0]).duplicate_of is None
    client.script_flush()  # as after a Redis restart
    second = dedup.process(items[1])  # the flood told by another outlet: the same story
    assert second.duplicate_of is None and (second.story_id, second.story_sources) == (items[0].id, 2)
    victims = [c["id"] for c in client.client_list() if c.get("name") == name]
    assert victims
    for victim in victims:  # the store's held connection dies
        client.client_kill_filter(_id=victim)
    again = dedup.process(DedupeInput(id="again", feed="z", url="", title=items[0].title, text=items[0].text))
    assert (again.duplicate_of, again.kind, again.story_sources) == (items[0].id, "exact-content", 3)


def test_ticker_wrapped_copies_and_story_outlets_in_redis_decide_like_in_memory(stack, client: redis.Redis) -> None:
    """Containment candidates (anchor keys, weighted ranks) and story outlets in the Lua
    scripts: the same decisions as in memory, both ways round."""
    text = "\n\n".join(AGENCY)
    wrapped = TICKER + "\n\n" + text + "\n\n" + TICKER
    for first, second in [(text, wrapped), (wrapped, text)]:
        prefix = f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:"
        in_redis = Deduplicator(RedisDedupeStore(client, prefix))
        in_memory = Deduplicator(InMemoryDedupeStore())
        items = [
            DedupeInput("a", "a-main", "https://www.alpha.example/1", AGENCY_TITLE, first, "2024-01-01T10:00:00Z"),
            DedupeInput("b", "a-other", "https://alpha.example/2", AGENCY_TITLE, second, "2024-01-01T10:05:00Z"),
            DedupeInput("c", "beta", "", "عاجل: " + AGENCY_TITLE, first, "2024-01-01T10:20:00Z"),
        ]
        decisions = []
        for item in items:
            decision = in_redis.process(item)
            assert decision == in_memory.process(item), item.id
            decisions.append(decision)
        assert (decisions[1].duplicate_of, decisions[1].kind) == ("a", "near")
        assert [(o.name, o.first_seen) for o in decisions[2].story_outlets] == [
            ("alpha.example", 1704103200.0),
            ("beta", 1704104400.0),
        ]
        assert decisions[2].story_sources == 3


def test_a_copy_of_a_filed_copy_in_redis_decides_like_in_memory_and_again_after_a_crash(
    stack, client: redis.Redis
) -> None:
    """A near copy is filed by insert.lua too (its feed and outlet counted once, not counted
    as a document): a copy of a site's copy is found through it, and the chain processed
    again (stored, decisions not kept: kill -9) gets the same decisions and files nothing."""
    store = RedisDedupeStore(client, f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:")
    in_redis = Deduplicator(store)
    in_memory = Deduplicator(InMemoryDedupeStore())
    items = [
        DedupeInput(key, key, url, copy_chain.TITLE, text, "2024-03-03T08:00:00Z", 1_709_452_800.0)
        for key, url, text in [
            ("a", "https://agency.example/desal", copy_chain.AGENCY_TEXT),
            ("b", "https://site-b.example/1234", copy_chain.SITE_COPY),
            ("c", "https://site-c.example/?p=99", copy_chain.COPY_OF_SITE_COPY),
        ]
    ]
    decisions = []
    for item in items:
        decision = in_redis.process(item)
        assert decision == in_memory.process(item), item.id
        decisions.append(decision)
    assert [(d.duplicate_of, d.kind, d.story_id) for d in decisions] == [
        (None, None, "a"),
        ("a", "near", "a"),
        ("a", "near", "a"),
    ]
    assert decisions[2].story_sources == 3 and len(decisions[2].story_outlets) == 3
    for item in items:
        assert in_redis.process(item) == in_memory.process(item), item.id
    assert client.hlen(store.keys["rec"]) == 3
    assert store.lookup(Lookup(None, None, [])).docs == 1
    _assert_consistent(client, store)


def test_anchors_filed_before_the_anchor_mix_are_still_found_for_one_window(
    stack, client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A store filled by a version that filed anchors by their plain hash: after the
    upgrade, lookups read those cells too for one window, so a copy inside a longer page
    still meets the original through its anchors; a store this version started does not."""
    text = "\n\n".join(AGENCY)
    wrapped = TICKER + "\n\n" + text + "\n\n" + TICKER
    original = DedupeInput("a", "alpha", "https://alpha.example/1", AGENCY_TITLE, text, "2024-01-01T10:00:00Z")
    copy = DedupeInput("b", "beta", "https://beta.example/2", AGENCY_TITLE, wrapped, "2024-01-01T10:05:00Z")
    anchors = [key for key in Deduplicator(InMemoryDedupeStore()).prepare(copy).query.buckets if key[0] == ANCHOR_TAG]
    assert anchors
    found = {}
    for mark in (None, "0"):
        prefix = f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:"
        meta = f"{prefix}dedupe:meta"
        with monkeypatch.context() as old_version:
            old_version.setattr(
                redis_store, "cell_sections", functools.partial(cells.cell_sections, plain_anchors=True)
            )
            Deduplicator(RedisDedupeStore(client, prefix)).process(original)
        client.hdel(meta, "plainanchors")  # the old version knew no such mark
        if mark is not None:
            client.hset(meta, "plainanchors", mark)  # as if this version had started the store
        upgraded = RedisDedupeStore(client, prefix)
        found[mark] = [c.id for c in upgraded.lookup(Lookup(None, None, anchors)).candidates]
        if mark is None:
            assert float(client.hget(meta, "plainanchors")) > 1_700_000_000  # a window from now
            decision = Deduplicator(upgraded).process(copy)
            assert (decision.duplicate_of, decision.kind) == ("a", "near")
    assert found == {None: ["a"], "0": []}


def test_a_store_this_version_starts_reads_no_pre_mix_anchors(stack, client: redis.Redis) -> None:
    prefix = f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:"
    text = "\n\n".join(AGENCY)
    Deduplicator(RedisDedupeStore(client, prefix)).process(
        DedupeInput("a", "alpha", "https://alpha.example/1", AGENCY_TITLE, text, "2024-01-01T10:00:00Z")
    )
    assert client.hget(f"{prefix}dedupe:meta", "plainanchors") == b"0"


def _band(group: int, value: int) -> bytes:
    return bytes((BAND_TAG, group)) + value.to_bytes(8, "big")


def _article(id_: str) -> StoredArticle:
    return StoredArticle(id_, "f", id_, 1_700_000_000.0, 10, np.arange(8, dtype=np.uint32))


def test_a_full_store_evicting_lazily_finds_a_live_copy_behind_dead_entries(
    stack, client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Evicted articles' entries stay in their cells, ranked above a live article sharing
    fewer keys: the lookup skips them (without spending its candidate limit on them) and
    still returns the live one; the next write of the cell drops them."""
    monkeypatch.setattr(redis_store, "SWEEP_CELLS", 0)  # keep them in place
    store = RedisDedupeStore(
        client, f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:", StoreLimits(max_signatures=5, max_candidates=1)
    )
    shared, more = _band(1, 7 << 56), _band(2, 9 << 56)
    shared_cell, more_cell = (cells.cell_sections([key], store.limits)[0] for key in (shared, more))
    for k in range(3):  # seqs 0-2, sharing two keys with the query
        store.record(_article(f"old{k}"), Lookup(None, None, [shared, more]))
    store.record(_article("pad"), Lookup(None, None, [_band(9, 1 << 56)]))  # seq 3
    store.record(_article("live"), Lookup(None, None, [shared]))  # seq 4, sharing one
    for k in range(3):  # seqs 5-7: 0-2 are evicted
        store.record(_article(f"other{k}"), Lookup(None, None, [_band(3 + k, 5 << 56)]))
    assert client.hget(store.keys["meta"], "tail") == b"3"
    assert _cell_seqs(client.hget(store.keys["cells"], shared_cell)) == [4, 2, 1, 0]
    assert _cell_seqs(client.hget(store.keys["cells"], more_cell)) == [2, 1, 0]
    found = store.lookup(Lookup(None, None, [shared, more]))
    assert [c.id for c in found.candidates] == ["live"]
    _assert_consistent(client, store)
    store.record(_article("new"), Lookup(None, None, [shared]))  # seq 8, evicting "pad"
    assert _cell_seqs(client.hget(store.keys["cells"], shared_cell)) == [8, 4]  # the dead ones dropped
    found = store.lookup(Lookup(None, None, [shared, more]))
    assert [c.id for c in found.candidates] == ["new"]  # newest first among equals


@pytest.mark.parametrize("sweep_cells", [redis_store.SWEEP_CELLS, 0])
def test_dead_entries_of_cells_never_written_again_are_swept(
    stack, client: redis.Redis, monkeypatch: pytest.MonkeyPatch, sweep_cells: int
) -> None:
    """Articles filed under many cells are evicted by articles filed under none of them:
    the sweep (SWEEP_CELLS cells per eviction) reclaims every dead entry within a bounded
    number of inserts; without it (0) they stay."""
    per_eviction = redis_store.SWEEP_CELLS
    monkeypatch.setattr(redis_store, "SWEEP_CELLS", sweep_cells)
    store = RedisDedupeStore(client, f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:", StoreLimits(max_signatures=20))
    rng = random.Random(3)
    for k in range(40):
        keys = [_band(rng.randrange(256), rng.getrandbits(64)) for _ in range(8)]
        store.record(_article(f"banded{k}"), Lookup(None, None, keys))
    assert client.object("encoding", store.keys["cells"]) == b"hashtable"  # HSCAN by cursor, not at once
    filled = client.hlen(store.keys["cells"])
    assert _band_entries(client, store) > 8 * 20  # the live ones, and dead ones
    # filed under their id only; two HSCAN cycles (the first may start mid-way)
    for k in range(2 * filled // per_eviction + 20):
        store.record(_article(f"plain{k}"), Lookup(None, None, []))
    _assert_consistent(client, store)  # no banded article is stored any more
    left = _band_entries(client, store)
    if sweep_cells:
        assert left == 0  # every band cell emptied and deleted
    else:
        assert left > 100


def _band_entries(client: redis.Redis, store: RedisDedupeStore) -> int:
    return sum(len(v) // ENTRY_WIDTH for c, v in client.hgetall(store.keys["cells"]).items() if c[0] == BAND_TAG)


def test_an_article_replayed_after_evictions_changes_nothing_and_an_evicted_one_is_stored_again(
    stack, client: redis.Redis, monkeypatch: pytest.MonkeyPatch
) -> None:
    """kill -9 after an insert, with evicted articles' entries still in the cells: the
    replay is a no-op; an evicted article processed again is stored anew (its dead id entry
    is not taken for a replay), deciding as the in-memory store does."""
    monkeypatch.setattr(redis_store, "SWEEP_CELLS", 0)  # evicted entries stay in their cells
    limits = StoreLimits(max_signatures=3)
    config = DedupeConfig(max_signatures=3)
    store = RedisDedupeStore(client, f"{stack.redis_prefix}{uuid.uuid4().hex[:6]}:", limits)
    in_redis = Deduplicator(store, config)
    in_memory = Deduplicator(InMemoryDedupeStore(limits), config)
    reports = [r for pair in EVENTS for r in pair]
    items = [
        DedupeInput(id=r.key, feed="f", url="", title=r.title, text=r.text, seen_at=1_700_000_000.0) for r in reports
    ]
    for item in items[:5]:
        assert in_redis.process(item) == in_memory.process(item)
    assert _dead_entries(client, store) > 0
    state = {name: client.dump(key) for name, key in store.keys.items()}
    prepared = in_redis.prepare(items[4])
    store.record(prepared.record, prepared.query)  # the last one again
    assert {name: client.dump(key) for name, key in store.keys.items()} == state
    again = in_redis.process(items[0])  # evicted: stored again
    assert again == in_memory.process(items[0]) and again.duplicate_of is None
    assert client.hlen(store.keys["rec"]) == 3
    _assert_consistent(client, store)
