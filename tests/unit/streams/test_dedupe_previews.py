"""A preview (written ahead of the event it tells) and a report of the outcome never share a
story: an alert on the outcome must not be grouped, or throttled, with one on the preview
(streams/dedupe/previews.py, stories.best_story; docs/dedupe.md, "Previews"). Texts written
for this project."""

from __future__ import annotations

import pytest

from streams.dedupe import DedupeInput, Deduplicator, InMemoryDedupeStore
from streams.dedupe.previews import is_preview
from streams.dedupe.profile import StoryProfile

# (key, outlet, published, title, text): the day of a cup final in an invented country
PREVIEW = (
    "preview",
    "sport-daily",
    "2024-05-12T09:00:00Z",
    "نهائي كأس أرجان بين النجم الأزرق والاتحاد الساحلي",
    "تتجه أنظار عشاق كرة القدم في أرجان مساء اليوم إلى ملعب زهران الدولي، الذي يحتضن نهائي كأس أرجان بين "
    "النجم الأزرق والاتحاد الساحلي، بحضور عشرين ألف متفرج. ويسعى النجم الأزرق إلى لقبه السابع في البطولة، "
    "فيما يبحث الاتحاد الساحلي عن لقبه الأول بقيادة مدربه سالم الوردي وهدافه يوسف القرمزي.",
)
OUTCOMES = (
    (
        "final-a",
        "arjan-news",
        "2024-05-12T21:30:00Z",
        "الاتحاد الساحلي بطلا لكأس أرجان للمرة الأولى",
        "توج الاتحاد الساحلي بكأس أرجان للمرة الأولى في تاريخه بعد فوزه على النجم الأزرق في النهائي الذي أقيم "
        "مساء اليوم على ملعب زهران الدولي بحضور عشرين ألف متفرج. وسجل يوسف القرمزي هدف الاتحاد الساحلي في "
        "الدقيقة الأخيرة، ليمنح مدربه سالم الوردي أول ألقابه، فيما فشل النجم الأزرق في لقبه السابع.",
    ),
    (
        "final-b",
        "coast-times",
        "2024-05-12T22:10:00Z",
        "القرمزي يهدي الاتحاد الساحلي كأس أرجان",
        "أحرز الاتحاد الساحلي كأس أرجان بفوزه على النجم الأزرق في نهائي ملعب زهران الدولي مساء اليوم، بهدف "
        "سجله يوسف القرمزي في الدقيقة الأخيرة. وهو اللقب الأول للاتحاد الساحلي في البطولة، وأول ألقاب المدرب "
        "سالم الوردي، بينما أضاع النجم الأزرق فرصة لقبه السابع أمام عشرين ألف متفرج.",
    ),
)


def item(key: str, outlet: str, published: str | None, title: str, text: str) -> DedupeInput:
    return DedupeInput(key, outlet, f"https://{outlet}.example/{key}", title, text, published, 1_715_500_000.0)


def stories(reports, dated: bool = True) -> dict[str, str]:
    dedup = Deduplicator(InMemoryDedupeStore())
    return {r[0]: dedup.process(item(r[0], r[1], r[2] if dated else None, r[3], r[4])).story_id for r in reports}


@pytest.mark.parametrize("dated", [True, False])
def test_the_outcome_does_not_join_the_previews_story(dated: bool) -> None:
    decided = stories((PREVIEW, *OUTCOMES), dated)
    assert decided == {"preview": "preview", "final-a": "final-a", "final-b": "final-a"}
    # the same preview without its cues (the eyes turning to the final, "tonight") is read as
    # a report like the others, and the outcome joins its story: what the cues prevent
    plain = (
        "plain",
        *PREVIEW[1:3],
        PREVIEW[3],
        PREVIEW[4].replace("تتجه أنظار عشاق كرة القدم في أرجان مساء اليوم إلى", "شهد"),
    )
    assert not is_preview(plain[3], plain[4])
    assert stories((plain, *OUTCOMES), dated)["final-a"] == "plain"


def test_a_copy_of_a_preview_under_a_new_title_is_still_one() -> None:
    """A near copy is filed as a version of its original: it carries the original's being a
    preview, so an outcome cannot reach the preview's story through a copy whose cues were
    cut with its first lines."""
    dedup = Deduplicator(InMemoryDedupeStore())
    dedup.process(item(*PREVIEW))
    cut = PREVIEW[4].replace("تتجه أنظار عشاق كرة القدم في أرجان مساء اليوم إلى", "في")
    assert not is_preview("الليلة نهائي كأس أرجان", cut)
    copy = dedup.process(item("copy", "mirror-site", "2024-05-12T09:30:00Z", "الليلة نهائي كأس أرجان", cut))
    assert copy.duplicate_of == "preview"
    outcome = dedup.process(item(*OUTCOMES[0]))
    assert outcome.story_id == "final-a"


