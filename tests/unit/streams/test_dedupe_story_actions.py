"""Reports of one event that tell the same actions join on weaker evidence, when both are
dated and hours apart (streams/dedupe/actions.py, stories.best_story; docs/dedupe.md).

The stream is young, as a held-out set of pages is: two earlier reports of a train crash
already hold its words, so that for a third outlet's report they are no longer "in no other
article", the rarity that a join needs in a stream of a handful of articles."""

from __future__ import annotations

import dataclasses
import struct

import pytest

from streams.dedupe import DedupeConfig, DedupeInput, Deduplicator, InMemoryDedupeStore
from streams.dedupe.actions import action_names, event_actions
from streams.dedupe.profile import ACTIONS_KIND, StoryProfile
from streams.dedupe.shingles import dedupe_tokens

# (key, outlet, published, title, text): a morning on one railway line
STREAM = (
    (
        "fares",
        "masr-news",
        "2024-03-10T07:00:00Z",
        "زيادة أسعار تذاكر قطارات الصعيد الشهر المقبل",
        "قررت وزارة النقل زيادة أسعار تذاكر القطارات المكيفة المتجهة إلى أسيوط وسوهاج والأقصر بنسبة خمسة عشر "
        "في المئة اعتبارا من الشهر المقبل. وانتقد نواب القرار وطالبوا بمراعاة محدودي الدخل من الطلاب والموظفين، "
        "فيما قالت الوزارة إن الحصيلة ستوجه إلى تجديد الجرارات.",
    ),
    (
        "school",
        "cairo-daily",
        "2024-03-10T08:00:00Z",
        "محافظ سوهاج يفتتح مدرسة جديدة في طهطا",
        "افتتح محافظ سوهاج مدرسة ثانوية جديدة في مدينة طهطا تستوعب ألف طالب، وتفقد أعمال رصف الطرق المحيطة بها. "
        "وقال المحافظ إن المحافظة تنفذ خطة لتطوير الخدمات في القرى.",
    ),
    (
        "crash-a",
        "masr-news",
        "2024-03-10T10:00:00Z",
        "تصادم قطارين قرب محطة طهطا في سوهاج",
        "وقع تصادم بين قطارين صباح اليوم قرب محطة طهطا بمحافظة سوهاج، ما أسفر عن سقوط مصابين وانقلاب عربتين. "
        "وقالت مصادر في هيئة السكك الحديدية إن قطار الركاب المتجه إلى أسوان اصطدم من الخلف بقطار متوقف بسبب عطل "
        "في الإشارات. ودفعت مديرية الصحة بسيارات إسعاف لنقل المصابين إلى مستشفى طهطا المركزي، وتوقفت حركة "
        "القطارات لساعات.",
    ),
    (
        "crash-a2",
        "nile-wire",
        "2024-03-10T11:00:00Z",
        "إصابة ركاب في تصادم قطارين بمحطة طهطا",
        "أصيب عدد من الركاب في تصادم قطارين عند محطة طهطا في سوهاج صباح اليوم، بعدما اصطدم قطار الركاب بقطار "
        "متوقف. وقالت هيئة السكك الحديدية إن عطلا في الإشارات وراء الحادث، وإن سيارات الإسعاف نقلت المصابين إلى "
        "المستشفى.",
    ),
    (
        "fares-noon",
        "delta-news",
        "2024-03-10T12:00:00Z",
        "زيادة أسعار تذاكر قطار الركاب بين سوهاج وطهطا",
        "أعلنت هيئة السكك الحديدية زيادة أسعار تذاكر قطار الركاب بين سوهاج وطهطا اعتبارا من الأسبوع المقبل، في "
        "يوم توقفت فيه الحركة على الخط. وقالت الهيئة إن الزيادة لا تشمل اشتراكات الطلاب.",
    ),
    (
        "crash-b",
        "upper-egypt-today",
        "2024-03-10T13:00:00Z",
        "مصرع ثلاثة في تصادم قطارين بطهطا",
        "لقي ثلاثة أشخاص مصرعهم وأصيب عشرات آخرون في تصادم قطارين بمدينة طهطا شمال سوهاج، بحسب بيان للمحافظة. "
        "وأوضح البيان أن القطار الأول توقف قبل أن يصطدم به قطار الركاب القادم من القاهرة، فيما انتشلت فرق الإنقاذ "
        "الركاب من العربات. وأمر النائب العام بفتح تحقيق عاجل.",
    ),
)


