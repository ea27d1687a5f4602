"""An article that comes without a title gets its own headline back from the short lines
above its first paragraph, never another story's (texts written for these tests)."""

from __future__ import annotations

import pytest

from streams.clean import clean_article
from streams.clean_headline import headline_index
from streams.textnorm import fold

LEAD = (
    "شهدت مدينة الساحل الشمالي انقطاعا واسعا للتيار الكهربائي مساء الثلاثاء، ما أوقف حركة "
    "القطارات وأغلق المتاجر في معظم الأحياء، بحسب ما أعلنته شركة الكهرباء الوطنية.\n"
    "وقالت الشركة في بيان إن فرقها تعمل على إعادة التيار تدريجيا خلال الساعات المقبلة."
)
HEADLINE = "انقطاع واسع للكهرباء يشل مدينة الساحل الشمالي"


def _clean(text: str, title: str = "") -> tuple[str, str, list[str]]:
    clean = clean_article(title=title, content=text, content_type="text/plain")
    return clean.title, clean.text, [line.text for line in clean.removed]


def test_the_headline_in_a_run_of_short_lines_above_the_lead_becomes_the_title() -> None:
    page = f"الأربعاء 2025-03-12 17:24\n{HEADLINE}\nجانب من انقطاع الكهرباء\n08:14 ص\n{LEAD}"
    title, text, removed = _clean(page)
    assert title == HEADLINE
    assert text == LEAD
    assert HEADLINE not in removed  # it moved to the title: nothing of the page is lost
    assert "جانب من انقطاع الكهرباء" in removed  # the photo caption shares fewer words


def test_a_breaking_label_and_a_counter_around_the_headline_stay_out() -> None:
    page = f"عاجل:\n{HEADLINE}\n• ٢٨\n{LEAD}"
    title, text, removed = _clean(page)
    assert title == HEADLINE
    assert removed == ["عاجل:", "• ٢٨"]
    assert text == LEAD


def test_another_storys_headlines_on_top_of_the_page_are_never_the_title() -> None:
    ticker = "\n".join(
        [
            "منتخب الشباب يتأهل إلى نصف نهائي البطولة العربية",
            "ارتفاع أسعار الذهب في الأسواق المحلية اليوم",
            "افتتاح معرض الكتاب الدولي بمشاركة ثلاثين دولة",
        ]
    )
    title, text, removed = _clean(f"{ticker}\n{LEAD}")
    assert title == ""
    assert text == LEAD
    assert len(removed) == 3


def test_a_given_title_is_kept_as_it_is() -> None:
    page = f"الأربعاء 2025-03-12 17:24\n{HEADLINE}\nجانب من انقطاع الكهرباء\n08:14 ص\n{LEAD}"
    title, text, removed = _clean(page, title="عنوان الموقع")
    assert title == "عنوان الموقع"
    assert HEADLINE in removed
    assert text == LEAD


@pytest.mark.parametrize(
    ("candidates", "expected"),
    [
        ([("headline-run", "انقطاع الكهرباء")], None),  # two words: too short for a headline
        ([("chrome:date", fold(HEADLINE))], None),  # a reason no headline is removed for
        ([("headline-list", fold(HEADLINE) + ":")], None),  # a label
        ([("headline-run", fold("جانب من انقطاع الكهرباء")), ("headline-run", fold(HEADLINE))], 1),
        ([("repeated-line", fold(HEADLINE)), ("headline-run", fold(HEADLINE))], 0),  # a tie: the first
    ],
)
def test_headline_index(candidates: list[tuple[str, str]], expected: int | None) -> None:
    assert headline_index(candidates, fold(LEAD)) == expected


def test_no_lead_no_headline() -> None:
    assert headline_index([("headline-run", fold(HEADLINE))], "") is None


def test_a_stock_tickers_entry_above_the_lead_is_no_headline() -> None:
    """A market ticker names the company the lead is about, with its price glued on."""
    page = (
        "شركة الكهرباء الوطنية12.40\nمصرف الساحل التجاري8.05\nمجموعة الموانئ البحرية21.30\n"
        "الكهرباء الوطنية للصناعة الثقيلة3.90\n" + LEAD
    )
    title, text, removed = _clean(page)
    assert title == ""
    assert text == LEAD
    assert "شركة الكهرباء الوطنية12.40" in removed
