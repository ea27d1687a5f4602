"""One decision per article: a redelivered article gets its first decision back (in memory;
the Redis path is covered by the stack tests)."""

from __future__ import annotations

from typing import Any

import pytest
import redis

from streams.dedupe import DedupeConfig, DedupeInput, Deduplicator, InMemoryDedupeStore, ReplaySafeDeduplicator
from tests.support.dedupe_seeds import article, seed


class DictDecisionLog:
    """The two Redis commands the replay guard uses, on a dict."""

    def __init__(self) -> None:
        self.values: dict[str, bytes] = {}
        self.expiries: dict[str, int] = {}

    def get(self, name: str) -> bytes | None:
        return self.values.get(name)

    def set(self, name: str, value: bytes, ex: int) -> Any:
        self.values[name], self.expiries[name] = value, ex
        return True

    # the batch path: one MGET, then one pipeline of SETs
    def mget(self, keys: list[str]) -> list[bytes | None]:
        self.round_trips += 1
        return [self.values.get(key) for key in keys]

    def pipeline(self, transaction: bool = True) -> DictDecisionLog.Pipeline:
        return DictDecisionLog.Pipeline(self)

    round_trips = 0
    fail_writes = 0

    class Pipeline:
        def __init__(self, log: DictDecisionLog) -> None:
            self.log, self.queued = log, []  # type: list[tuple[str, bytes, int]]

        def set(self, name: str, value: bytes, ex: int) -> Any:
            self.queued.append((name, value, ex))

        def execute(self) -> Any:
            self.log.round_trips += 1
            if self.log.fail_writes:
                self.log.fail_writes -= 1
                raise redis.ConnectionError("gone")
            for name, value, ex in self.queued:
                self.log.set(name, value, ex)


def _stream() -> list[DedupeInput]:
    title, text = seed("004")
    other_title, other_text = seed("001")
    return [
        article("first", title, text, feed="a", url="https://a.example/x"),
        article("copy", title, text, feed="b", url="https://b.example/y"),
        article("other", other_title, other_text, feed="c", url="https://c.example/z"),
    ]


def test_a_redelivered_article_gets_its_first_decision() -> None:
    config = DedupeConfig()
    log = DictDecisionLog()
    guarded = ReplaySafeDeduplicator(Deduplicator(InMemoryDedupeStore(), config), log, "t:", int(config.window_seconds))
    stream = _stream()
    first = [guarded.process(item) for item in stream]
    assert first[0].duplicate_of is None and first[1].duplicate_of == "first"
    # the whole stream delivered again (a crash before the offsets were committed)
    assert [guarded.process(item) for item in stream] == first
    assert set(log.values) == {f"t:dedupe:decision:{item.id}" for item in stream}
    assert set(log.expiries.values()) == {int(config.window_seconds)}


def test_without_the_guard_a_redelivery_can_be_decided_differently() -> None:
    """What the guard is for: the copy joined the first article's story since, so the first
    article, decided again, would report two sources instead of the one it had."""
    plain = Deduplicator(InMemoryDedupeStore())
    stream = _stream()[:2]
    first = [plain.process(item) for item in stream]
    again = plain.process(stream[0])
    assert (first[0].story_sources, again.story_sources) == (1, 2)


def _guarded(store: InMemoryDedupeStore | None = None) -> tuple[ReplaySafeDeduplicator, DictDecisionLog]:
    config = DedupeConfig()
    log = DictDecisionLog()
    inner = Deduplicator(store if store is not None else InMemoryDedupeStore(), config)
    return ReplaySafeDeduplicator(inner, log, "t:", int(config.window_seconds)), log


def test_a_batch_is_decided_as_one_by_one_with_two_round_trips_for_the_guard() -> None:
    stream = _stream()
    one_by_one, _ = _guarded()
    expected = [one_by_one.process(item) for item in stream]
    batched, log = _guarded()
    assert batched.process_many(stream) == expected
    assert log.round_trips == 2  # one MGET, one pipeline of SETs
    # delivered again, as a batch or alone: the first decisions, nothing written
    assert batched.process_many(stream) == expected
    assert log.round_trips == 3
    assert [batched.process(item) for item in stream] == expected


def test_an_article_delivered_twice_in_one_batch_gets_one_decision() -> None:
    first, copy, other = _stream()
    guarded, _ = _guarded()
    decisions = guarded.process_many([first, copy, first, other])
    assert decisions[2] == decisions[0] and decisions[0].duplicate_of is None  # type: ignore[union-attr]


class FlakyStore(InMemoryDedupeStore):
    """Redis goes away at the lookup of the article ``fail_on``, once."""

    def __init__(self, fail_on: str) -> None:
        super().__init__()
        self.fail_on, self.lookups = fail_on, 0

    def lookup(self, query: Any) -> Any:
        self.lookups += 1
        if self.lookups == 2 and self.fail_on:
            self.fail_on = ""
            raise redis.ConnectionError("gone")
        return super().lookup(query)


def test_a_batch_retried_after_redis_failed_keeps_the_decisions_made_before() -> None:
    stream = _stream()
    one_by_one, _ = _guarded()
    expected = [one_by_one.process(item) for item in stream]
    store = FlakyStore(fail_on="copy")
    guarded, log = _guarded(store)
    log.fail_writes = 1  # Redis is away for the batch's writes too
    with pytest.raises(redis.ConnectionError):
        guarded.process_many(stream)
    assert not log.values
    assert guarded.process_many(stream) == expected
    # the first article was not decided again: one lookup before the failure, one failed,
    # then the other two
    assert store.lookups == 4


def test_an_article_that_cannot_be_decided_does_not_stop_its_batch() -> None:
    first, copy, other = _stream()
    broken = DedupeInput(**{**first.__dict__, "id": "broken", "title": None})  # type: ignore[arg-type]
    guarded, log = _guarded()
    decisions = guarded.process_many([first, broken, other])
    assert isinstance(decisions[1], Exception)
    assert not isinstance(decisions[0], Exception) and not isinstance(decisions[2], Exception)
    assert set(log.values) == {"t:dedupe:decision:first", "t:dedupe:decision:other"}
