"""One article after another through a fresh in-memory dedupe store: the decision on the
second (for the tests of what makes a copy: months, countries, the copy window), or on each of
several reports (for the tests of what keeps two events' stories apart)."""

from __future__ import annotations

from collections.abc import Sequence

from streams.dedupe import DedupeConfig, DedupeDecision, DedupeInput, Deduplicator, InMemoryDedupeStore

SEEN_AT = 1.75e9


def second_decision(
    first: str,
    second: str,
    title: str,
    published: tuple[str | None, str | None] = (None, None),
    seen_at: tuple[float, float] = (SEEN_AT, SEEN_AT),
    config: DedupeConfig | None = None,
) -> DedupeDecision:
    """The decision on ``second`` (id "second") after ``first`` (id "first"), both under
    ``title``; without published times and seen at one moment unless told otherwise."""
    dedup = Deduplicator(InMemoryDedupeStore(), config or DedupeConfig())
    dedup.process(DedupeInput("first", "agency", "", title, first, published[0], seen_at[0]))
    return dedup.process(DedupeInput("second", "paper", "", title, second, published[1], seen_at[1]))


def decisions_in_order(
    reports: Sequence[tuple[str, str]], published: str | None = None, seen_at: float = 1_700_000_000.0
) -> list[DedupeDecision]:
    """The decision on each (title, text) report, fed in order to one fresh store: ids "r0",
    "r1", …, each from its own site, all with ``published`` and seen at one moment."""
    dedup = Deduplicator(InMemoryDedupeStore())
    return [
        dedup.process(DedupeInput(f"r{index}", f"site-{index}", "", title, text, published, seen_at))
        for index, (title, text) in enumerate(reports)
    ]
