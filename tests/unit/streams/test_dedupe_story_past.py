"""A dated report and a story whose dated reports are all long before it: the story's
undated reports do not carry it in (stories.best_story; story set 48, docs/dedupe.md).
Texts written for these tests (tests/support/bridge_reports.py)."""

from __future__ import annotations

from streams.dedupe import DedupeInput, Deduplicator, InMemoryDedupeStore
from tests.support.bridge_reports import BRIDGE_REPORTS
from tests.support.dedupe_corpus import fill_young_stream

# seen after every date below, as an archive replayed today is: an undated report's seen
# time bounds its date from above only, so it counts as close to each dated one
SEEN_AT = 1.8e9  # January 2027
FIRST_DAY = "2025-04-02T09:00:00Z"


def _story_of_last(last_published: str, first_published: str = FIRST_DAY) -> tuple[str, str]:
    """The story of the first bridge report (dated ``first_published``) and of the fourth
    (dated ``last_published``), with the second and third undated between them."""
    dedup = Deduplicator(InMemoryDedupeStore())
    fill_young_stream(dedup, SEEN_AT)
    stories = []
    for i, published in enumerate([first_published, None, None, last_published]):
        title, text = BRIDGE_REPORTS[i]
        decision = dedup.process(DedupeInput(f"bridge-{i}", f"bridge-outlet-{i}", "", title, text, published, SEEN_AT))
        stories.append(decision.story_id)
    assert stories[1] == stories[2] == stories[0], "the undated reports join the dated first one"
    return stories[0], stories[3]


def test_a_report_dated_within_the_window_joins_through_the_undated_reports() -> None:
    first, last = _story_of_last("2025-04-03T08:00:00Z")
    assert last == first


def test_a_report_dated_months_after_the_story_starts_its_own() -> None:
    first, last = _story_of_last("2026-02-20T12:00:00Z")
    assert last != first


def test_a_story_dated_long_after_the_report_is_still_joined() -> None:
    """Only an older story is refused: a date far after the report is more often a page
    header's clock than the day a report was published."""
    first, last = _story_of_last("2025-04-03T08:00:00Z", first_published="2026-02-20T12:00:00Z")
    assert last == first
