"""Dedupe: the seed expectations, each decision kind, folding, estimator, bounded store."""

from __future__ import annotations

import numpy as np
import pytest

from streams.dedupe import (
    DedupeConfig,
    Deduplicator,
    InMemoryDedupeStore,
    StoredArticle,
    StoreLimits,
)
from streams.dedupe.minhash import MinHasher, estimate_containment, estimate_jaccard
from streams.dedupe.profile import StoryProfile
from streams.dedupe.shingles import content_hash, dedupe_tokens, shingle_hashes
from tests.support.dedupe_corpus import EVENTS, SAME_ENTITIES, edits
from tests.support.dedupe_seeds import article, seed

# --- seeds (SEEDS_DIR-EXPECTED.md, "Duplicates and stories") ------------------------------------


def test_no_seed_is_a_duplicate_of_another() -> None:
    dedup = Deduplicator(InMemoryDedupeStore())
    for i, prefix in enumerate(["000", "001", "002", "003", "004"]):
        title, text = seed(prefix)
        decision = dedup.process(article(prefix, title, text, feed=f"outlet{i}", url=f"https://o{i}.example/{prefix}"))
        assert decision.duplicate_of is None, (prefix, decision)


def test_seed_004_under_another_url_and_with_its_body_collapsed_is_a_duplicate() -> None:
    dedup = Deduplicator(InMemoryDedupeStore())
    title, text = seed("004")
    first = dedup.process(article("004", title, text, feed="a", url="https://a.example/x"))
    again = dedup.process(article("004-again", title, text, feed="b", url="https://b.example/other"))
    # the body appears twice: keep each line once, as the cleaner does
    collapsed = "\n".join(dict.fromkeys(line for line in text.splitlines() if line.strip()))
    assert collapsed.strip() and len(collapsed) < 0.55 * len(text)
    once = dedup.process(article("004-once", title, collapsed, feed="c", url="https://c.example/y"))
    assert first.duplicate_of is None
    assert (again.duplicate_of, again.kind, again.similarity) == ("004", "exact-content", 1.0)
    assert once.duplicate_of == "004" and once.kind == "near" and once.similarity >= 0.9
    # outlets joining the story are counted, each once
    assert (first.story_sources, again.story_sources, once.story_sources) == (1, 2, 3)
    assert once.story_id == again.story_id == "004"


def test_seeds_000_and_002_share_a_story_when_dated() -> None:
    dedup = Deduplicator(InMemoryDedupeStore())
    t0, x0 = seed("000")
    t2, x2 = seed("002")
    first = dedup.process(article("000", t0, x0, feed="urdupoint", published="2021-12-07T00:00:00Z"))
    second = dedup.process(article("002", t2, x2, feed="other", published="2021-12-07T09:21:37Z"))
    assert second.duplicate_of is None
    assert second.story_id == first.story_id == "000"
    assert second.story_sources == 2
    assert second.story_reason.startswith("similarity ") and "with 000" in second.story_reason


# --- decision kinds ------------------------------------------------------------------------

BASE, REWRITE = EVENTS[0]


def test_exact_url_duplicate_after_canonicalization() -> None:
    dedup = Deduplicator(InMemoryDedupeStore())
    dedup.process(article("a", BASE.title, BASE.text, url="https://www.news.example/a/?utm_source=x"))
    decision = dedup.process(
        article("b", "other title", "a completely different body of text here", url="http://news.example/a#top")
    )
    assert (decision.duplicate_of, decision.kind) == ("a", "exact-url")
    assert decision.canonical_url == "https://news.example/a"


QUAKE = next(original for original, _ in EVENTS if original.key == "ar-quake")  # (it gives a toll)


