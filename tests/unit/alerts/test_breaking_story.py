"""Breaking-story alerts, matching + grouping without a stack: a synthetic burst (one story
republished by six outlets in ten minutes among unrelated traffic) gives exactly one alert,
which names the outlets and the first/last seen times; stories below the threshold give
none, even when their feeds (not their outlets) reach it; escalations count outlets."""

from __future__ import annotations

from alerts.grouping import Decision, GroupState, decide
from alerts.payload import build_payload, schema_errors
from alerts.slack import build_message
from kernel.messages import AlertEvent, RawArticle, StoryOutlet
from streams import pipeline
from streams.dedupe import Deduplicator, InMemoryDedupeStore
from streams.rules import load_ruleset
from tests.support.alerts import T0, assert_block_kit, event
from tests.support.breaking_story import FIRE_OUTLETS, FIRE_REPORTS, burst_articles
from tests.support.stack import REPO_ROOT


def _run_burst(reverse: bool = False) -> tuple[list[tuple[AlertEvent, Decision]], dict[str, str]]:
    """The burst through normalize → dedupe → match (the shipped demo rules) → grouping,
    as the worker and the dispatcher run them; every decision, and each article's story."""
    rules = load_ruleset(REPO_ROOT / "deploy/demo/rules", REPO_ROOT / "deploy/demo/entities.yaml")
    deduplicator = Deduplicator(InMemoryDedupeStore())
    groups: dict[tuple[str, str], GroupState] = {}
    decisions: list[tuple[AlertEvent, Decision]] = []
    stories: dict[str, str] = {}
    articles = burst_articles()
    for raw in reversed(articles) if reverse else articles:
        article, decision = pipeline.dedupe(raw, pipeline.normalize(raw), deduplicator)
        stories[raw.id] = decision.story_id
        # as the worker does: an exact copy is matched by the story rules only, a near copy
        # by every rule (its matches fold into the groups its original opened)
        for alert in pipeline.match_decided(article, decision, rules):
            key = (alert.rule.id, alert.story.id)
            outcome = decide(groups.get(key), alert)
            groups[key] = outcome.group
            decisions.append((alert, outcome))
    return decisions, stories


def test_a_story_spread_by_verbatim_copies_alerts_once() -> None:
    """An agency story republished word for word by six sites: five copies are dropped as
    duplicates, yet their outlets make the story breaking news — one alert, from a copy."""
    rules = load_ruleset(REPO_ROOT / "deploy/demo/rules", REPO_ROOT / "deploy/demo/entities.yaml")
    deduplicator = Deduplicator(InMemoryDedupeStore())
    title, paragraphs = FIRE_REPORTS[0]
    body = "\n".join(f"<p>{p}</p>" for p in paragraphs)
    sent: list[AlertEvent] = []
    copies = 0
    for i, outlet in enumerate(FIRE_OUTLETS):
        raw = RawArticle(
            id=f"agency-{i}",
            feed=f"feed-{i}",
            url=f"https://{outlet}/news/agency-fire",
            title=title,
            content=body,
            published=None,
            language="ar",
            first_seen_at=T0 + 60 * i,
        )
        article, decision = pipeline.dedupe(raw, pipeline.normalize(raw), deduplicator)
        copies += decision.duplicate_of is not None
        matcher = pipeline.match_copy if decision.duplicate_of is not None else pipeline.match
        sent += [alert for alert in matcher(article, rules) if alert.rule.id == "breaking-story"]
    assert copies == len(FIRE_OUTLETS) - 1
    assert len(sent) == len(FIRE_OUTLETS) - 4  # from the fifth outlet on; grouping folds the sixth
    groups: dict[tuple[str, str], GroupState] = {}
    notified = 0
    for alert in sent:
        outcome = decide(groups.get((alert.rule.id, alert.story.id)), alert)
        groups[(alert.rule.id, alert.story.id)] = outcome.group
        notified += outcome.action == "send"
    assert notified == 1
    assert {o.name for o in sent[0].story.outlets} == set(FIRE_OUTLETS[:5])


