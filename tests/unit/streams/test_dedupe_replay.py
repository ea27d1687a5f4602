"""One decision per article: a redelivered article gets its first decision back (in memory;
the Redis path is covered by the stack tests)."""

from __future__ import annotations

from typing import Any

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
