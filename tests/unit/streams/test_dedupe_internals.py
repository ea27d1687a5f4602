"""Dedupe internals made fast for the stream: each fast path equals its plain definition,
and the fixed-width keys that workers share are stable and safe for any article id."""

from __future__ import annotations

import re
import sys
from datetime import UTC

import numpy as np
import pytest

from streams.dedupe import DedupeInput, Deduplicator, InMemoryDedupeStore, StoredArticle
from streams.dedupe.cells import (
    CELL_WIDTH,
    SLOT_WIDTH,
    article_slot,
    bucket_blob,
    cell_sections,
)
from streams.dedupe.core import story_bucket_key
from streams.dedupe.lsh import KEY_WIDTH, band_keys
from streams.dedupe.memo import BoundedMemo
from streams.dedupe.minhash import MinHasher, estimate_jaccard, estimate_jaccard_many
from streams.dedupe.profile import StoryProfile
from streams.dedupe.shingles import (
    content_terms,
    dedupe_tokens,
    dedupe_word,
    extract_features,
    number_terms,
)
from streams.dedupe.store import ANCHOR_TAG, StoreLimits
from streams.dedupe.stories import (
    MIN_SHARED_UNITS,
    PROFILE_TERMS,
    best_story,
    similarity,
    story_vector,
)
from streams.event_time import event_time
from streams.textnorm import fold
from tests.support.dedupe_seeds import seed
from tests.support.stack import SEEDS_DIR


def _tokens_by_definition(text: str) -> list[str]:
    """Glue each «و» written apart to the next word, fold the whole text, read «ر» between
    digits as a decimal mark, split it into words, fold each word for dedupe."""
    text = re.sub(r"(?<!\S)و\s+(?=\S)", "و", text)
    folded = re.sub(r"(?<=\d)ر(?=\d)", ".", fold(text))
    return [dedupe_word(w) for w in re.findall(r"\w+", folded)]


# --- tokens: memoized chunks equal folding the whole text --------------------------------------


@pytest.mark.parametrize(
    "text",
    [
        "قالَ المتحدثُ، إنّ «البنتاغون» لم يُعلّق.",  # diacritics, shadda, Arabic punctuation
        "الـــرئيس\u200cالأمريكي\u00a0وصل\u2028امس",  # tatweel, ZWNJ inside a word, NBSP, line separator
        "ﻻ ﺑﺪ من ﷺ قوله ﷽",  # presentation forms, ligatures that fold to several words
        "قتل 12 شخصا\tفي ٣ مدن\r\nو(تستمر)...",  # digits of both systems, tab, CRLF, brackets
        "Reuters—REUTERS  said:  'x_y' ١٢٫٥٪",
        "بلغت 9ر8٪ و قد ارتفعت و و من ر9 9ر و",  # the «ر» decimal, «و» apart (twice, last)
        "",
        "   \n ",
    ],
)
def test_dedupe_tokens_equal_folding_the_whole_text(text: str) -> None:
    assert dedupe_tokens(text) == _tokens_by_definition(text)


def test_dedupe_tokens_equal_folding_the_whole_text_on_the_seeds() -> None:
    texts = [path.read_text(encoding="utf-8") for path in sorted(SEEDS_DIR.glob("*.txt"))]
    assert len(texts) == 5
    for text in texts:
        assert dedupe_tokens(text) == _tokens_by_definition(text)


def test_a_decimal_and_a_conjunction_read_alike_however_they_are_typed() -> None:
    assert dedupe_tokens("بلغت 9ر8 ٪ و قد ارتفعت") == dedupe_tokens("بلغت 8،9 ٪ وقد ارتفعت")
    assert dedupe_tokens("بلغت 8،9 ٪ وقد ارتفعت") == dedupe_tokens("بلغت 8.9 ٪ وقد ارتفعت")


def test_every_whitespace_character_folds_to_whitespace() -> None:
    # what makes chunking the text at whitespace equal to folding it whole
    whitespace = [chr(c) for c in range(sys.maxunicode + 1) if not 0xD800 <= c <= 0xDFFF and chr(c).isspace()]
    assert len(whitespace) > 20
    for ch in whitespace:
        folded = fold(ch)
        assert folded and folded.isspace(), hex(ord(ch))


