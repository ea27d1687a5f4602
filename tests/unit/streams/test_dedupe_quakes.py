"""Reports of two earthquakes, told in the same words and without published times, are two
stories when their magnitudes differ (streams/dedupe/quakes.py). Texts written for this
project reproduce what real reports of quakes do: the same words for every quake, agency
magnitudes a few tenths apart, an earlier quake recalled further down."""

from __future__ import annotations

import pytest

from streams.dedupe import DedupeInput, Deduplicator, InMemoryDedupeStore
from streams.dedupe.figures import conflicting
from streams.dedupe.quakes import QUAKE, QUAKE_POINTS, quake_facts


@pytest.mark.parametrize(
    ("text", "magnitude"),
    [
        ("ضرب زلزال بقوة 7.5 درجة على مقياس ريختر جزيرة في شرق البلاد", 7.5),
        ("ضرب زلزال شدته 6,4 درجات فجر اليوم المدينة الساحلية", 6.4),
        ("بلغت قوة الزلزال 7،9 درجة على مقياس ريختر", 7.9),
        ("سجلت هزة أرضية بقوة 7 درجات على مقياس ريشتر", 7.0),
        ("ضرب زلزال بقوة ٦٫٢ درجة الإقليم الجبلي", 6.2),
        # an agency's «ر» decimal, typed as it shows right to left (5.2)
        ("بلغت قوة الزلزال 2ر5 درجة على مقياس ريختر", 5.2),
        ("وقع زلزال بلغت قوته 8ر8 درجات على سلم ريشتر", 8.8),
        # the quake the report is about is named first; an earlier one recalled later is not read
        ("ضرب زلزال جديد بقوة 6.1 درجة المنطقة بعد أسبوعين من زلزال بلغت قوته 7.7 درجة", 6.1),
    ],
)
def test_the_magnitude_of_the_quake_a_report_tells(text: str, magnitude: float) -> None:
    assert quake_facts(text) == [(QUAKE, magnitude)]


@pytest.mark.parametrize(
    "text",
    [
        "ارتفعت درجات الحرارة إلى 5 درجات مئوية في العاصمة",  # no quake
        "بعد الزلزال انخفضت الحرارة إلى 45 درجة",  # two digits: no magnitude
        "وقع الزلزال عند خط عرض 30961 درجة شمالا",  # a coordinate
        "الزلزال الذي ضرب المدينة أمس خلف أضرارا في المباني",  # no magnitude given
    ],
)
def test_degrees_that_are_no_magnitude(text: str) -> None:
    assert quake_facts(text) == []


def test_magnitudes_agree_within_a_few_tenths_and_their_agreement_outweighs_nothing() -> None:
    apart = {QUAKE: QUAKE_POINTS}
    assert not conflicting({QUAKE: {7.4}}, {QUAKE: {7.8}}, apart=apart)  # two agencies, one quake
    assert conflicting({QUAKE: {6.4}}, {QUAKE: {7.8}}, apart=apart)
    # a count that differs (buildings destroyed) is not outweighed by a magnitude both give
    assert conflicting({QUAKE: {7.8}, "مبنى": {120.0}}, {QUAKE: {7.8}, "مبنى": {45.0}}, apart=apart)


QUAKE_REPORT = (
    "ضرب زلزال بقوة {magnitude} درجة على مقياس ريختر إقليم الساحل الشرقي في جمهورية أرجان، "
    "ما أدى إلى انهيار مبان سكنية في عدد من القرى الجبلية وانقطاع الكهرباء عن مدن الإقليم.\n"
    "وقالت هيئة إدارة الكوارث إن فرق الإنقاذ تعمل على انتشال العالقين تحت الأنقاض، وإن "
    "المستشفيات استقبلت عشرات المصابين، فيما حذرت السلطات السكان من هزات ارتدادية."
)


def _stories(*magnitudes: str) -> list[str]:
    dedup = Deduplicator(InMemoryDedupeStore())
    title = "زلزال يضرب إقليم الساحل الشرقي في أرجان"
    return [
        dedup.process(DedupeInput(f"q{n}", f"q{n}", "", title, QUAKE_REPORT.format(magnitude=m), None, 1.7e9)).story_id
        for n, m in enumerate(magnitudes)
    ]


def test_two_undated_quakes_of_other_magnitudes_are_two_stories() -> None:
    assert _stories("7.8", "6.1") == ["q0", "q1"]


def test_two_agencies_magnitudes_of_one_quake_are_one_story() -> None:
    assert _stories("7.8", "7.5") == ["q0", "q0"]
