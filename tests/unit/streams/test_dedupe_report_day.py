"""A notice issued again days later in the same words is not a copy of the first: only the
day its lead reports differs (streams/dedupe/weekdays.lead_days); and, without published times,
a report of another day does not join a story (fact_checks.conflicting_story). Texts written
for this project reproduce what real airspace notices, their republications and two fires'
reports do."""

from __future__ import annotations

import pytest

from streams.dedupe import DedupeDecision, DedupeInput, Deduplicator, InMemoryDedupeStore
from streams.dedupe.profile import StoryProfile
from streams.dedupe.weekdays import lead_days, report_other_days
from tests.support.dedupe_pair import decisions_in_order

SUNDAY, MONDAY, TUESDAY, WEDNESDAY, THURSDAY, FRIDAY, SATURDAY = 1, 2, 3, 4, 5, 6, 7
TITLE = "إغلاق مؤقت وجزئي للمجال الجوي في جمهورية الساحل"
NOTICE = (
    "أعلنت الهيئة العامة للطيران المدني في جمهورية الساحل{day} إغلاقا مؤقتا وجزئيا للمجال الجوي "
    "كإجراء احترازي يهدف إلى تأمين سلامة الرحلات والطواقم في ظل تطورات الأوضاع في المنطقة.\n"
    "وأكدت الهيئة في بيانها أن القرار جاء بناء على تقييم شامل للمخاطر الأمنية والتشغيلية، "
    "وبالتنسيق مع الجهات المعنية محليا ودوليا، وأن سلامة الأجواء تبقى أولوية قصوى.\n"
    "ودعت الهيئة المسافرين إلى التواصل مع شركات الطيران للتأكد من مواعيد رحلاتهم قبل التوجه "
    "إلى المطارات، مشيرة إلى أن القرار يخضع للمراجعة المستمرة وفق تطورات الموقف."
)


@pytest.mark.parametrize(
    ("lead", "day"),
    [
        ("أعلنت الهيئة اليوم السبت إغلاق المجال الجوي", SATURDAY),
        ("أعلنت الهيئة، السبت، إغلاق المجال الجوي", SATURDAY),
        ("قالت الهيئة في بيان أمس الأحد إن القرار مؤقت", SUNDAY),
        ("أعلنت الهيئة فجر اليوم الثلاثاء إغلاق المجال الجوي", TUESDAY),
        ("وقع الحادث صباح الإثنين على الطريق السريع", MONDAY),
        ('نقلت الوكالة "وام"/ الأربعاء/ أن القرار مؤقت', WEDNESDAY),
        ("تمكنت الدفاعات مساء اليوم (الخميس) من اعتراض الطائرة", THURSDAY),
        ("أعلنت الهيئة اليوم «الأحد» إغلاق المجال الجوي", SUNDAY),
        # the day before yesterday, between slashes (the agency) or after a dash (its edit)
        ("وقع الحادث أمس الأول /الأربعاء/ في العاصمة", WEDNESDAY),
        ("وقع الحادث أمس الأول -الأربعاء.. في العاصمة", WEDNESDAY),
        # "on <day>" (a match report of a tournament: the next match is another day's)
        ("خسر المنتخب يوم الخميس أمام نظيره ضمن المجموعة الأولى", THURSDAY),
        ("يلتقي المنتخب نظيره يوم الخميس المقبل في الدور الثاني", 0),
        ("بعد خسارته يوم الأحد الماضي عاد المنتخب إلى التدريب", 0),
        # tomorrow's day (a warning of the coming days: the next warning names another)
        ("دعت الهيئة إلى الحذر من الأمطار من يوم غدٍ الجمعة حتى الثلاثاء القادم", FRIDAY),
        ("تبدأ البطولة غدا (السبت) في العاصمة", SATURDAY),
        # a coming day, a date line, a weekday in running text: none is the report's day
        ("تعطل الدوائر الرسمية يوم الأربعاء المقبل احتفاء بالعيد", 0),
        ("الإثنين 17 نوفمبر 2025\nأعلنت الهيئة إغلاق المجال الجوي", 0),
        ("أعلنت الهيئة، الأحد ١٧ نوفمبر، إغلاق المجال الجوي", 0),
        ("أعلنت الهيئة إغلاق المجال الجوي حتى إشعار آخر", 0),
        # today's day with its date after it is prose, not a date line; a working week's
        # first day is no report's (copy set 44)
        ("قررت الحكومة، اليوم الثلاثاء 7 ديسمبر الجاري، تغيير نظام العمل", TUESDAY),
        ("يكون العمل من يوم الإثنين إلى الخميس، والعطلة يومي السبت والأحد", 0),
        ("سجلت الفرق 72 حريقا منذ أمس الاثنين في 14 ولاية", 0),
    ],
)
def test_the_day_a_lead_reports(lead: str, day: int) -> None:
    assert lead_days(lead)[1] == day