def test_bounded_memo_computes_missing_values_and_stays_bounded() -> None:
    calls: list[str] = []
    memo: BoundedMemo[str, int] = BoundedMemo(lambda key: calls.append(key) or len(key), limit=3)
    assert [memo[k] for k in ["a", "bb", "a", "ccc"]] == [1, 2, 1, 3]
    assert calls == ["a", "bb", "ccc"]  # "a" computed once
    for key in ["dddd", "eeeee", "ffffff", "g"]:
        assert memo[key] == len(key)
        assert len(memo) <= 3


def test_story_counts_weigh_title_words_extra() -> None:
    features = extract_features("بركان جزيرة", "زلزال بركان زلزال حمم جزيرة حمم سكان", 3)
    # title words count double: بركان 1+1+2, جزيرة 1+1+2, then زلزال 2, حمم 2, سكان 1
    assert features.story_counts == {"بركان": 4, "جزيره": 4, "زلزال": 2, "حمم": 2, "سكان": 1}
    assert content_terms(["في", "0", "ab", "abc", "قوات"]) == ["abc", "قوات"]


def test_figures_are_story_terms_in_any_digits_without_years() -> None:
    text = "قتل 27 شخصا و٣ آخرين بزلزال قوته 6.1 عام 2024، وتضرر 12,000 منزل و١٢٫٥٠ كيلومترا، وطائرة A380 و ب27"
    assert number_terms(text) == ["#27", "#6.1", "#12000", "#12.5", "#27"]
    assert number_terms("لا أرقام هنا") == []


def test_name_particles_do_not_break_a_name_and_function_words_do() -> None:
    features = extract_features("فيصل بن فرحان في طهران", "وصل الأمير فيصل بن فرحان إلى طهران اليوم", 3)
    links = features.story_links({"فيصل", "فرحان", "طهران", "امير", "وصل"})
    assert ("فيصل", "فرحان") in links and ("امير", "فيصل") in links
    assert not {("فرحان", "طهران"), ("طهران", "فرحان")} & links  # في and إلى separate them


# --- MinHash and LSH ----------------------------------------------------------------------------


def test_signature_is_the_high_half_of_each_permutations_minimum() -> None:
    hasher = MinHasher(16)
    shingles = np.array([3, 2**63 + 5, 12345678901234567, 2**64 - 1], dtype=np.uint64)
    mask = 2**64 - 1
    expected = [min(((int(a) * int(x) + int(b)) & mask) >> 32 for x in shingles) for a, b in zip(hasher._a, hasher._b)]
    assert hasher.signature(shingles).tolist() == expected
    assert hasher.signature(np.empty(0, dtype=np.uint64)).tolist() == [0xFFFFFFFF] * 16


def test_jaccard_estimates_in_bulk_equal_one_by_one() -> None:
    rng = np.random.default_rng(7)
    mine = rng.integers(0, 50, size=128, dtype=np.uint32)
    others = [rng.integers(0, 50, size=128, dtype=np.uint32) for _ in range(5)] + [mine.copy()]
    assert estimate_jaccard_many(mine, others) == [estimate_jaccard(mine, o) for o in others]
    assert estimate_jaccard_many(mine, others)[-1] == 1.0
    assert estimate_jaccard_many(mine, []) == []
    assert estimate_jaccard_many(mine, [mine[:64]]) == [0.0]  # unequal lengths never match


def test_band_keys_are_fixed_width_and_stable_across_processes() -> None:
    signature = np.arange(128, dtype=np.uint32)
    keys = band_keys(signature, 32, b"d")
    assert len(keys) == 32 and {len(k) for k in keys} == {KEY_WIDTH}
    assert len(set(keys)) == 32
    # pinned values: every worker (and every version sharing a Redis) must compute these
    assert keys[0].hex() == "6400d971259bd7f10f98"
    assert keys[31].hex() == "641fd8453dcea2545732"
    assert story_bucket_key("غزو").hex() == "73a40867742a48115e82"


def test_a_changed_row_changes_only_its_bands_key() -> None:
    signature = np.arange(128, dtype=np.uint32)
    changed = signature.copy()
    changed[9] += 1  # row 9 is in band 2 (4 rows per band)
    before, after = band_keys(signature, 32, b"d"), band_keys(changed, 32, b"d")
    assert [i for i in range(32) if before[i] != after[i]] == [2]
    with pytest.raises(ValueError):
        band_keys(signature, 30, b"d")
    with pytest.raises(ValueError):
        band_keys(signature, 32, b"dd")


# --- stories ------------------------------------------------------------------------------------


