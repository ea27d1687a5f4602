"""A copy is republished within days (DedupeConfig.copy_window_seconds): a ministry's
statement template filled in again for the next attack, months later, shares nearly every
sentence with the first filling, and is not a copy of it."""

from __future__ import annotations

from datetime import UTC, datetime

from streams.dedupe import DedupeConfig, DedupeDecision
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
