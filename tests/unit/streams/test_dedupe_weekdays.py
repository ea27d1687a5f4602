"""Undated reports whose leads name different weekdays are different events
(streams/dedupe/weekdays.py); texts written for this project reproduce what real reports
of one kind of event, years apart, do: the same procedure told in the same words."""

from __future__ import annotations

import pytest

from streams.dedupe import DedupeInput, Deduplicator, InMemoryDedupeStore
from streams.dedupe.weekdays import LEAD_CHARS, lead_days

# A parliament electing its president: one procedure, one set of words, whatever the year.
ELECTION = (
    "انتخب مجلس النواب في جمهورية أرجان {when} المرشح {name} رئيسا للجمهورية في الجولة الثانية "
    "من التصويت، بعد حصوله على الأغلبية المطلوبة من أصوات النواب الحاضرين في الجلسة.\n"
    "وأدى الرئيس المنتخب اليمين الدستورية أمام المجلس فور إعلان النتيجة، منهيا فراغا في منصب "
    "الرئاسة دام أشهرا، وسط ترحيب من الكتل النيابية."
)
OTHER_WORDS = (
    "فاز {name} برئاسة جمهورية أرجان {when} في جلسة لمجلس النواب حسمت في الجولة الثانية من "
    "التصويت، إذ نال الأغلبية المطلوبة من أصوات النواب الحاضرين.\n"
    "وأدى الرئيس الجديد اليمين الدستورية فور إعلان النتيجة، لينتهي فراغ في منصب الرئاسة دام "
    "أشهرا، ورحبت الكتل النيابية بانتخابه."
)


def item(key: str, text: str, published: str | None = None) -> DedupeInput:
    return DedupeInput(key, key, "", "مجلس النواب ينتخب رئيسا للجمهورية", text, published, 1_700_000_000.0)


def test_two_undated_elections_on_other_weekdays_are_two_events() -> None:
    dedup = Deduplicator(InMemoryDedupeStore())
    dedup.process(item("first", ELECTION.format(when="اليوم الخميس", name="سامي الحداد")))
    later = dedup.process(item("later", OTHER_WORDS.format(when="اليوم الاثنين", name="سامي الحداد")))
    assert later.duplicate_of is None and later.story_id == "later"


def test_a_next_day_report_names_the_same_day_and_joins() -> None:
    dedup = Deduplicator(InMemoryDedupeStore())
    dedup.process(item("same-day", ELECTION.format(when="اليوم الخميس", name="سامي الحداد")))
    next_day = dedup.process(item("next-day", OTHER_WORDS.format(when="أمس الخميس", name="سامي الحداد")))
    assert next_day.duplicate_of is None and next_day.story_id == "same-day"
    # a report that names no day is not held apart either
    no_day = dedup.process(item("no-day", OTHER_WORDS.format(when="في جلسة علنية", name="سامي الحداد")))
    assert no_day.story_id == "same-day"


def test_with_published_times_the_weekday_is_not_read() -> None:
    """Dated reports an hour apart join whatever day they name: their times say more."""
    dedup = Deduplicator(InMemoryDedupeStore())
    dedup.process(item("first", ELECTION.format(when="اليوم الخميس", name="سامي الحداد"), "2025-01-09T12:00:00Z"))
    other = dedup.process(
        item("second", OTHER_WORDS.format(when="اليوم الاثنين", name="سامي الحداد"), "2025-01-09T13:00:00Z")
    )
    assert other.story_id == "first"


def test_a_dated_report_is_held_apart_from_an_undated_one_of_another_weekday() -> None:
    """A published time may come from a date in the text alone; such a report's weekday
    is still compared with those of reports that have none (they may be of any year)."""
    stories = []
    # (published before the undated one was seen: it may be of the same hour)
    for when, published in (("اليوم الاثنين", "2023-01-09T12:00:00Z"), ("أمس الخميس", "2023-01-06T08:00:00Z")):
        dedup = Deduplicator(InMemoryDedupeStore())
        dedup.process(item("undated", ELECTION.format(when="اليوم الخميس", name="سامي الحداد")))
        dated = dedup.process(item("dated", OTHER_WORDS.format(when=when, name="سامي الحداد"), published))
        stories.append((dated.duplicate_of, dated.story_id))
    assert stories == [(None, "dated"), (None, "undated")]


@pytest.mark.parametrize(
    ("text", "day"),
    [
        ("أعلن المجلس اليوم الخميس نتائج التصويت.", 5),
        ("قتل ثلاثة أشخاص أمس السبت في انفجار.", 7),
        ("قال الوزير يوم الإثنين إن الخطة جاهزة.", 2),
        ("قال الوزير يوم الاثنين إن الخطة جاهزة، ثم عاد الأربعاء ليؤكدها.", 2),  # the first named
        ("وصل الوفد صباح الأحد إلى العاصمة.", 1),
        ("أعلن المجلس نتائج التصويت في جلسة علنية.", None),
        ("أعلن المجلس نتائج التصويت." + " وقال النواب إن الجلسة طويلة." * 20 + " اليوم الخميس", None),
        ("اجتمع الخميسيون في النادي.", None),  # a day's name inside a longer word is none
    ],
)
def test_lead_weekday(text: str, day: int | None) -> None:
    assert lead_days(text)[0] == (day or 0)  # (None: no weekday, read as 0)


def test_the_lead_is_its_first_characters() -> None:
    text = "أعلن المجلس نتائج التصويت " * 20
    assert len(text) > LEAD_CHARS
    assert lead_days(text[: LEAD_CHARS - 20] + " الخميس")[0] == 5