def _stored(key: str, story: str, when: float, counts: dict[str, int], links=()) -> StoredArticle:
    profile = story_vector(counts, links, {}, 0).profile()
    return StoredArticle(key, "f", story, when, 10, np.zeros(4, dtype=np.uint32), profile)


def test_best_story_names_the_closest_story_and_the_shared_units() -> None:
    near = _stored("b", "story-b", 100.0, {"زلزال": 2, "تركيا": 1, "ضحايا": 1, "انقاذ": 1, "مدينه": 1})
    weaker = _stored("c", "story-c", 100.0, {"زلزال": 1, "تركيا": 1, "ضحايا": 1, "حدود": 1, "لاجيين": 1})
    far = _stored("d", "story-d", 100.0 + 10 * 86400, {"زلزال": 2, "تركيا": 1, "ضحايا": 1, "انقاذ": 1})
    vector = story_vector({"زلزال": 3, "تركيا": 2, "ضحايا": 1, "انقاذ": 1, "مستشفي": 1}, (), {}, 0)
    link = best_story(vector, 100.0 + 3600, [weaker, near, far], threshold=0.17, per_day=0.03, window_seconds=3 * 86400)
    assert link is not None
    assert (link.story_id, link.via) == ("story-b", "b")
    assert set(link.shared_units) == {"زلزال", "تركيا", "ضحايا", "انقاذ"} and link.shared_units[0] == "زلزال"
    assert link.similarity == pytest.approx(similarity(vector, near.profile)[0])
    assert link.similarity > similarity(vector, weaker.profile)[0] > 0
    assert link.needed == pytest.approx(0.17 + 0.03 / 24) and link.hours_apart == pytest.approx(1.0)
    assert link.reason.startswith(f"similarity {link.similarity:.2f} with b (1.0 h apart, needs 0.17); shared: زلزال")
    # fewer shared units than MIN_SHARED_UNITS never join, however close
    two = story_vector({"زلزال": 3, "تركيا": 2}, (), {}, 0)
    assert (
        MIN_SHARED_UNITS == 3
        and best_story(two, 100.0, [near], threshold=0.0, per_day=0.0, window_seconds=86400) is None
    )


def test_a_name_shared_as_a_run_of_words_counts_once() -> None:
    # both name the bank in three consecutive words; they share one more word
    name = (("بنك", "مركزي"), ("مركزي", "اردني"))
    counts = {"بنك": 2, "مركزي": 2, "اردني": 2, "بيان": 1}
    bank_a = story_vector({**counts, "فايده": 2, "نجطه": 1}, name, {}, 0)
    bank_b = _stored("b", "b", 0.0, {**counts, "ورجه": 2, "نجديه": 1}, name)
    score, units = similarity(bank_a, bank_b.profile)
    assert len(units) == 2 and sorted(len(unit) for unit in units) == [1, 3]
    scattered = _stored("c", "c", 0.0, {**counts, "ورجه": 2, "نجديه": 1})  # the same words, not as a run
    loose, loose_units = similarity(bank_a, scattered.profile)
    assert len(loose_units) == 4 and loose > score
    assert best_story(bank_a, 0.0, [bank_b], threshold=0.0, per_day=0.0, window_seconds=86400) is None


# --- ids: any article id is safe ----------------------------------------------------------------


def test_article_slots_are_fixed_width_for_any_id() -> None:
    ids = ["a b", "a  b", "a\nb", "", "x" * 5000, "غزو أوكرانيا 2024", "a\x00b"]
    slots = [article_slot(i) for i in ids]
    assert {len(s) for s in slots} == {SLOT_WIDTH}
    assert len(set(slots)) == len(ids)
    assert article_slot("a b").hex() == "bb37dea5c027f928"


def test_cells_are_fixed_width_stable_and_alike_for_one_key_and_many() -> None:
    limits = StoreLimits()
    keys = band_keys(np.arange(128, dtype=np.uint32), 32, b"d") + [story_bucket_key("غزو"), b"u\x00" + bytes(range(8))]
    cells, fingerprints, keep = cell_sections(keys, limits)
    assert (len(cells), len(fingerprints), len(keep)) == (CELL_WIDTH * 34, 4 * 34, 34)
    assert list(keep) == [0] * 32 + [limits.bucket_size, 1]
    for i, key in enumerate(keys):  # the numpy path (many keys) equals the plain one (a few)
        assert cell_sections([key], limits) == (
            cells[5 * i : 5 * i + 5],
            fingerprints[4 * i : 4 * i + 4],
            keep[i : i + 1],
        )
    # a band's number is part of its cell: the same hash in two bands never shares a cell
    assert cells[0:1] == b"d" and cells[5:6] == b"d" and cells[1:5] != cells[6:10]
    # pinned: every worker (and every version sharing a Redis) must file keys alike
    assert (cells[:5] + fingerprints[:4]).hex() == "6400006cb892cdebf8"
    assert limits.cell_bits(ord("d")) == 15 and limits.cell_bits(ord("s")) == 18


