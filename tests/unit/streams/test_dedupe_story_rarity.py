"""Rarity against a story: in a young stream, the names of an event told by several
outlets are soon in several stored articles, too many to count as rare; they are held by
that story alone, so a late report still joins it (texts written for these tests)."""

from __future__ import annotations

import pytest

from streams.dedupe import DedupeInput, Deduplicator, InMemoryDedupeStore
from streams.dedupe import stories as stories_module
from tests.support.bridge_reports import BRIDGE_REPORTS
from tests.support.dedupe_corpus import fill_young_stream


def _story_of_each_report() -> list[str]:
    dedup = Deduplicator(InMemoryDedupeStore())
    fill_young_stream(dedup, 1.7e9)  # the project's written corpus first
    return [
        dedup.process(DedupeInput(f"bridge-{i}", f"bridge-outlet-{i}", "", title, text, None, 1.7e9)).story_id
        for i, (title, text) in enumerate(BRIDGE_REPORTS)
    ]


def test_late_reports_of_one_event_join_its_story_in_a_young_stream() -> None:
    assert len(set(_story_of_each_report())) == 1


def test_without_rarity_against_the_story_the_late_reports_split(monkeypatch: pytest.MonkeyPatch) -> None:
    """The same stream with the story's own articles counted like any other: the case the
    rule is for (so the test above cannot pass by accident)."""
    monkeypatch.setattr(stories_module, "STORY_OWN_SHARE", 0.0)
    assert len(set(_story_of_each_report())) > 1