@pytest.mark.parametrize(
    ("kind", "report"),
    [(kind, BASE) for kind in ("chrome", "title", "drop-middle", "drop-last", "respell", "combo", "doubled")]
    + [("toll", QUAKE)],
)
def test_each_edit_kind_is_a_duplicate_with_its_similarity(kind: str, report) -> None:
    import random

    dedup = Deduplicator(InMemoryDedupeStore())
    dedup.process(article(report.key, report.title, report.text))
    title, text = edits(report, random.Random(1))[kind]
    decision = dedup.process(article("copy", title, text, feed="g"))
    assert decision.duplicate_of == report.key
    assert decision.kind in ("near", "exact-content")
    assert 0.45 <= decision.similarity <= 1.0
    assert decision.story_id == report.key and decision.story_sources == 2


def test_the_same_words_with_another_amount_are_another_event_not_a_copy() -> None:
    """The content hash leaves figures out, yet a text that differs from one stored only
    in an amount is the template filled in for another event (the next aid package), not
    a copy: its alert must not be dropped as one."""
    words = (
        "أعلنت وزارة الدفاع في جمهورية أرجان عن حزمة مساعدات عسكرية جديدة لجارتها بقيمة {amount} مليون "
        "دولار، تشمل ذخائر مدفعية وصواريخ دفاع جوي وعربات مدرعة.\n"
        "وقال المتحدث باسم الوزارة إن الحزمة تأتي في إطار الدعم المتواصل، وإن التسليم يبدأ خلال أسابيع."
    )
    dedup = Deduplicator(InMemoryDedupeStore())
    title = "حزمة مساعدات عسكرية جديدة من أرجان"
    dedup.process(article("june", title, words.format(amount=250), published="2026-06-02T10:00:00Z"))
    again = dedup.process(article("july", title, words.format(amount=325), published="2026-07-01T10:00:00Z"))
    assert (again.duplicate_of, again.kind) == (None, None)
    # the same amount republished is a copy, as before
    copy = dedup.process(article("site", title, words.format(amount=325), published="2026-07-01T12:00:00Z"))
    assert (copy.duplicate_of, copy.kind) == ("july", "exact-content")


def test_updated_figure_keeps_the_content_hash() -> None:
    assert content_hash(dedupe_tokens("قتل 12 شخصا في 3 مدن")) == content_hash(dedupe_tokens("قتل 15 شخصا في 4 مدن"))


@pytest.mark.parametrize("pair", EVENTS, ids=[e[0].key for e in EVENTS])
def test_a_rewrite_by_another_outlet_is_not_a_duplicate(pair) -> None:
    original, rewrite = pair
    dedup = Deduplicator(InMemoryDedupeStore())
    dedup.process(article(original.key, original.title, original.text, published=original.published))
    decision = dedup.process(
        article(rewrite.key, rewrite.title, rewrite.text, feed="other", published=rewrite.published)
    )
    assert decision.duplicate_of is None and decision.kind is None and decision.similarity is None


@pytest.mark.parametrize("pair", SAME_ENTITIES, ids=[k for k, _ in SAME_ENTITIES])
def test_same_entities_different_event_stay_apart(pair) -> None:
    key, other = pair
    [base] = [e for e, _ in EVENTS if e.key == key]
    dedup = Deduplicator(InMemoryDedupeStore())
    dedup.process(article(base.key, base.title, base.text, published=base.published))
    decision = dedup.process(article(other.key, other.title, other.text, feed="other", published=other.published))
    assert decision.duplicate_of is None
    assert decision.story_id == other.key and decision.story_sources == 1 and decision.story_reason is None


def test_short_texts_need_a_close_match() -> None:
    dedup = Deduplicator(InMemoryDedupeStore())
    dedup.process(article("s1", "", "انفجار في ميناء بيروت"))
    assert dedup.process(article("s2", "", "انفجار فى ميناء بيروت")).duplicate_of == "s1"  # respelling
    assert dedup.process(article("s3", "", "حريق في ميناء طرابلس")).duplicate_of is None


def test_empty_articles_are_never_duplicates_of_each_other() -> None:
    dedup = Deduplicator(InMemoryDedupeStore())
    assert dedup.process(article("e1", "", "")).duplicate_of is None
    assert dedup.process(article("e2", "", "")).duplicate_of is None


# --- folding, shingles, estimator -----------------------------------------------------------