@pytest.mark.parametrize(
    ("title", "text"),
    [
        ("هل يقر البرلمان الموازنة الجديدة؟", "يصوت مجلس النواب اليوم على مشروع الموازنة العامة."),
        ("نهائي الكأس", "تتجه الأنظار مساء اليوم إلى ملعب المدينة حيث يقام النهائي."),
        ("انتخابات البلدية", "يترقب الناخبون في المدينة إعلان النتائج الأولية مساء اليوم."),
        ("حفل الجوائز", "عشاق السينما على موعد مع حفل توزيع الجوائز الليلة في العاصمة."),
        ("التنصيب", "الرئيس المنتخب يستعد لحفل تنصيبه ظهر اليوم أمام البرلمان."),
        ("الرحلة", "ودع رائد الفضاء عائلته قبل انطلاقه إلى المحطة الدولية بساعات."),
        ("إطلاق المسبار", "كيف تشاهد إطلاق المسبار الليلة على الهواء مباشرة."),
        ("", "يُتوقع أن تعلن وزارة الطاقة اليوم عن اختراق علمي في أبحاث الاندماج النووي."),
        ("", "أعلن مركز الفضاء الموعد الرسمي لإطلاق القمر الاصطناعي الجديد."),
        ("", "تعلن وزارة الآثار - السبت المقبل، عن كشف أثري جديد في مؤتمر صحفي."),
        ("", "أعلن ولي العهد عن إطلاق القمر الاصطناعي الجديد في شهر أكتوبر المقبل."),
        # (story sets 42 and 43) getting ready, and a lead that opens on the waiting
        ("رحلة الفضاء", "يتأهب الرئيس وزوجته لحضور إطلاق أول رحلة مأهولة من القاعدة الجوية."),
        ("الجزيرتان", "وسط ترقب واسع بين المواطنين، تحسم غداً المحكمة العليا تبعية الجزيرتين."),
    ],
)
def test_cues_of_a_report_written_ahead(title: str, text: str) -> None:
    assert is_preview(title, text)


@pytest.mark.parametrize(
    ("title", "text"),
    [
        # what reports of an outcome also say: a plane that was preparing to land, the hours
        # before something else, a future verb for what comes next, a question further down
        ("تحطم طائرة ركاب", "تحطمت الطائرة بينما كانت تستعد للهبوط في مطار العاصمة، وقتل جميع ركابها."),
        ("توقيع الاتفاق", "وقع الطرفان الاتفاق قبل ساعات من انتهاء المهلة، وسيلتقي الوزيران الشهر المقبل."),
        ("البرلمان يقر الموازنة", "أقر البرلمان الموازنة الجديدة.\nهل تكفي لسد العجز؟ يقول خبراء إنها لا تكفي."),
        ("فوز المنتخب", "فاز المنتخب في النهائي، ومن المقرر أن يعود اللاعبون إلى البلاد غدا."),
        # what comes next after an outcome, and the launch told with a later month
        ("إطلاق القمر", "انطلق القمر الاصطناعي بنجاح، ويتوقع أن يبدأ إرسال الصور الشهر المقبل."),
        ("اختتام القمة", "اختتمت القمة أعمالها اليوم، وأعلن المنظمون أن الدورة المقبلة تعقد في العاصمة."),
        # a crew that was getting ready; the waiting told after the news
        ("الرحلة الأخيرة", "تحطمت المروحية بينما كان يتأهب طاقمها للهبوط في القاعدة، وقتل ثلاثة."),
        ("حكم نهائي", "أصدرت المحكمة العليا اليوم حكمها النهائي وسط ترقب واسع بين المواطنين."),
    ],
)
def test_no_cue_in_a_report_of_the_outcome(title: str, text: str) -> None:
    assert not is_preview(title, text)


def test_only_the_title_and_the_lead_are_read() -> None:
    lead = "فاز المنتخب في النهائي. " * 20
    assert not is_preview("فوز المنتخب", lead + "وتتجه الأنظار الآن إلى البطولة المقبلة.")


def test_stored_profiles_keep_the_preview_and_read_old_ones_as_none() -> None:
    profile = StoryProfile([7, 9], [255, 10], [(0, 1)], [(3, 800.0)], preview=True)
    again, end = StoryProfile.from_bytes(profile.to_bytes())
    assert end == len(profile.to_bytes()) and again.preview and again == profile
    assert again.facts == ((3, 800.0),)
    plain = StoryProfile([7, 9], [255, 10], [(0, 1)])
    assert not StoryProfile.from_bytes(plain.to_bytes())[0].preview
    # a report that is not a preview is stored as before previews were read
    assert plain.to_bytes() == StoryProfile([7, 9], [255, 10], [(0, 1)], preview=False).to_bytes()
