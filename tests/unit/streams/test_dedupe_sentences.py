"""A verdict and its appeal told without published times are two events (streams/dedupe/
sentences.py): texts written for this project reproduce what real reports do, the same
names, court and charges told again with another prison term."""

from __future__ import annotations

import pytest

from streams.dedupe.sentences import SENTENCE, sentence_facts
from tests.support.dedupe_pair import decisions_in_order


@pytest.mark.parametrize(
    ("title", "text", "terms"),
    [
        ("السجن 24 عاما لرئيسة الوزراء السابقة", "", [24.0]),
        ("", "قضت المحكمة بسجن الوزير السابق سالم العتيبي 7 سنوات بتهمة الفساد", [7.0]),
        ("15 سنة سجنا للوزير السابق و20 سنة لشقيقه", "", [15.0]),  # the first term the title names
        ("", "قضت المحكمة بالحبس ٦ أشهر على المتهم", [0.5]),  # months, and Arabic-Indic digits
        # a change names the new term; a range both ends (each defendant's term)
        ("", "رفعت محكمة الاستئناف الحكم بالسجن على الوزير من 7 إلى 9 سنوات", [9.0]),
        ("", "أصدرت المحكمة أحكاما تتراوح بين 15 و20 سنة سجنا بحق المتهمين", [20.0, 15.0]),
        # the title's term and the lead's, when they differ: both
        ("السجن 9 سنوات للوزير السابق", "وكانت محكمة الدرجة الأولى قد قضت بسجنه 7 سنوات", [9.0, 7.0]),
        # in words, with «ب» before the number, a dual, «عشر» after a unit
        ("", "قضت المحكمة بسجن الرئيس السابق خمس سنوات في قضية الإثراء غير المشروع", [5.0]),
        ("الحكم بخمس سنوات سجنا نافذا في حق الكاتب", "", [5.0]),
        ("", "قضت المحكمة بالسجن خمسة عشر عاما على المتهم الأول", [15.0]),
        ("", "قضت المحكمة بالحبس سنتين على المتهم", [2.0]),
        # years that are no term: a wait, a reign, time served before a release
        ("", "بعد 20 عاما من الانتظار عاد اللاعب إلى ناديه الأول", []),
        ("", "حكم الرئيس البلاد 30 عاما قبل أن يتنحى", []),
        ("", "أفرج عن الصحفي بعد أن قضى خمس سنوات في السجن", []),
    ],
)
def test_the_prison_term_a_title_and_lead_name(title: str, text: str, terms: list[float]) -> None:
    assert sentence_facts(title, text) == [(SENTENCE, term) for term in terms]


_BODY = (
    "وأدانت المحكمة الوزير السابق سالم العتيبي بتهم تلقي رشى واستغلال النفوذ في صفقات وزارة الأشغال "
    "العامة، وقال محاموه إنهم سيطعنون في الحكم. وكان العتيبي قد أوقف قبل عامين بعد تحقيق طويل أجرته "
    "هيئة مكافحة الفساد في عقود الطرق والجسور، وأثارت القضية جدلا واسعا في البلاد."
)
_FIRST_VERDICT = [
    (
        "السجن 7 سنوات للوزير السابق سالم العتيبي",
        "قضت المحكمة الجنائية بسجن الوزير السابق سالم العتيبي 7 سنوات. " + _BODY,
    ),
    (
        "الحكم على العتيبي بالسجن 7 سنوات",
        "أصدرت المحكمة الجنائية حكما بالسجن 7 سنوات على الوزير السابق سالم العتيبي. " + _BODY,
    ),
]
_APPEAL = [
    (
        "السجن 9 سنوات للوزير السابق سالم العتيبي",
        "قضت محكمة الجنايات بسجن الوزير السابق سالم العتيبي 9 سنوات. " + _BODY,
    ),
    (
        "الحكم على العتيبي بالسجن 9 سنوات",
        "أصدرت محكمة الجنايات حكما بالسجن 9 سنوات على الوزير السابق سالم العتيبي. " + _BODY,
    ),
]


def test_two_verdicts_of_one_trial_are_two_stories_without_times() -> None:
    stories = [decision.story_id for decision in decisions_in_order(_FIRST_VERDICT + _APPEAL)]
    # each verdict's two reports join; the second verdict does not join the first
    assert stories == ["r0", "r0", "r2", "r2"]
