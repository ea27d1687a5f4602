"""A news ticker's items stamped with their clock time and cut with a "more" link
(streams.clean_teasers), on pages written for these tests; they reproduce what the fifth
and sixth held-out cleaner sets showed (docs/cleaning.md, "Timed teasers")."""

from __future__ import annotations

import pytest

from streams.clean_teasers import TEASER, is_timed_teaser
from streams.textnorm import fold
from tests.support.cleaning import aside_texts, clean_lines

PROSE_1 = "أعلنت وزارة المالية مساء الأحد موازنة العام المقبل، وقالت إن العجز سيتراجع إلى أقل من ثلاثة في المئة."
PROSE_2 = "وأضاف الوزير في مؤتمر صحفي أن الحكومة ستخفض الإنفاق على الدعم تدريجيا خلال السنوات الثلاث المقبلة."
# items longer than a headline: a run of headlines ends at each of them
TICKER = [
    "أحدث الأخبار",
    "• 12:27 . افتتاح معرض الكتاب الدولي في دورته الجديدة بمشاركة مئات الناشرين... المزيد",
    "• 11:17 . وزير الخارجية يصل إلى العاصمة في زيارة رسمية تستمر يومين لبحث العلاقات الثنائية وملفات المنطقة... المزيد",
    "• 10:50 . المنتخب يتأهل إلى نصف النهائي بعد فوز مثير بركلات الترجيح على منافسه في مباراة امتدت إلى الأشواط الإضافية... المزيد",
    "• 09:04 . ارتفاع أسعار الوقود في السوق المحلية مع بداية الشهر بسبب صعود أسعار النفط عالميا وتراجع المخزون... المزيد",
    "• 08:21 .",
]


@pytest.mark.parametrize(
    "line",
    [
        "• 09:14 . وزير المالية يعلن موازنة العام المقبل بعجز أقل من المتوقع... المزيد",
        "10:05 - ارتفاع أسعار الذهب في السوق المحلية… اقرأ المزيد",
        "08:40 ص | Markets open higher after the rate decision... Read more",
        "• 12:31 .",
        "23:59",
    ],
)
def test_timed_items(line: str) -> None:
    assert is_timed_teaser(fold(line))


@pytest.mark.parametrize(
    "line",
    [
        # a live report's timed entry: the time, no "more" link
        "10:30 - قال الوزير إن القوات تقدمت نحو المدينة",
        # a feed summary cut with "more": the link, no time
        "وأضاف أن الاجتماع سيعقد الأسبوع المقبل... المزيد",
        # a score and a sentence about a time
        "انتهت المباراة عند الدقيقة 90:00 بالتعادل... المزيد من التفاصيل لاحقا",
        "24:10",
    ],
)
def test_lines_that_are_no_timed_item(line: str) -> None:
    assert not is_timed_teaser(fold(line))


def test_a_ticker_of_timed_items_after_the_article_is_removed_whole() -> None:
    article = clean_lines(PROSE_1, PROSE_2, *TICKER)
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert aside_texts(article) == []
    assert [line.text for line in article.removed] == TICKER


def test_timed_items_without_a_label_are_removed_one_by_one() -> None:
    """No list label heads them: each item is recognised on its own, by its time and its link."""
    article = clean_lines(PROSE_1, PROSE_2, *TICKER[1:])
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
    assert [line.text for line in article.removed] == TICKER[1:]
    assert {line.reason for line in article.removed} == {TEASER}


def test_a_timed_item_among_headlines_keeps_the_run_going() -> None:
    headlines = ["ارتفاع أسعار القمح في الأسواق", "• 07:15 . المنتخب يفوز في مباراة ودية على ضيفه... المزيد"]
    article = clean_lines(PROSE_1, PROSE_2, headlines[0], headlines[1], "الحكومة تناقش قانون الاستثمار")
    assert article.text.split("\n") == [PROSE_1, PROSE_2]
