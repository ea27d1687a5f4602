"""One template filled in for different events is not a copy when the fillings name
different years (streams/dedupe/years.py); texts written for this project reproduce what
real palace bulletins and court notices do (issue 15)."""

from __future__ import annotations

import pytest

from streams.dedupe import DedupeInput, Deduplicator, InMemoryDedupeStore
from streams.dedupe.profile import StoryProfile
from streams.dedupe.shingles import extract_features
from streams.dedupe.years import MAX_YEARS, name_other_years, named_years


def bulletin(ordinal: str, weekday: str, date: str) -> str:
    """A palace's yearly bulletin: the same sentences every year, a few words filled in."""
    return (
        "أعلنت وزارة القصور والتشريفات في مملكة تيهامة أن جلالة الملك سيوجه خطابا إلى الشعب "
        f"مساء يوم غد {weekday} بمناسبة الذكرى {ordinal} لعيد الاستقلال.\n"
        "وفي ما يلي نص البلاغ الصادر عن الوزارة بهذا الخصوص:\n"
        f"تعلن وزارة القصور والتشريفات أنه بمناسبة حلول الذكرى {ordinal} لعيد الاستقلال، سيوجه "
        "جلالة الملك خطابا ساميا إلى شعبه الوفي، وسيبث الخطاب على أمواج الإذاعة وشاشة التلفزة "
        f"في الساعة الثامنة والنصف من مساء يوم غد {weekday} {date}."
    )


TITLE = "جلالة الملك يوجه غدا خطابا إلى الشعب بمناسبة عيد الاستقلال"
YEAR_ONE = bulletin("الثانية والثلاثين", "الاثنين", "5 نونبر 2023")
# (the same weekday and anniversary in both, so that only the years tell them apart:
# weekdays.py, ordinals.py)
YEAR_TWO = bulletin("الثانية والثلاثين", "الاثنين", "5 نونبر 2024")


def item(key: str, text: str, published: str | None = None) -> DedupeInput:
    return DedupeInput(key, key, "", TITLE, text, published, 1_700_000_000.0)


def test_a_bulletin_filled_in_for_another_year_is_not_a_copy_even_without_times() -> None:
    dedup = Deduplicator(InMemoryDedupeStore())
    dedup.process(item("2023", YEAR_ONE))
    assert dedup.process(item("2024", YEAR_TWO)).duplicate_of is None


def test_without_the_years_the_two_fillings_would_be_copies() -> None:
    """What the years turn away: the two fillings are near copies by their words."""
    undated = [text.replace(" 2023", "").replace(" 2024", "") for text in (YEAR_ONE, YEAR_TWO)]
    dedup = Deduplicator(InMemoryDedupeStore())
    dedup.process(item("2023", undated[0]))
    assert dedup.process(item("2024", undated[1])).duplicate_of == "2023"


def test_a_copy_that_names_no_year_carries_its_originals_years() -> None:
    """The decision names the first version: another year's filling must not reach it
    through a copy that dropped the date."""
    dedup = Deduplicator(InMemoryDedupeStore())
    dedup.process(item("2023", YEAR_ONE))
    yearless = dedup.process(item("2023-copy", YEAR_ONE.replace(" 2023", "")))
    assert yearless.duplicate_of == "2023"
    assert dedup.process(item("2024", YEAR_TWO)).duplicate_of is None
    # without that year on the copy, the other year's filling is its copy, and so the first's
    control = Deduplicator(InMemoryDedupeStore())
    control.process(item("2023", YEAR_ONE.replace(" 2023", "")))
    assert control.process(item("2024", YEAR_TWO)).duplicate_of == "2023"


def test_a_republished_bulletin_that_adds_a_dateline_and_background_is_still_a_copy() -> None:
    republished = "الرباط في 4 نونبر 2024 - " + YEAR_TWO + "\nوكان الاستقلال قد أعلن في 5 نونبر 1991 بعد مفاوضات طويلة."
    dedup = Deduplicator(InMemoryDedupeStore())
    dedup.process(item("agency", YEAR_TWO))
    assert dedup.process(item("outlet", republished)).duplicate_of == "agency"


def test_a_notice_dated_in_hijri_years_is_told_apart_by_them() -> None:
    notice = (
        "صدر عن ديوان القصر في مملكة تيهامة البيان التالي: انتقل إلى رحمة الله تعالى يوم {day} "
        "الموافق {date} صاحب السمو الأمير {name}، وسيصلى عليه بعد صلاة العصر يوم غد في جامع "
        "القصر بالعاصمة. تغمده الله بواسع رحمته ومغفرته وأسكنه فسيح جناته، إنا لله وإنا إليه راجعون."
    )
    first = notice.format(day="السبت", date="4/5/1434هـ", name="راشد بن سالم بن حمدان")
    second = notice.format(day="الأحد", date="16/4/1440 هـ", name="سعيد بن سالم بن حمدان")
    dedup = Deduplicator(InMemoryDedupeStore())
    dedup.process(item("first", first))
    assert dedup.process(item("second", second)).duplicate_of is None