def test_only_two_named_days_that_differ_are_other_days() -> None:
    assert report_other_days(SATURDAY, TUESDAY)
    assert not report_other_days(SATURDAY, SATURDAY)
    assert not report_other_days(SATURDAY, 0) and not report_other_days(0, TUESDAY)


def _decisions(*notices: tuple[str, str, str]) -> list[DedupeDecision]:
    """The decisions on ``notices`` (id, text, published day of March 2026), one store."""
    dedup = Deduplicator(InMemoryDedupeStore())
    return [
        dedup.process(DedupeInput(key, key, "", TITLE, text, f"2026-03-{day}T09:00:00Z", 1.8e9 + n))
        for n, (key, text, day) in enumerate(notices)
    ]


def test_the_same_notice_issued_again_on_another_day_is_no_copy() -> None:
    first, again = _decisions(
        ("saturday", NOTICE.format(day="، اليوم السبت،"), "07"),
        ("tuesday", NOTICE.format(day="، فجر اليوم الثلاثاء،"), "10"),
    )
    assert (first.duplicate_of, again.duplicate_of) == (None, None)


def test_a_notice_naming_its_day_in_brackets_issued_again_is_no_copy() -> None:
    first, again = _decisions(
        ("thursday", NOTICE.format(day=" مساء اليوم (الخميس)"), "05"),
        ("saturday", NOTICE.format(day=" مساء اليوم (السبت)"), "07"),
    )
    assert (first.duplicate_of, again.duplicate_of) == (None, None)


def test_a_republication_the_next_day_keeps_its_originals_day_and_is_a_copy() -> None:
    _, copy = _decisions(
        ("saturday", NOTICE.format(day="، اليوم السبت،"), "07"),
        ("site", NOTICE.format(day="، أمس السبت،"), "08"),
    )
    assert (copy.duplicate_of, copy.kind) == ("saturday", "near")


def test_an_edited_copy_writing_the_agencys_slashes_as_a_dash_is_a_copy() -> None:
    event = "، على خلفية حادث وقع أمس الأول {mark}الثلاثاء{end}، وقالت الهيئة اليوم {mark}الخميس{end}"
    _, copy = _decisions(
        ("agency", NOTICE.format(day=event.format(mark="/", end="/")), "05"),
        ("site", NOTICE.format(day=event.format(mark="-", end="")), "05"),
    )
    assert copy.duplicate_of == "agency"  # (the same words once folded: an exact copy)


def test_a_copy_naming_no_day_carries_its_originals_so_the_reissue_does_not_chain_through_it() -> None:
    *_, again = _decisions(
        ("saturday", NOTICE.format(day="، اليوم السبت،"), "07"),
        ("no-day", NOTICE.format(day=""), "07"),
        ("tuesday", NOTICE.format(day="، فجر اليوم الثلاثاء،"), "10"),
    )
    assert again.duplicate_of is None


def test_a_profile_keeps_the_day_its_lead_reports() -> None:
    profile = StoryProfile([1, 2], [200, 100], (), [(99, 5.0)], countries=(4,), report_day=TUESDAY)
    read, _ = StoryProfile.from_bytes(profile.to_bytes())
    assert (read.report_day, read.countries, read.facts) == (TUESDAY, frozenset({4}), ((99, 5.0),))
    assert read == profile
    # a profile stored before the day was kept reads as naming none
    older, _ = StoryProfile.from_bytes(StoryProfile([1, 2], [200, 100], ()).to_bytes())
    assert older.report_day == 0


@pytest.mark.parametrize(
    ("title", "lead", "day"),
    [
        ("", "دعت الهيئة إلى الحذر من الأمطار من يوم غدٍ الجمعة حتى الثلاثاء القادم.", TUESDAY),
        ("الهيئة: استمرار الأمطار حتى الجمعة القادمة", "دعت الهيئة إلى الحذر.", FRIDAY),
        ("", "وقال إنه لم يصل أحد حتى الآن إلى موقع الحادث", None),
    ],
)
def test_the_day_a_warning_lasts_until(title: str, lead: str, day: int | None) -> None:
    assert lead_days(lead, title)[2] == (day or 0)


