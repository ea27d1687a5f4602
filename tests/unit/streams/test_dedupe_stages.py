"""The stages of one affair told without published times are two events, not one story
(streams/dedupe/stages.py). Texts written for this project reproduce what real reports do:
a government designated and, days later, voted in, told with the same names, parties and
promises, and none of them dated."""

from __future__ import annotations

import pytest

from streams.dedupe import DedupeInput, Deduplicator, InMemoryDedupeStore
from streams.dedupe.stages import STAGE, stage_facts


@pytest.mark.parametrize(
    ("title", "text", "stages"),
    [
        ("الرئيس يكلف سامي الوادي بتشكيل الحكومة الجديدة", "", [1.0]),
        ("", "وقّع الرئيس مرسوم تشكيل الحكومة الجديدة بعد أسبوعين من المشاورات", [2.0]),
        ("البرلمان يحجب الثقة عن رئيس الوزراء", "", [3.0]),
        ("", "صوّت البرلمان على حجب الثقة عن الحكومة", [3.0]),  # a vote against, not confidence
        ("حكومة الوادي تنال ثقة البرلمان", "", [4.0]),
        ("", "صوت البرلمان على منح الثقة للحكومة الجديدة بأغلبية 190 نائبا", [4.0]),
        ("الحكومة الجديدة تؤدي اليمين الدستورية أمام الرئيس", "", [5.0]),
        ("", "وتسلّم رئيس الوزراء مهامه رسميا من سلفه في القصر الحكومي", [5.0]),
        ("", "بدأت اليوم جلسات الاستماع في الدعوى المرفوعة أمام المحكمة الدولية", [6.0]),
        ("محكمة الاستئناف تشدد الحكم على الوزير السابق", "", [7.0]),
        ("", "أعلنت الشركة إتمام صفقة الاستحواذ على منافستها مقابل 40 مليار دولار", [8.0]),
        # the title's stage and the lead's, when they differ: both
        ("حكومة الوادي تنال ثقة البرلمان", "وكان الرئيس قد كلف الوادي بتشكيل الحكومة قبل أسبوعين", [4.0, 1.0]),
        # the words without what they act on, or a takeover announced: no stage
        ("", "قال الوزير إن الثقة بين الطرفين تراجعت في الأشهر الأخيرة", []),
        ("", "أعلنت الشركة اتفاقا للاستحواذ على منافستها مقابل 40 مليار دولار", []),
        ("", "عقدت الحكومة جلستها الأسبوعية وناقشت مشروع الموازنة", []),
    ],
)
def test_the_stage_a_title_and_lead_name(title: str, text: str, stages: list[float]) -> None:
    assert stage_facts(title, text) == [(STAGE, stage) for stage in stages]


_DESIGNATED = [
    (
        "الرئيس يكلف سامي الوادي بتشكيل الحكومة الجديدة",
        "كلف رئيس الجمهورية اليوم النائب سامي الوادي بتشكيل الحكومة الجديدة، بعد أسابيع من الخلاف بين الكتل "
        "النيابية على اسم رئيس الوزراء. وقال الوادي في كلمة مقتضبة إنه سيعمل على تشكيل حكومة خدمات قادرة على "
        "مواجهة الأزمة الاقتصادية ومكافحة الفساد، وإنه سيبدأ مشاوراته مع الكتل النيابية غدا. ويعد الوادي من أبرز "
        "نواب الكتلة الوسطية في البرلمان، وتولى سابقا وزارة المالية.",
    ),
    (
        "سامي الوادي مكلفا بتشكيل الحكومة",
        "أعلنت رئاسة الجمهورية تكليف النائب سامي الوادي بتشكيل الحكومة الجديدة بعد انتهاء الاستشارات النيابية. "
        "وتعهد الوادي بتشكيل حكومة خدمات تواجه الأزمة الاقتصادية وتكافح الفساد، وقال إنه سيبدأ مشاوراته مع الكتل "
        "النيابية غدا. وكان الوادي قد تولى وزارة المالية في حكومة سابقة، ويعد من أبرز نواب الكتلة الوسطية.",
    ),
]
_VOTED_IN = [
    (
        "حكومة سامي الوادي تنال ثقة البرلمان",
        "نالت حكومة رئيس الوزراء سامي الوادي ثقة البرلمان اليوم بأغلبية 190 نائبا، بعد جلسة طويلة شهدت خلافا بين "
        "الكتل النيابية على عدد من الوزارات. وقال الوادي أمام النواب إن حكومته حكومة خدمات ستعمل على مواجهة "
        "الأزمة الاقتصادية ومكافحة الفساد. ويعد الوادي من أبرز نواب الكتلة الوسطية، وتولى سابقا وزارة المالية.",
    ),
    (
        "البرلمان يمنح الثقة لحكومة الوادي",
        "منح البرلمان الثقة لحكومة سامي الوادي بأغلبية 190 نائبا في جلسة استمرت ساعات، وسط خلاف بين الكتل "
        "النيابية على بعض الوزارات. وتعهد رئيس الوزراء أمام النواب بحكومة خدمات تواجه الأزمة الاقتصادية وتكافح "
        "الفساد. وكان الوادي قد تولى وزارة المالية، وهو من نواب الكتلة الوسطية.",
    ),
]


def test_a_governments_designation_and_its_confidence_vote_are_two_stories_without_times() -> None:
    dedup = Deduplicator(InMemoryDedupeStore())
    stories = []
    for index, (title, text) in enumerate(_DESIGNATED + _VOTED_IN):
        decision = dedup.process(DedupeInput(f"r{index}", f"site-{index}", "", title, text, None, 1_700_000_000.0))
        assert decision.duplicate_of is None
        stories.append(decision.story_id)
    # each stage's two reports join; the vote does not join the designation
    assert stories == ["r0", "r0", "r2", "r2"]