@pytest.mark.parametrize(
    ("text", "years"),
    [
        ("الثلاثاء 6 نونبر 2018", {2018}),
        ("يوم ٥ نوفمبر ٢٠٢٤ في العاصمة", {2024}),  # Arabic-Indic digits
        ("الموافق 15 / 4 / 1440هـ", {1440}),
        ("عام 1440 ه وعام 2019", {1440, 2019}),
        ("قتل 2000 شخص وأصيب 1950 جريحا", set()),  # counts of people, not years
        ("الرمز 20190 والنسبة 2019.5 و3.2019", set()),  # part of a longer number
        ("نحو 1440 جنديا", set()),  # a Hijri year is written with its mark
        ("بين 2001 و2002 و2003 و2004 و2005", set()),  # a chronicle: more than MAX_YEARS
    ],
)
def test_named_years(text: str, years: set[int]) -> None:
    assert named_years("", text) == years


def test_a_chronicle_names_no_years_and_up_to_the_limit_they_count() -> None:
    years = list(range(2001, 2001 + MAX_YEARS))
    assert named_years("", " و".join(map(str, years))) == set(years)
    assert named_years("", " و".join(map(str, [*years, 2030]))) == frozenset()


def test_other_years_only_when_both_name_some_and_share_none() -> None:
    assert name_other_years({2023}, {2024})
    assert not name_other_years({2023, 1991}, {2023})
    assert not name_other_years(set(), {2024}) and not name_other_years({2024}, set())


def test_years_of_two_calendars_are_compared_each_with_its_own() -> None:
    assert not name_other_years({1441}, {2019})  # one day written in two calendars
    assert name_other_years({1440}, {1434})
    assert name_other_years({1441, 2019}, {1441, 2020})  # the same Hijri year, another Gregorian one
    assert not name_other_years({1441, 2019}, {2019})


def test_a_copy_dated_in_the_hijri_calendar_is_a_copy_of_one_dated_in_the_gregorian() -> None:
    """One report republished the next day: one site heads it with its Hijri date, the other
    with the Gregorian one (and the lead's first line names the year in each)."""
    body = (
        "قالت وسائل إعلام محلية إن 31 مسافرا توفوا وأصيب 6 آخرون بإصابات متفرقة في حادث مروري عند الكيلو "
        "140 على طريق الوادي السريع الذي يصل المدينتين الساحليتين.\n"
        "وأفادت صحيفة محلية نقلا عن مصادر بأن الحادث وقع بين شاحنة وحافلة تقل مسافرين من جنسيات مختلفة.\n"
        "وأشارت المصادر إلى أن النيران اشتعلت في الحافلة، وأسفر الحادث عن وفاة 31 شخصا وإصابة 6 آخرين "
        "نقلوا إلى مستشفيين قريبين، فيما وصلت فرق المرور والدفاع المدني إلى موقع الحادث."
    )
    dedup = Deduplicator(InMemoryDedupeStore())
    dedup.process(item("hijri", "الوادي – 18 صفر 1441هـ\n" + body))
    assert dedup.process(item("gregorian", "الخميس 17 أكتوبر 2019\n" + body)).duplicate_of == "hijri"


def test_stored_profiles_keep_the_years_and_read_old_profiles_without_them() -> None:
    features = extract_features(TITLE, YEAR_TWO, 2)
    assert features.years == {2024}
    profile = StoryProfile([7, 9], [255, 10], [(0, 1)], [(5, 8e8)], actions=3, years=features.years)
    parsed, end = StoryProfile.from_bytes(profile.to_bytes() + b"tail")
    assert end == len(profile.to_bytes()) and parsed == profile
    assert (parsed.years, parsed.facts, parsed.actions) == ({2024}, ((5, 8e8),), 3)
    years_only = StoryProfile((), (), (), years={1440})  # no terms: the years are still kept
    assert StoryProfile.from_bytes(years_only.to_bytes())[0].years == {1440}
    old = StoryProfile([7, 9], [255, 10], [(0, 1)], [(5, 8e8)])  # written before years were kept
    assert StoryProfile.from_bytes(old.to_bytes())[0].years == frozenset()