WARNING = (
    "دعت الهيئة العامة للدفاع المدني إلى أخذ الحيطة والحذر، وضرورة البقاء في أماكن آمنة والابتعاد "
    "عن أماكن تجمع السيول والأودية، إذ تشير التوقعات إلى هطول أمطار رعدية على معظم مناطق جمهورية "
    "الساحل من يوم غدٍ الجمعة حتى {until} المقبل، بكميات تصل إلى 45 ملم ورياح تبلغ سرعتها 60 "
    "كيلومترا.\n"
    "وأكدت الهيئة أهمية الالتزام بالتعليمات المعلنة عبر وسائل الإعلام ومنصات التواصل الاجتماعي، "
    "وعدم المجازفة بعبور الأودية أثناء جريان السيول، والابتعاد عن أعمدة الكهرباء."
)


def test_a_warning_lasting_until_another_day_is_no_copy() -> None:
    # (from the same day, with the same figures: only the last day tells the two warnings apart)
    dedup = Deduplicator(InMemoryDedupeStore())
    first = dedup.process(DedupeInput("one", "one", "", TITLE, WARNING.format(until="الثلاثاء"), None, 1.8e9))
    again = dedup.process(DedupeInput("two", "two", "", TITLE, WARNING.format(until="السبت"), None, 1.8e9 + 60))
    copy = dedup.process(DedupeInput("three", "three", "", TITLE, WARNING.format(until="السبت"), None, 1.8e9 + 90))
    assert (first.duplicate_of, again.duplicate_of, copy.duplicate_of) == (None, None, "two")


# Two church fires two days apart: the second report's lead reports its own day and recalls the
# first fire's toll (story set 47).
_FIRES = [
    (
        "حريق ضخم في كنيسة مار يوحنا بحي الوادي يودي بحياة 23 شخصا",
        "اندلع حريق ضخم داخل كنيسة مار يوحنا في حي الوادي صباح اليوم الأحد، وأسفر عن مصرع 23 شخصا وإصابة "
        "آخرين أثناء القداس. وقال شهود عيان إن النيران اشتعلت في الطابق الثالث للكنيسة بسبب ماس كهربائي، وإن "
        "الدخان الكثيف حاصر المصلين. ودفعت السلطات بعشرات سيارات الإطفاء والإسعاف إلى المكان، فيما أعلنت وزارة "
        "الصحة نقل المصابين إلى المستشفيات القريبة.",
    ),
    (
        "23 قتيلا في حريق كنيسة مار يوحنا",
        "لقي 23 شخصا مصرعهم، اليوم الأحد، في حريق شب بكنيسة مار يوحنا في حي الوادي خلال القداس، بحسب وزارة "
        "الصحة. وأرجعت المصادر الأولية الحريق إلى ماس كهربائي في الطابق الثالث، وحاصر الدخان المصلين قبل وصول "
        "سيارات الإطفاء. ونقلت سيارات الإسعاف المصابين إلى المستشفيات، وفتحت النيابة تحقيقا في أسباب الحادث.",
    ),
    (
        "حريق هائل يلتهم كنيسة في مدينة الساحل بعد حادث مار يوحنا",
        "شب حريق هائل، ظهر الثلاثاء، في كنيسة الأنبا مرقس بمدينة الساحل، بعد 48 ساعة فقط من حريق كنيسة مار "
        "يوحنا الذي أودى بحياة 23 شخصا. ولم يسفر الحريق عن إصابات، لكنه دمر الطابق الأرضي للكنيسة بالكامل، وقال "
        "شهود عيان إن النيران اشتعلت بسبب ماس كهربائي. ودفعت السلطات بسيارات الإطفاء إلى المكان، وفتحت النيابة "
        "تحقيقا في أسباب الحادث.",
    ),
]


def test_a_story_of_another_reported_day_is_not_joined_whatever_figures_it_shares() -> None:
    """Undated, the second fire's report shares the first's names, words and toll (it recalls
    it); the day its lead reports, Tuesday, is not the day the first fire's reports give."""
    stories = [decision.story_id for decision in decisions_in_order(_FIRES)]
    assert stories == ["r0", "r0", "r2"]