# an anchor key's cell, fingerprint and count kept, mixed and as filed before the mix
# (12345 >> 44 = cell 0, (12345 >> 12) & 0xFFFFFFFF = fingerprint 3)
MIXED_ANCHOR_PIN = "61000a12ce22b4ed9904"
PLAIN_ANCHOR_PIN = "61000000000000000304"


def test_anchor_cells_spread_over_all_cells_and_the_pre_mix_cells_stay_as_they_were() -> None:
    """Anchors are an article's smallest shingle hashes: filed by their top bits they would
    all sit in the lowest cells; mixed, they spread like any other key."""
    limits = StoreLimits()
    bits = limits.cell_bits(ANCHOR_TAG)
    rng = np.random.default_rng(3)
    smallest = np.sort(rng.integers(0, 2**63, 20_000, dtype=np.uint64) * np.uint64(2))[:400]
    keys = [bytes((ANCHOR_TAG, 0)) + int(h).to_bytes(8, "big") for h in smallest]

    def cell_numbers(cells: bytes) -> list[int]:
        return [int.from_bytes(cells[i + 1 : i + CELL_WIDTH], "big") for i in range(0, len(cells), CELL_WIDTH)]

    mixed, plain = cell_sections(keys, limits), cell_sections(keys, limits, plain_anchors=True)
    assert max(cell_numbers(plain[0])) < 2**bits // 32  # crowded into the lowest cells
    assert max(cell_numbers(mixed[0])) > 2**bits // 2 and min(cell_numbers(mixed[0])) < 2**bits // 8
    assert len(set(cell_numbers(mixed[0]))) >= 395
    for sections, plain_anchors in ((mixed, False), (plain, True)):
        for i, key in enumerate(keys[:6]):  # the numpy path equals the plain one
            assert cell_sections([key], limits, plain_anchors=plain_anchors) == (
                sections[0][5 * i : 5 * i + 5],
                sections[1][4 * i : 4 * i + 4],
                sections[2][i : i + 1],
            )
    # only anchors move: other keys file as before
    others = band_keys(np.arange(8, dtype=np.uint32), 8, b"d") + [story_bucket_key("غزو")]
    assert cell_sections(others, limits) == cell_sections(others, limits, plain_anchors=True)
    # pinned: every worker sharing a Redis must file anchors alike, and find the old ones
    key = bytes((ANCHOR_TAG, 0)) + (12345).to_bytes(8, "big")
    assert b"".join(cell_sections([key], limits)).hex() == MIXED_ANCHOR_PIN
    assert b"".join(cell_sections([key], limits, plain_anchors=True)).hex() == PLAIN_ANCHOR_PIN


def test_bucket_keys_of_another_width_are_refused() -> None:
    assert bucket_blob([b"d" * KEY_WIDTH, b"s" * KEY_WIDTH]) == b"d" * KEY_WIDTH + b"s" * KEY_WIDTH
    with pytest.raises(ValueError, match="bytes each"):
        bucket_blob([b"s" + "غزو".encode()])


def test_ids_with_spaces_decide_as_any_other_id_in_memory() -> None:
    dedup = Deduplicator(InMemoryDedupeStore())
    text = "أعلنت وزارة الصحة اليوم عن افتتاح مستشفى جديد في مدينة الزرقاء يضم مئتي سرير وقسما للطوارئ"
    first = dedup.process(DedupeInput("id with spaces", "f1", "", "مستشفى جديد", text))
    again = dedup.process(DedupeInput("another id\nwith a newline", "f2", "", "مستشفى جديد", text))
    assert first.duplicate_of is None
    assert (again.duplicate_of, again.kind, again.story_id) == ("id with spaces", "exact-content", "id with spaces")


