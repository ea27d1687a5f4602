"""A monthly template filled in for another month is no copy (streams/dedupe/months.py);
texts written for these tests."""

from __future__ import annotations

import pytest

from streams.dedupe import DedupeDecision
from streams.dedupe.months import LEAD_CHARS, name_other_months, named_months
from streams.dedupe.profile import StoryProfile
from tests.support.dedupe_pair import second_decision


@pytest.mark.parametrize(
    ("text", "months"),
    [
        ("تنشر الهيئة الرقم القياسي لأسعار المستهلك لشهر سبتمبر 2025م", {9}),
        ("ارتفع التضخم في يوليو 2025 إلى 2.1 في المئة", {7}),
        ("وقعت الاتفاقية في 5 أكتوبر الماضي", {10}),
        ("صدر القرار في 3 من مايو", {5}),
        ("أيلول/سبتمبر 2024", {9}),
        ("في تشرين الأول 2023 و12 كانون الثاني", {10, 1}),
        ("مقارنة بشهر يونيو", {6}),
        # Moroccan, Levantine without the article, English (streams/month_names.py)
        ("أعلنت المندوبية السامية للتخطيط أرقام شهر دجنبر 2024", {12}),
        ("ارتفعت الأسعار في 15 شتنبر", {9}),
        ("صدر في كانون أول 2023", {12}),
        ("the index for 5 May 2025", {5}),
        ("you may 2 go", set()),
        # a day or a year glued on
        ("ضربت العاصفة ليلة الأربعاء 30أكتوبر", {10}),
        ("انضم إلى الفريق في جانفي2023", {1}),
        ("نشرة سبتمبر2025م", {9}),
        # a month's name used otherwise: no date
        ("مارس الوزير ضغوطا على الحكومة", set()),
        ("وحتى نيسان المقبل لا يتوقع تغيير", set()),
        ("قال الأب آب إن الطقس حار", set()),
        # a calendar names none
        ("في 1 يناير و1 فبراير و1 مارس و1 أبريل", set()),
    ],
)
def test_named_months(text: str, months: set[int]) -> None:
    assert named_months("", text) == frozenset(months)


def test_only_the_title_and_the_lead_are_read() -> None:
    lead = "ويودع الرئيس السابق السجن اليوم لقضاء عقوبته. " * 12
    assert len(lead) > LEAD_CHARS
    assert named_months("", lead + "وكان الحكم قد صدر في 25 سبتمبر الماضي.") == frozenset()
    assert named_months("حكم 25 سبتمبر", lead) == frozenset({9})


def test_other_months_and_shared_ones() -> None:
    assert name_other_months(frozenset({7, 6}), frozenset({9, 8}))
    assert not name_other_months(frozenset({8, 7}), frozenset({7, 6}))  # the month compared with
    assert not name_other_months(frozenset(), frozenset({9}))  # naming none says nothing


BULLETIN = (
    "أصدرت هيئة الإحصاء في جمهورية الساحل اليوم نشرة الرقم القياسي لأسعار المستهلك لشهر {month} 2025، "
    "وأظهرت النشرة أن معدل التضخم السنوي بلغ {rate} في المئة مقارنة بالشهر نفسه من العام الماضي، "
    "مدفوعا بارتفاع أسعار السكن والمياه والكهرباء والغاز وأنواع الوقود الأخرى بنسبة 4.8 في المئة، "
    "وأسعار الأغذية والمشروبات بنسبة 1.9 في المئة. وأوضحت الهيئة أن أسعار النقل تراجعت بنسبة 0.6 في "
    "المئة، فيما استقرت أسعار الملابس والأحذية، وأن الرقم القياسي العام سجل ارتفاعا طفيفا على أساس "
    "شهري. وتعتمد الهيئة في حساب الرقم القياسي على سلة تضم 490 سلعة وخدمة تجمع أسعارها من 16 مدينة."
)


def _second(first: str, second: str) -> DedupeDecision:
    return second_decision(first, second, "التضخم في الساحل")


def test_a_monthly_bulletin_of_another_month_is_no_copy() -> None:
    july = BULLETIN.format(month="يوليو", rate="2.3")
    september = BULLETIN.format(month="سبتمبر", rate="2.2")
    assert _second(july, september).duplicate_of is None


def test_the_same_bulletin_republished_with_a_date_line_is_a_copy() -> None:
    july = BULLETIN.format(month="يوليو", rate="2.3")
    republished = "الساحل - 12 أغسطس 2025: " + july.replace("اليوم ", "")
    decision = _second(july, republished)
    assert (decision.duplicate_of, decision.kind) == ("first", "near")


def test_a_profile_keeps_its_months() -> None:
    profile = StoryProfile([1, 2], [200, 100], (), (), months=(9, 8), years=(2025,))
    read, _ = StoryProfile.from_bytes(profile.to_bytes())
    assert read.months == frozenset({8, 9}) and read.years == frozenset({2025})
    older, _ = StoryProfile.from_bytes(StoryProfile([1, 2], [200, 100], ()).to_bytes())
    assert older.months == frozenset()
