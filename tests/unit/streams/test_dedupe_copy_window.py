"""A copy is republished within days (DedupeConfig.copy_window_seconds): a ministry's
statement template filled in again for the next attack, months later, shares nearly every
sentence with the first filling, and is not a copy of it. An undated copy, filed as a version
of its original, takes the original's published time, so that such a filling cannot reach the
first one through it."""

from __future__ import annotations

from datetime import UTC, datetime

from streams.dedupe import DedupeConfig, DedupeDecision, DedupeInput, Deduplicator, InMemoryDedupeStore
from tests.support.copy_chain import AGENCY_TEXT, COPY_OF_SITE_COPY, SITE_COPY
from tests.support.copy_chain import TITLE as CHAIN_TITLE
from tests.support.dedupe_pair import SEEN_AT, second_decision

DAY = 86400.0
STATEMENT = (
    "أعربت وزارة الخارجية في جمهورية الساحل عن إدانتها الشديدة للهجوم الإرهابي الذي استهدف {target} "
    "في مدينة {place}، وأسفر عن سقوط عدد من القتلى والجرحى. وأكدت الوزارة في بيان لها رفضها الدائم "
    "لجميع أشكال العنف والإرهاب التي تستهدف زعزعة الأمن والاستقرار وتتنافى مع القيم والمبادئ "
    "الإنسانية. وأعربت الوزارة عن خالص تعازيها ومواساتها لأسر الضحايا ولحكومة {country} وشعبها، "
    "وتمنياتها بالشفاء العاجل لجميع المصابين. وجددت الوزارة دعوتها إلى تعزيز التعاون الدولي لمواجهة "
    "الإرهاب وتجفيف منابع تمويله، مؤكدة وقوف جمهورية الساحل إلى جانب الدول الشقيقة والصديقة."
)
FIRST = STATEMENT.format(target="مسجدا", place="الواحة الشرقية", country="بلاد النهرين")
NEXT_ATTACK = STATEMENT.format(target="قافلة أمنية", place="الوادي الكبير", country="بلاد الهضاب")
# the same statement as an agency republishes it: a dateline, one word changed
REPUBLISHED = "الساحل (وكالات) - " + FIRST.replace("الشديدة", "القوية")
TITLE = "الساحل تدين الهجوم الإرهابي"


def _iso(seconds: float) -> str:
    return datetime.fromtimestamp(seconds, UTC).isoformat()


def _second(first: str, second: str, days_apart: float | None, config: DedupeConfig | None = None) -> DedupeDecision:
    """The decision on ``second`` after ``first``; published ``days_apart`` later, or both
    without a published time (seen at the same moment) when None."""
    start = SEEN_AT
    published = (None, None) if days_apart is None else (_iso(start), _iso(start + days_apart * DAY))
    return second_decision(first, second, TITLE, published, (start, start + 1.0), config)


def test_without_times_the_texts_alone_take_the_next_filling_for_a_copy() -> None:
    # what the window is for: the two fillings differ only in a few words
    assert _second(FIRST, NEXT_ATTACK, None).duplicate_of == "first"


def test_the_same_template_filled_in_months_later_is_no_copy() -> None:
    decision = _second(FIRST, NEXT_ATTACK, 200)
    assert decision.duplicate_of is None and decision.kind is None


def test_a_republication_within_the_window_is_a_copy() -> None:
    for days in (0.2, 2, 6.9):
        decision = _second(FIRST, REPUBLISHED, days)
        assert (decision.duplicate_of, decision.kind) == ("first", "near"), days


def test_past_the_window_even_a_republication_is_written_anew() -> None:
    assert _second(FIRST, REPUBLISHED, 7.5).duplicate_of is None
    wider = DedupeConfig(copy_window_seconds=30 * DAY)
    assert _second(FIRST, REPUBLISHED, 7.5, wider).duplicate_of == "first"


def test_the_same_text_is_a_copy_whenever_it_comes() -> None:
    decision = _second(FIRST, FIRST, 200)
    assert (decision.duplicate_of, decision.kind) == ("first", "exact-content")


THIRD_ATTACK = STATEMENT.format(target="حافلة ركاب", place="السهل الغربي", country="بلاد الجزر")


def _replayed(title: str, articles: tuple[tuple[str, str, str | None], ...]) -> list[DedupeDecision]:
    """The decisions on ``articles`` (id, text, published or None), one store, all seen 400
    days after SEEN_AT, long after they were published (as an archive is replayed)."""
    dedup = Deduplicator(InMemoryDedupeStore())
    replayed_at = SEEN_AT + 400 * DAY
    return [
        dedup.process(DedupeInput(key, key, "", title, text, published, replayed_at + n))
        for n, (key, text, published) in enumerate(articles)
    ]


def test_an_undated_copy_takes_its_originals_time_so_a_later_filling_does_not_chain_through_it() -> None:
    # the first and the third published 112 days apart, the second undated (a page whose
    # date line cleaning cannot read)
    first, second, third = _replayed(
        TITLE,
        (
            ("first", FIRST, _iso(SEEN_AT)),
            ("second", NEXT_ATTACK, None),
            ("third", THIRD_ATTACK, _iso(SEEN_AT + 112 * DAY)),
        ),
    )
    # undated, the second filling cannot be told from a copy of the first (as above)
    assert (first.duplicate_of, second.duplicate_of) == (None, "first")
    # filed as a copy of the first, it was published when the first was (as far as the
    # store knows): the third, 112 days later, is a copy of neither
    assert (third.duplicate_of, third.kind) == (None, None)


def test_a_copy_of_the_undated_copy_dated_within_the_window_still_meets_it() -> None:
    """The time taken is the original's: a copy found only through the undated one
    (tests/support/copy_chain.py) and published two days after the original is found."""
    *_, last = _replayed(
        CHAIN_TITLE,
        (
            ("a", AGENCY_TEXT, _iso(SEEN_AT)),
            ("b", SITE_COPY, None),
            ("c", COPY_OF_SITE_COPY, _iso(SEEN_AT + 2 * DAY)),
        ),
    )
    assert (last.duplicate_of, last.story_reason) == ("a", "near duplicate of b (a copy of a)")
