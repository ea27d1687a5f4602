"""The years a title and a lead's start name tell one edition of a recurring event from
another without published times (streams/dedupe/years.py, ``lead_year_facts``). Texts
written for this project reproduce what real reports do: the same tournament's finals of two
years told with the same teams, stadium words and phrases."""

from __future__ import annotations

import pytest

from streams.dedupe.years import LEAD_HIJRI_YEAR, LEAD_YEAR, lead_year_facts
from tests.support.dedupe_pair import decisions_in_order


@pytest.mark.parametrize(
    ("title", "text", "years"),
    [
        ("الوادي يحرز لقب كأس القارات 2024", "", [2024.0]),
        ("", "توج فريق الوادي بلقب كأس القارات 2016 بعد فوزه في النهائي", [2016.0]),
        # a year further down the lead is a recalled one, not the event's own
        ("", "توج فريق الوادي بلقب كأس القارات بعد فوزه في النهائي على فريق الساحل، ثأرا لخسارته نهائي 2016", []),
        ("", "لقي 2000 شخص حتفهم في الفيضانات", []),  # a count, not a year
    ],
)
def test_the_years_a_title_and_a_leads_start_name(title: str, text: str, years: list[float]) -> None:
    assert lead_year_facts(title, text) == [(LEAD_YEAR, year) for year in years]


def test_a_hijri_year_is_a_figure_of_its_own_kind() -> None:
    """so that a lead dated «18 صفر 1441هـ» does not contradict one dated 2019"""
    assert lead_year_facts("", "الوادي – 18 صفر 1441هـ، الموافق 2019") == [
        (LEAD_HIJRI_YEAR, 1441.0),
        (LEAD_YEAR, 2019.0),
    ]


_FINALS = [
    (
        "الوادي بطلا لكأس القارات 2024",
        "توج فريق الوادي بلقب كأس القارات 2024 بفوزه على الساحل بهدفين لهدف في المباراة النهائية التي أقيمت "
        "على الملعب الوطني بالعاصمة، وسجل المهاجم سالم العتيبي هدف الفوز في الدقيقة الأخيرة، وتسلم قائد "
        "الفريق الكأس من رئيس الاتحاد القاري وسط احتفالات الجماهير.",
    ),
    (
        "الوادي يحرز كأس القارات 2024",
        "أحرز نادي الوادي كأس القارات 2024 إثر تغلبه على منافسه الساحل في النهائي، بعدما خطف سالم العتيبي "
        "هدفا قاتلا في اللحظات الأخيرة أمام آلاف المشجعين في الملعب الوطني، ليرفع القائد الكأس بعد موسم "
        "حافل، فيما أشاد مدرب الساحل بأداء لاعبيه.",
    ),
    (
        "الوادي يتوج بكأس القارات 2016",
        "تمكن الوادي من التتويج بكأس القارات 2016 بعد انتصاره على الساحل في المباراة النهائية على الملعب "
        "الوطني، وأحرز سالم العتيبي هدف الحسم في الدقائق الأخيرة، وسط فرحة عارمة للجماهير التي ملأت المدرجات "
        "واحتفل اللاعبون بالكأس القارية.",
    ),
]


@pytest.mark.parametrize("dated", [False, True])
def test_two_editions_of_one_final_are_two_stories_without_times(dated: bool) -> None:
    published = "2024-07-14T21:00:00+00:00" if dated else None
    stories = [decision.story_id for decision in decisions_in_order(_FINALS, published, seen_at=1_720_990_800.0)]
    # without times the 2016 final starts a story of its own; with times an hour apart the
    # gap says more than the years (the third report is then read as one of that night)
    assert stories == (["r0", "r0", "r0"] if dated else ["r0", "r0", "r2"])
