"""Editions as figures (ordinals.py): which edition of a recurring event a report tells,
and what is left out because it is no edition or is not read whole."""

from __future__ import annotations

import pytest

from streams.dedupe import DedupeInput, Deduplicator, InMemoryDedupeStore
from streams.dedupe.figures import conflicting, figure_facts
from streams.dedupe.ordinals import ANNIVERSARY, EDITION, edition_facts


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("انطلقت أمس النسخة الـ112 من السباق", 112),
        ("في النسخة 111 من الطواف", 111),
        ("تُفتتح الدورة الثامنة والسبعين للجمعية", 78),
        ("تختتم الدورة الحادية عشرة للمعرض", 11),
        ("اختتام الدوره الثانية عشر للملتقى", 12),
        ("القمة في دورتها العادية الثانية والثلاثين", 32),
        ("المجلس في دورته العادية ال 29 بحضور القادة", 29),
        ("الأفلام المشاركة للدورة ٤٥ من المهرجان", 45),
        ("ينظم المعرض في نسخته العشرين", 20),
        ("وبنسختها الخامسة يتوسع الملتقى", 5),
        ("تنطلق النسخة الأولى من البطولة", 1),
        ("الجمعية العامة في دورتها الاعتيادية الـ79", 79),
    ],
)
def test_an_edition_is_read_in_digits_or_in_words(text: str, number: int) -> None:
    assert edition_facts(text)[0] == [(EDITION, float(number))]


@pytest.mark.parametrize(
    "text",
    [
        "توج باللقب للمرة الرابعة في مسيرته",  # how many times: often of something else
        "اللقب الـ22 في تاريخ النادي",
        "صدرت نسخة ثالثة من التقرير",  # indefinite: "another version"
        "أشاد بدوره الأول في الفيلم",  # "his role"
        "ستقام دورة 2026 في الرياض",  # an edition by its year (years.py reads it)
        "اختتمت النسخة الحادي من الملتقى",  # a compound not read whole
        "افتتاح الدورة التدريبية الثانية",  # the word after the noun is no ordinal
    ],
)
def test_what_is_no_edition_or_not_read_whole_is_left_out(text: str) -> None:
    assert edition_facts(text)[0] == []


def test_editions_come_first_among_an_articles_figures_and_their_digits_count_nothing() -> None:
    """A stored profile keeps a few figures: the edition is kept before amounts. An
    edition's digits are no count of the word after them ("111 من الطواف")."""
    facts = figure_facts("رصد 500 ألف دولار للجوائز في الدورة السادسة والأربعين للمهرجان")
    assert facts[0] == (EDITION, 46.0) and ("دولار", 5e5) in facts
    assert figure_facts("أنهى النسخة 111 من الطواف وفاز بـ 50 ألف يورو") == [(EDITION, 111.0), ("يورو", 5e4)]


def _festival(edition: str, wording: int) -> tuple[str, str]:
    """(title, text) of a film festival's opening night, in one of two outlets' wordings."""
    if wording == 0:
        return (
            f"افتتاح {edition} من مهرجان الواحة السينمائي بفيلم عن الصيادين",
            f"افتتح مهرجان الواحة السينمائي الدولي مساء أمس {edition} بعرض فيلم عن صيادي البحيرة للمخرجة "
            "سلمى الراوي، بحضور وزير الثقافة ورئيس المهرجان كمال الدباغ وعدد من نجوم السينما العربية على "
            "السجادة الحمراء أمام دار الأوبرا، وتتنافس في المسابقة الرسمية أفلام من ثلاثين بلدا.",
        )
    return (
        f"مهرجان الواحة السينمائي يفتتح {edition} بفيلم الصيادين",
        f"انطلقت {edition} من مهرجان الواحة السينمائي الدولي بعرض فيلم المخرجة سلمى الراوي عن صيادي "
        "البحيرة، وحضر الافتتاح وزير الثقافة ورئيس المهرجان كمال الدباغ ونجوم السينما العربية على السجادة "
        "الحمراء لدار الأوبرا، فيما تضم المسابقة الرسمية أفلاما من ثلاثين بلدا.",
    )


@pytest.mark.parametrize(
    ("first", "edition", "same_story"),
    [
        ("الدورة الخامسة والأربعين", "الدورة الخامسة والأربعين", True),
        ("الدورة الخامسة والأربعين", "الدورة الـ45", True),
        ("الدورة الخامسة والأربعين", "الدورة الجديدة", True),
        ("الدورة الخامسة والأربعين", "الدورة الـ45 بعد نجاح الدورة الـ44", True),  # the last one named too
        ("الدورة الخامسة والأربعين", "الدورة الـ46", False),
        ("الدورة الـ111", "الدورة 111", True),
        ("الدورة الـ111", "الدورة الـ112", False),  # 0.9 % apart: editions compare exactly
    ],
)
def test_openings_of_a_festival_stay_apart_by_the_edition(first: str, edition: str, same_story: bool) -> None:
    """Two outlets' reports of one opening night join, undated, whether the edition is
    written in words or digits, or not named by one of them; the opening of the next
    edition, told in the same words but for its number, is another event (a festival
    shows the same names and places every year). A report that names the last edition
    beside its own shares its own with the other. Without the edition as a figure the last
    one joins (similarity 0.42: the same words but for the number)."""
    dedup = Deduplicator(InMemoryDedupeStore())
    opened = dedup.process(DedupeInput("f1", "a", "", *_festival(first, 0), None, 1_700_000_000.0))
    second = dedup.process(DedupeInput("f2", "b", "", *_festival(edition, 1), None, 1_700_000_000.0))
    assert opened.story_id == "f1" and second.duplicate_of is None
    assert (second.story_id == "f1") is same_story


