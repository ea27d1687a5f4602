"""One article after another through a fresh in-memory dedupe store: the decision on the
second. For the tests of what makes a copy (months, countries, the copy window)."""

from __future__ import annotations

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