def stories(config: DedupeConfig, *, dated: bool = True) -> dict[str, tuple[str, str]]:
    """key -> (story id, reason) for the stream fed in order."""
    dedup = Deduplicator(InMemoryDedupeStore(), config)
    out = {}
    for i, (key, outlet, published, title, text) in enumerate(STREAM):
        item = DedupeInput(key, outlet, f"https://{outlet}.example/{key}", title, text, published if dated else None)
        decision = dedup.process(dataclasses.replace(item, seen_at=1_710_050_000.0 + 3600 * i))
        assert decision.duplicate_of is None
        out[key] = (decision.story_id, decision.story_reason or "")
    return out


def actions_of(key: str) -> list[str]:
    _key, _outlet, _published, title, text = next(item for item in STREAM if item[0] == key)
    return action_names(event_actions(dedupe_tokens(title), dedupe_tokens(text)))


def test_the_third_outlet_joins_the_crash_because_it_tells_the_same_action() -> None:
    assert actions_of("crash-a") == actions_of("crash-a2") == actions_of("crash-b") == ["crash"]
    with_actions = stories(DedupeConfig())
    assert with_actions["crash-a2"][0] == "crash-a"
    story, reason = with_actions["crash-b"]
    assert story == "crash-a"
    needed = float(reason.split("needs ")[1].split(")")[0])
    assert needed < DedupeConfig().story_threshold_dated  # it joined on the weaker evidence
    # without weighing actions the same report opens a story of its own (and its rules
    # would alert a second time on the crash)
    without = stories(DedupeConfig(story_threshold_same_actions=None))
    assert without["crash-a2"][0] == "crash-a"
    assert without["crash-b"][0] == "crash-b"


def test_a_report_of_other_actions_on_the_same_line_stays_out_of_the_crash() -> None:
    # the fare rise names the line, the towns and the railway authority, hours after the crash
    assert actions_of("fares-noon") == ["prices"]
    decided = stories(DedupeConfig())
    crash = decided["crash-a"][0]
    assert decided["fares-noon"][0] != crash
    assert decided["fares"][0] != crash and decided["school"][0] != crash


def test_undated_reports_are_judged_as_before() -> None:
    # nothing says the reports are hours apart: the actions alone do not join them
    assert stories(DedupeConfig(), dated=False)["crash-b"][0] == "crash-b"


def test_stored_profiles_keep_the_actions_apart_from_the_figures() -> None:
    profile = StoryProfile([7, 9], [255, 10], [(0, 1)], [(3, 800.0)], actions=0b101)
    again, end = StoryProfile.from_bytes(profile.to_bytes())
    assert end == len(profile.to_bytes())
    assert again.actions == 0b101 and again.facts == ((3, 800.0),) and again == profile
    # stored as one more figure entry, after the figures: a reader that does not know
    # actions sees a figure of a kind no article gives
    raw = profile.to_bytes()
    assert raw[-17] == 2  # the count byte of the figures: one figure and the actions
    assert raw[-8:] == struct.pack("<If", ACTIONS_KIND, 5.0)
    # a profile without actions (or written before them) reads as none, and is stored as before
    plain = StoryProfile([7, 9], [255, 10], [(0, 1)])
    assert StoryProfile.from_bytes(plain.to_bytes())[0].actions == 0
    assert plain.to_bytes() == StoryProfile([7, 9], [255, 10], [(0, 1)], actions=0).to_bytes()


@pytest.mark.parametrize("bits", [1, 2**20 + 3, 2**23])
def test_every_action_mask_survives_the_float32_it_is_stored_in(bits: int) -> None:
    assert StoryProfile.from_bytes(StoryProfile([7], [255], actions=bits).to_bytes())[0].actions == bits