def test_event_time_of_a_date_without_time_of_day_is_its_noon() -> None:
    from datetime import datetime

    noon = datetime(2021, 12, 7, 12, tzinfo=UTC).timestamp()
    assert event_time("2021-12-07", 0.0) == noon
    assert event_time("2021-12-07T09:21:37", 0.0) == noon - (2 * 3600 + 38 * 60 + 23)
    assert event_time("2021-12-07T00:00:00Z", 0.0) == noon - 12 * 3600  # an explicit midnight stays
    assert event_time(None, 5.0) == 5.0 and event_time("not a date", 5.0) == 5.0


# --- the worker's per-article shortcuts (issue 18): each decides as what it skips --------------


def test_no_copy_is_found_below_the_estimate_under_which_candidates_are_skipped() -> None:
    deduplicator = Deduplicator(InMemoryDedupeStore())
    least = deduplicator.least_copy_estimate
    signature = np.arange(128, dtype=np.uint32)
    # values holding every minimum of the stored article: containment at its most likely
    held_all = signature.reshape(1, -1)
    accepted = []
    for size in (5, 11, 12, 40, 400, 4000):
        for other_size in (5, 12, 100, 800, 8000, 20_000, 80_000):
            record = StoredArticle("a", "f", "a", 0.0, size, signature)
            other = StoredArticle("b", "f", "b", 0.0, other_size, signature)
            for held in range(129):
                estimate = held / 128
                if deduplicator.is_near_duplicate(record, other, estimate, lambda: held_all) is not None:
                    assert estimate >= least, (size, other_size, held)
                    accepted.append(estimate)
    assert min(accepted) < 0.02  # a text inside a 20 times longer one: the lowest that counts


def test_stored_profiles_read_back_alike_for_every_term_count() -> None:
    for n in range(PROFILE_TERMS + 1):
        terms = [(i * 2654435761) % 2**32 for i in range(1, n + 1)]
        known = n % 2 == 0
        links = [(i, i + 1) for i in range(n - 1)]
        profile = StoryProfile(terms, [1 + i * 5 % 255 for i in range(n)], links, [(7, 12.5)], time_known=known)
        again, end = StoryProfile.from_bytes(b"x" + profile.to_bytes(), 1)
        assert again.time_known is known  # read from the stored flags before the rest is parsed
        assert again.terms == tuple(terms) and again.links == tuple(links)
        assert again == profile and end == 1 + len(profile.to_bytes())


_STORED_FIELDS = (
    "terms",
    "weights",
    "weight_of",
    "norm",
    "links",
    "facts",
    "actions",
    "years",
    "months",
    "countries",
    "report_day",
    "time_known",
)


@pytest.mark.parametrize("first", _STORED_FIELDS)
def test_a_stored_profile_read_in_parts_reads_alike_whichever_part_is_asked_first(first: str) -> None:
    """A stored profile is read in parts (its vector, its weight table, the entries after
    its links), each when first asked: whatever is asked first, every field reads as
    written, and the bytes written again are those read."""
    profile = StoryProfile(
        [11, 2**32 - 2, 305, 4096],
        [255, 3, 40, 128],
        [(0, 1), (2, 3)],
        [(9, 1.5), (9, 250.0), (77, 3.0)],
        time_known=False,
        actions=0b101,
        years=(2022, 2024),
        months=(2, 11),
        countries=(5, 17),
        report_day=4,
    )
    stored = profile.to_bytes()
    again, end = StoryProfile.from_bytes(b"xy" + stored, 2)
    assert end == 2 + len(stored)
    asked_first = getattr(again, first)
    for name in _STORED_FIELDS:
        assert getattr(again, name) == getattr(profile, name), name
    assert asked_first == getattr(profile, first)
    assert again == profile and again.to_bytes() == stored
    assert (again.facts, again.actions, again.years) == (
        ((9, 1.5), (9, 250.0), (77, 3.0)),
        0b101,
        frozenset({2022, 2024}),
    )


def test_story_links_equal_neighbours_both_chosen() -> None:
    _, text = seed("001")
    features = extract_features(text.splitlines()[0], text, 3)
    words = sorted(features.story_counts)
    for step in (1, 2, 3, 7):
        chosen = set(words[::step])
        plain = {
            (a, b) for kept in features.linked_words for a, b in zip(kept, kept[1:]) if a in chosen and b in chosen
        }
        assert features.story_links(chosen) == plain
    # three chosen in a row give both pairs
    row = extract_features("", "زلزال بركان حمم", 3)
    assert row.story_links(set(row.body_tokens)) == {("زلزال", "بركان"), ("بركان", "حمم")}