def test_editions_compare_exactly_other_figures_within_one_percent() -> None:
    assert conflicting({EDITION: {111.0}}, {EDITION: {112.0}}, exact={EDITION})
    assert not conflicting({EDITION: {111.0}}, {EDITION: {111.0, 110.0}}, exact={EDITION})
    assert not conflicting({"دولار": {111.0}}, {"دولار": {112.0}}, exact={EDITION})


def test_a_text_filled_in_for_the_next_edition_is_no_copy() -> None:
    """One outlet's text of the 46th opening, word for word its text of the 45th but for
    the number, is neither a copy of it nor its story; a republished copy of the 45th is.
    Without the edition as a figure the 46th is a near copy of the 45th (0.97)."""
    dedup = Deduplicator(InMemoryDedupeStore())
    dedup.process(DedupeInput("f45", "a", "", *_festival("الدورة الخامسة والأربعين", 0), None, 1_700_000_000.0))
    copy = dedup.process(DedupeInput("c45", "b", "", *_festival("الدورة الخامسة والأربعين", 0), None, 1_700_000_000.0))
    later = dedup.process(DedupeInput("f46", "a", "", *_festival("الدورة السادسة والأربعين", 0), None, 1_700_000_000.0))
    assert copy.duplicate_of == "f45"
    assert later.duplicate_of is None and later.story_id == "f46"


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("أحيا الآلاف الذكرى السنوية الأولى لإفشال المحاولة", 1),
        ("في الذكرى السنوية الثانية للانقلاب الفاشل", 2),
        ("تحيي المدينة في ذكراها الخامسة ضحايا الفيضان", 5),
        ("بمناسبة الذكرى الـ13 للثورة", 13),
        ("احتفالا بالذكرى العاشرة لتأسيس الاتحاد", 10),
        ("تحيي البلاد الذكرى الخامسة والعشرين للاستقلال", 25),
    ],
)
def test_an_anniversary_is_read_in_words_or_in_digits_after_its_article(text: str, number: int) -> None:
    assert edition_facts(text)[0] == [(ANNIVERSARY, float(number))]


@pytest.mark.parametrize(
    "text",
    [
        "أحيا المتظاهرون ذكرى 15 تموز في الساحة",  # the anniversary of a date
        "وذكر المتحدث الأول باسم الوزارة أن",  # the verb "mentioned"
        "إحياء ذكرى الضحايا في العاصمة",  # remembering, no number
        "في الذكرى 20 من الشهر",  # digits without the article: a date's day, maybe
    ],
)
def test_what_is_no_anniversary_is_left_out(text: str) -> None:
    assert edition_facts(text)[0] == []


def _march(anniversary: str, wording: int) -> tuple[str, str]:
    """(title, text) of a march marking an anniversary of a failed coup, in one of two
    outlets' wordings: the same words every year but for the number."""
    if wording == 0:
        return (
            f"مسيرة حاشدة في العاصمة بمناسبة {anniversary} لإفشال الانقلاب",
            f"شارك عشرات الآلاف في مسيرة حاشدة وسط العاصمة ليلة أمس إحياء {anniversary} لإفشال محاولة "
            "الانقلاب في جمهورية أرجان، وألقى الرئيس كلمة أمام الحشود عند جسر الشهداء تعهد فيها بملاحقة "
            "المتورطين، فيما رفع المشاركون الأعلام وصور ضحايا تلك الليلة.",
        )
    return (
        f"الآلاف يحيون {anniversary} لفشل الانقلاب في أرجان",
        f"أحيا عشرات الآلاف من مواطني جمهورية أرجان {anniversary} لإفشال محاولة الانقلاب بمسيرة حاشدة "
        "وسط العاصمة، حيث ألقى الرئيس كلمة عند جسر الشهداء تعهد فيها بملاحقة المتورطين، ورفع المشاركون "
        "الأعلام وصور ضحايا ليلة المحاولة.",
    )


@pytest.mark.parametrize(
    ("second", "same_story"),
    [("الذكرى السنوية الأولى", True), ("الذكرى الأولى", True), ("الذكرى السنوية الثانية", False)],
)
def test_marches_of_two_anniversaries_are_two_events(second: str, same_story: bool) -> None:
    """Undated, two outlets' reports of the first anniversary's march join; the next
    year's march, told in the same words but for the number, is another event."""
    dedup = Deduplicator(InMemoryDedupeStore())
    first = dedup.process(DedupeInput("m1", "a", "", *_march("الذكرى السنوية الأولى", 0), None, 1_700_000_000.0))
    other = dedup.process(DedupeInput("m2", "b", "", *_march(second, 1), None, 1_700_000_000.0))
    assert first.story_id == "m1" and other.duplicate_of is None
    assert (other.story_id == "m1") is same_story