def test_dedupe_folding_erases_regional_spellings() -> None:
    assert dedupe_tokens("البنتاجون") == dedupe_tokens("البنتاغون") == dedupe_tokens("بنتاقون") == ["بنتاجون"]
    assert dedupe_tokens("ستولتنبرج في الأطلسى") == dedupe_tokens("ستولتنبرغ فى الاطلسي")
    assert dedupe_tokens("مسؤولة") == dedupe_tokens("مسوولة") == dedupe_tokens("مسؤوله")
    assert dedupe_tokens("Reuters 2024 ٢٠٢٥") == ["reuters", "0", "0"]


def test_a_compound_name_is_one_folding_written_in_one_word_or_two() -> None:
    assert dedupe_tokens("عبدالعزيز") == dedupe_tokens("عبد العزيز") == ["عبد", "عزيز"]
    assert dedupe_tokens("أبوظبي") == dedupe_tokens("أبو ظبي") == ["ابو", "ظبي"]
    assert dedupe_tokens("وأبوظبي") == dedupe_tokens("وأبو ظبي")
    assert dedupe_tokens("كنيسة أبوسيفين") == dedupe_tokens("كنيسة أبو سيفين")
    # no compound: doors, parents, a short word
    assert dedupe_tokens("أبواب وأبوابها أبوين أبوه") == ["ابواب", "وابوابها", "ابوين", "ابوه"]


def test_a_copy_that_writes_the_names_in_one_word_is_exact() -> None:
    """Same words, the compound names joined: the one folded text (an exact copy)."""
    text = "استقبل الأمير عبد العزيز بن سلمان في أبو ظبي وفدا برئاسة عبد الرحمن الحسيني لبحث التعاون."
    joined = text.replace("عبد العزيز", "عبدالعزيز").replace("أبو ظبي", "أبوظبي").replace("عبد الرحمن", "عبدالرحمن")
    dedup = Deduplicator(InMemoryDedupeStore())
    dedup.process(article("a", "", text))
    assert dedup.process(article("b", "", joined)).kind == "exact-content"


def test_shingles_are_ordered_word_ngrams() -> None:
    assert shingle_hashes(["a", "b", "c"], 3).size == 1
    assert shingle_hashes(["a", "b", "c", "d"], 3).size == 2
    assert not np.array_equal(shingle_hashes(["a", "b"], 2), shingle_hashes(["b", "a"], 2))
    assert shingle_hashes(["a", "b", "a", "b"], 2).size == 2  # a set: "a b" once
    assert shingle_hashes([], 3).size == 0


def test_minhash_estimate_is_close_to_true_jaccard() -> None:
    rng = np.random.default_rng(3)
    universe = rng.integers(0, 2**63, size=3000, dtype=np.uint64)
    a, b = universe[:2000], universe[1000:3000]  # |A∩B| = 1000, |A∪B| = 3000
    hasher = MinHasher(256)
    estimate = estimate_jaccard(hasher.signature(a), hasher.signature(b))
    assert abs(estimate - 1 / 3) < 0.08
    assert estimate_jaccard(hasher.signature(a), hasher.signature(a.copy())) == 1.0
    assert estimate_containment(1 / 3, 2000, 2000) == pytest.approx(0.5)
    assert estimate_containment(0.5, 1000, 2000) == pytest.approx(1.0)


def test_signatures_are_stable_across_instances() -> None:
    shingles = shingle_hashes(dedupe_tokens("نص ثابت للتحقق من التوقيع"), 3)
    assert np.array_equal(MinHasher(128).signature(shingles), MinHasher(128).signature(shingles))


