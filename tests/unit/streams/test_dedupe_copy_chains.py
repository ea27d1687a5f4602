"""Near copies are filed too, so a later copy meets the closest version seen, not only the
first (issue 15: copies were missed when the first-seen version carried chrome or cuts).
Texts written for this project: tests/support/copy_chain.py."""

from __future__ import annotations

import numpy as np

from streams.dedupe import DedupeDecision, DedupeInput, Deduplicator, InMemoryDedupeStore
from streams.dedupe.store import Lookup, StoredArticle
from tests.support.copy_chain import AGENCY_TEXT, COPY_OF_SITE_COPY, SITE_COPY, TITLE


def item(key: str, text: str, url: str, feed: str = "") -> DedupeInput:
    return DedupeInput(key, feed or key, url, TITLE, text, "2024-03-03T08:00:00Z", 1_709_452_800.0)


AGENCY_ITEM = item("a", AGENCY_TEXT, "https://agency.example/2024/03/03/desal")
SITE_ITEM = item("b", SITE_COPY, "https://www.site-b.example/news/1234")
COPY_ITEM = item("c", COPY_OF_SITE_COPY, "https://site-c.example/?p=99")
CHAIN = (AGENCY_ITEM, SITE_ITEM, COPY_ITEM)


def documents(store: InMemoryDedupeStore) -> int:
    """Articles counted for document frequencies."""
    return store.lookup(Lookup(None, None, [])).docs


def test_a_copy_of_a_site_copy_is_found_through_it_and_names_the_first_version() -> None:
    store = InMemoryDedupeStore()
    agency, site, copy = map(Deduplicator(store).process, CHAIN)
    assert (agency.duplicate_of, agency.story_id) == (None, "a")
    assert (site.duplicate_of, site.kind, site.story_id) == ("a", "near", "a")
    # the site copy is filed (in the agency text's story), and the copy of it meets it
    assert (copy.duplicate_of, copy.kind, copy.story_id) == ("a", "near", "a")
    assert copy.story_reason == "near duplicate of b (a copy of a)"
    assert copy.story_sources == 3
    assert [o.name for o in copy.story_outlets] == ["agency.example", "site-b.example", "site-c.example"]
    assert len(store) == 3


def test_the_copy_of_the_site_copy_alone_is_not_a_copy_of_the_agency_text() -> None:
    """What makes the case: without the filed site copy there is nothing to find."""
    dedup = Deduplicator(InMemoryDedupeStore())
    dedup.process(AGENCY_ITEM)
    assert dedup.process(COPY_ITEM).duplicate_of is None


def test_a_filed_copy_counts_its_feed_and_outlet_once_and_is_not_a_document() -> None:
    store = InMemoryDedupeStore()
    dedup = Deduplicator(store)
    for article in CHAIN:
        dedup.process(article)
    edited = SITE_COPY.replace("اقرأ أيضا", "اقرأ المزيد")
    again = dedup.process(item("b2", edited, "https://site-b.example/news/1235", "b"))
    assert (again.duplicate_of, again.kind) == ("a", "near")
    assert again.story_sources == 3  # feeds a, b, c: b counted once
    assert [o.name for o in again.story_outlets] == ["agency.example", "site-b.example", "site-c.example"]
    # only the agency text counts for document frequencies: a copy's words are its original's
    assert documents(store) == 1


def test_an_exact_copy_of_a_filed_copy_names_the_first_version_and_is_not_filed() -> None:
    store = InMemoryDedupeStore()
    dedup = Deduplicator(store)
    for article in CHAIN:
        dedup.process(article)
    exact = dedup.process(item("d", SITE_COPY, "https://site-d.example/desal", "d"))
    assert (exact.duplicate_of, exact.kind, exact.story_id, exact.story_sources) == ("a", "exact-content", "a", 4)
    assert len(store) == 3


def test_processed_again_after_a_crash_the_chain_gets_its_decisions_and_nothing_is_filed_twice() -> None:
    """Stored, its decision not kept yet (kill -9 before the decision log was written): an
    article processed again must not become a copy of its own copies."""
    store = InMemoryDedupeStore()
    dedup = Deduplicator(store)
    first: list[DedupeDecision] = [dedup.process(article) for article in CHAIN]
    again = [dedup.process(article) for article in CHAIN]
    for before, after in zip(first, again):
        assert (after.duplicate_of, after.kind, after.similarity, after.story_id) == (
            before.duplicate_of,
            before.kind,
            before.similarity,
            before.story_id,
        )
    assert len(store) == 3 and documents(store) == 1


def test_a_stored_copy_keeps_the_first_version_it_goes_back_to() -> None:
    signature = np.arange(128, dtype=np.uint32)
    original = StoredArticle("b", "site-b", "a", 12.5, 40, signature)
    copy = StoredArticle("b", "site-b", "a", 12.5, 40, signature, copy_of="a «أ»")
    for record in (original, copy):
        back = StoredArticle.from_bytes(record.to_bytes())
        assert (back.id, back.feed, back.story_id, back.copy_of) == (record.id, record.feed, "a", record.copy_of)
        assert (back.signature == signature).all()
    # an original is stored as before copies were filed; a copy adds its first version
    assert len(copy.to_bytes()) - len(original.to_bytes()) == 4 + len("a «أ»".encode())