def test_a_burst_of_six_outlets_alerts_exactly_once() -> None:
    decisions, stories = _run_burst()
    breaking = [(e, d) for e, d in decisions if e.rule.id == "breaking-story"]
    sent = [(e, d) for e, d in breaking if d.sends]
    assert len(sent) == 1, [(e.article.id, d.reason) for e, d in breaking]
    alert, decision = sent[0]
    # the fifth outlet's report breaks it; the sixth folds into the group
    assert alert.article.id == "fire5:fire-5"
    assert [(e.article.id, d.reason) for e, d in breaking] == [("fire5:fire-5", "new"), ("fire6:fire-6", "throttled")]
    assert alert.story.id == stories["fire1:fire-1"]
    assert [o.name for o in alert.story.outlets] == FIRE_OUTLETS[:5]
    # no other story (the train: six feeds but two outlets; single reports) is breaking
    assert {e.story.id for e, _ in breaking} == {stories["fire1:fire-1"]}
    assert len({stories[a] for a in stories if a.startswith("rail")}) == 1


def test_a_burst_arriving_in_reverse_order_alerts_once_too() -> None:
    decisions, stories = _run_burst(reverse=True)
    breaking = [(e, d) for e, d in decisions if e.rule.id == "breaking-story"]
    assert [d.reason for _, d in breaking] == ["new", "throttled"]
    assert {e.story.id for e, _ in breaking} == {stories["fire1:fire-1"]}


def test_the_alert_names_the_outlets_and_first_and_last_seen() -> None:
    decisions, _ = _run_burst()
    [(alert, decision)] = [(e, d) for e, d in decisions if e.rule.id == "breaking-story" and d.sends]
    payload = build_payload(alert, decision, fired_at=T0)
    assert schema_errors(payload) == []
    story = payload["story"]
    assert [o["name"] for o in story["outlets"]] == FIRE_OUTLETS[:5]
    assert story["outlets"][0]["first_seen"] == story["first_seen"] == "2024-05-14T08:30:00.000Z"
    assert story["outlets"][-1]["first_seen"] == story["last_seen"] == "2024-05-14T08:38:00.000Z"
    assert payload["evidence"] == []
    message = build_message(payload)
    assert_block_kit(message)
    text = "\n".join(b["text"]["text"] for b in message["blocks"] if b["type"] == "section" and "text" in b)
    assert "*Outlets (5)* · first seen 2024-05-14T08:30:00.000Z · last seen 2024-05-14T08:38:00.000Z" in text
    assert all(name in text for name in FIRE_OUTLETS[:5])


def _outlets(*names: str) -> list[StoryOutlet]:
    return [StoryOutlet(name=name, first_seen=T0 + i) for i, name in enumerate(names)]


def _story_event(outlets: list[StoryOutlet], sources: int, at: float, article: str) -> AlertEvent:
    base = event(rule="breaking", story="s", article=article, at=at, throttle=2 * 86400, escalate=(10,))
    return base.model_copy(
        update={
            "escalate_on_outlets": True,
            "story": base.story.model_copy(update={"sources": sources, "outlets": outlets}),
        }
    )


def test_escalations_of_a_story_rule_count_outlets_not_feeds() -> None:
    five = _outlets(*(f"s{i}" for i in range(5)))
    first = decide(None, _story_event(five, sources=12, at=T0, article="a1"))
    assert first.sends and first.reason == "new" and first.group.sources == 5
    # twelve feeds but nine outlets: below the escalation at ten
    nine = _outlets(*(f"s{i}" for i in range(9)))
    later = decide(first.group, _story_event(nine, sources=12, at=T0 + 60, article="a2"))
    assert not later.sends
    ten = _outlets(*(f"s{i}" for i in range(10)))
    escalated = decide(later.group, _story_event(ten, sources=13, at=T0 + 120, article="a3"))
    assert escalated.sends and escalated.reason == "escalation" and escalated.step == 1
    again = decide(escalated.group, _story_event(ten, sources=14, at=T0 + 180, article="a4"))
    assert not again.sends


def test_other_rules_still_escalate_on_feeds() -> None:
    base = event(escalate=(3,), sources=1)
    first = decide(None, base)
    with_outlets = base.model_copy(
        update={"story": base.story.model_copy(update={"sources": 3, "outlets": _outlets("one")}), "matched_at": T0 + 1}
    )
    assert decide(first.group, with_outlets).reason == "escalation"