def test_stored_article_round_trips() -> None:
    profile = StoryProfile([7, 2**32 - 1, 12345], [255, 1, 30], [(0, 1), (1, 2)])
    record = StoredArticle("id1", "feed", "story «ب»", 12.5, 40, np.arange(128, dtype=np.uint32), profile)
    back = StoredArticle.from_bytes(record.to_bytes())
    assert (back.id, back.feed, back.story_id, back.event_time, back.shingle_count) == (
        "id1",
        "feed",
        "story «ب»",
        12.5,
        40,
    )
    assert np.array_equal(back.signature, record.signature)
    assert back.profile == profile and back.profile.link_set == profile.link_set
    # an article that starts its own story does not store its id twice
    own = StoredArticle("غزو\n id", "f", "غزو\n id", 1.0, 3, np.zeros(128, dtype=np.uint32))
    again = StoredArticle.from_bytes(own.to_bytes())
    assert (again.id, again.story_id, again.profile) == (own.id, own.id, own.profile)
    assert len(own.to_bytes()) < len(StoredArticle(own.id, "f", "x", 1.0, 3, own.signature).to_bytes())


# --- bounded window -------------------------------------------------------------------------


def test_window_is_bounded_by_count() -> None:
    limits = StoreLimits(max_signatures=8)
    store = InMemoryDedupeStore(limits)
    dedup = Deduplicator(store, DedupeConfig(max_signatures=8))
    reports = [r for pair in EVENTS for r in pair]
    for r in reports[:12]:
        dedup.process(article(r.key, r.title, r.text))
        assert len(store) <= 8
    # the 4 oldest were removed, one by one, as the 9th to 12th arrived
    assert len(store) == 8
    assert dedup.process(article("again-0", reports[0].title, reports[0].text)).duplicate_of is None
    assert dedup.process(article("again-3", reports[3].title, reports[3].text)).duplicate_of is None
    # "again-0" and "again-3" were stored in turn, removing reports 4 and 5
    assert dedup.process(article("again-6", reports[6].title, reports[6].text)).duplicate_of == reports[6].key
    assert dedup.process(article("again-11", reports[11].title, reports[11].text)).duplicate_of == reports[11].key


def test_window_is_bounded_by_time() -> None:
    now = [1000.0]
    store = InMemoryDedupeStore(StoreLimits(window_seconds=100), clock=lambda: now[0])
    dedup = Deduplicator(store, DedupeConfig(window_seconds=100))
    dedup.process(article(BASE.key, BASE.title, BASE.text))
    now[0] += 60
    assert dedup.process(article("c1", BASE.title, BASE.text)).duplicate_of == BASE.key
    now[0] += 39.5
    assert dedup.process(article("c2", BASE.title, BASE.text)).duplicate_of == BASE.key  # 99.5 s old
    now[0] += 1
    # 100.5 s old: no longer found, although no insert has swept it yet
    assert len(store) == 1
    assert dedup.process(article("c3", BASE.title, BASE.text)).duplicate_of is None
    # that insert swept the expired original: only c3 remains
    assert len(store) == 1
    now[0] += 60
    assert dedup.process(article("c4", BASE.title, BASE.text)).duplicate_of == "c3"


def test_expired_articles_are_swept_a_few_per_insert() -> None:
    now = [1000.0]
    store = InMemoryDedupeStore(StoreLimits(window_seconds=100, sweep=3), clock=lambda: now[0])
    dedup = Deduplicator(store, DedupeConfig(window_seconds=100))
    reports = [r for pair in EVENTS for r in pair]
    for r in reports[:10]:
        dedup.process(article(r.key, r.title, r.text))
    now[0] += 200  # all ten expired
    dedup.process(article(reports[10].key, reports[10].title, reports[10].text))
    assert len(store) == 10 - 3 + 1
    dedup.process(article(reports[11].key, reports[11].title, reports[11].text))
    assert len(store) == 10 - 6 + 2


def test_recording_a_stored_article_again_changes_nothing() -> None:
    # a worker that crashed after storing an article processes it again
    store = InMemoryDedupeStore()
    dedup = Deduplicator(store)
    first = dedup.process(article(BASE.key, BASE.title, BASE.text, feed="a"))
    prepared = dedup.prepare(article(BASE.key, BASE.title, BASE.text, feed="a"))
    assert store.record(prepared.record, prepared.query) == first.story_sources == 1
    assert len(store) == 1
    assert store.lookup(prepared.query).content_match.id == BASE.key
