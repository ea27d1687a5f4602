"""A near copy may say more than its original: on real pages, a follow-up that reuses the
first report's paragraphs under a new lead (a neighbour's president flying in to offer
condolences, over the mourning announcement) is found as a copy of it. Every rule sees a
near copy; its matches alert only for a rule that never fired on the story, and fold
into the group its original opened otherwise, even once that group's window has closed."""

from __future__ import annotations

from alerts.grouping import GroupState, decide
from kernel.messages import RawArticle
from streams import pipeline
from streams.dedupe import Deduplicator, InMemoryDedupeStore
from streams.rules import compile_ruleset
from tests.support.alerts import T0, event

# Our own texts: an announcement, and a follow-up that tells a new event in its first
# paragraph and then repeats the announcement's paragraphs with small edits.
ANNOUNCEMENT = [
    "أعلن ديوان الرئاسة في جمهورية الساحل صباح اليوم وفاة الرئيس مراد الحكيم عن عمر ناهز ثمانين عاما بعد مرض عضال.",
    "وقال الديوان في بيان رسمي إن البلاد فقدت قائدا حكيما قاد مسيرتها في سنوات صعبة وبنى مؤسساتها الحديثة.",
    "وأعلن البيان الحداد الرسمي وتنكيس الأعلام أربعين يوما اعتبارا من اليوم في جميع أنحاء البلاد.",
    "كما قرر تعطيل العمل في الوزارات والدوائر الحكومية والقطاع الخاص ثلاثة أيام حزنا على الفقيد.",
    "وتقام صلاة الجنازة بعد صلاة العصر في المسجد الكبير بالعاصمة ويوارى الثرى في مقبرة العائلة.",
]
FOLLOW_UP = [
    "وصل الرئيس الموريتاني إلى عاصمة جمهورية الساحل مساء اليوم لتقديم واجب العزاء في وفاة الرئيس مراد الحكيم.",
    "وكان ديوان الرئاسة في جمهورية الساحل قد أعلن صباح اليوم وفاة الرئيس مراد الحكيم عن عمر ناهز ثمانين عاما بعد مرض عضال.",
    "وقال الديوان في بيانه الرسمي إن البلاد فقدت قائدا حكيما قاد مسيرتها في سنوات صعبة وبنى مؤسساتها الحديثة.",
    "وأعلن البيان الحداد الرسمي وتنكيس الأعلام أربعين يوما اعتبارا من اليوم في جميع أنحاء البلاد.",
    "كما قرر تعطيل العمل في الوزارات والدوائر الحكومية والقطاع الخاص ثلاثة أيام حزنا على الفقيد.",
]
RULES = [
    {"id": "mourning", "when": {"terms": ["الحداد الرسمي"]}},
    {"id": "mauritania-president", "when": {"terms": ["الرئيس الموريتاني"]}},
]


def _raw(article_id: str, outlet: str, title: str, paragraphs: list[str], minutes: float) -> RawArticle:
    return RawArticle(
        id=article_id,
        feed=outlet,
        url=f"https://{outlet}/news/{article_id}",
        title=title,
        content="\n".join(f"<p>{p}</p>" for p in paragraphs),
        published=None,
        language="ar",
        first_seen_at=T0 + 60 * minutes,
    )


def test_a_follow_up_found_as_a_near_copy_alerts_for_what_only_it_says() -> None:
    ruleset = compile_ruleset(RULES, {})
    deduplicator = Deduplicator(InMemoryDedupeStore())
    original = _raw("announcement", "sahil-news.example", "وفاة الرئيس مراد الحكيم وإعلان الحداد", ANNOUNCEMENT, 0)
    follow_up = _raw(
        "condolences", "other-news.example", "الرئيس الموريتاني يصل لتقديم العزاء في الرئيس الحكيم", FOLLOW_UP, 600
    )
    article, decision = pipeline.dedupe(original, pipeline.normalize(original), deduplicator)
    assert decision.duplicate_of is None
    first = pipeline.match(article, ruleset)
    assert [e.rule.id for e in first] == ["mourning"]

    copy, copy_decision = pipeline.dedupe(follow_up, pipeline.normalize(follow_up), deduplicator)
    assert (copy_decision.duplicate_of, copy_decision.kind) == ("announcement", "near")
    # story rules only, as before: the new lead's rule would never be seen
    assert pipeline.match_copy(copy, ruleset) == []
    copied = pipeline.match_copy(copy, ruleset, near=True)
    assert sorted(e.rule.id for e in copied) == ["mauritania-president", "mourning"]
    assert all(e.from_copy and e.story.id == "announcement" for e in copied)

    groups: dict[tuple[str, str], GroupState] = {}
    for alert in first:
        outcome = decide(None, alert)
        assert outcome.group is not None
        groups[(alert.rule.id, alert.story.id)] = outcome.group
    sent = {}
    for alert in copied:
        outcome = decide(groups.get((alert.rule.id, alert.story.id)), alert)
        sent[alert.rule.id] = (outcome.action, outcome.reason)
    assert sent == {"mourning": ("throttle", "throttled"), "mauritania-president": ("send", "new")}


def test_an_exact_copy_is_seen_by_story_rules_only() -> None:
    ruleset = compile_ruleset(RULES, {})
    deduplicator = Deduplicator(InMemoryDedupeStore())
    title = "وفاة الرئيس مراد الحكيم وإعلان الحداد"
    for raw in (_raw("a", "one.example", title, ANNOUNCEMENT, 0), _raw("b", "two.example", title, ANNOUNCEMENT, 5)):
        copy, decision = pipeline.dedupe(raw, pipeline.normalize(raw), deduplicator)
    assert decision.kind == "exact-content"
    assert pipeline.match_copy(copy, ruleset, near=decision.kind == "near") == []


def test_a_copys_match_folds_into_its_originals_group_after_the_window_closed() -> None:
    opened = decide(None, event(rule="mourning", story="s", at=T0, throttle=600))
    assert opened.group is not None
    late = T0 + 3600  # the original's window closed 50 minutes ago
    plain = decide(opened.group, event(rule="mourning", story="s", article="a2", at=late, throttle=600))
    assert (plain.action, plain.reason) == ("send", "new")  # another article: a new window
    copy = event(rule="mourning", story="s", article="a3", at=late, throttle=600).model_copy(update={"from_copy": True})
    folded = decide(opened.group, copy)
    assert (folded.action, folded.reason) == ("throttle", "throttled")
    assert folded.group is not None and folded.group.count == 2 and folded.alert_id == opened.alert_id


def test_a_copys_match_opens_a_group_only_for_a_rule_that_never_fired_on_the_story() -> None:
    copy = event(rule="mourning", story="s", article="a3").model_copy(update={"from_copy": True})
    gone = decide(None, copy, opened_before=True)  # the group existed; its state has expired
    assert (gone.action, gone.reason, gone.alert_id, gone.group) == ("throttle", "copy", "", None)
    never = decide(None, copy, opened_before=False)
    assert (never.action, never.reason) == ("send", "new")
    assert never.group is not None and never.group.first_article_id == "a3"
    # an article that is not a copy opens a window whatever happened before
    assert decide(None, event(rule="mourning", story="s"), opened_before=True).reason == "new"
