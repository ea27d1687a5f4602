"""Stories and rule statistics without Kafka: growth ranking, outlets over time, rules
fired, hit counts per rule, and the draft-versus-current comparison."""

from __future__ import annotations

from kernel.messages import StoryOutlet, StoryRef
from marsad.console import engine
from marsad.console.inbox import InboxItem
from marsad.console.rule_stats import compare, rule_statistics
from marsad.console.stories import group_stories, ranked, story_detail
from tests.support.console import ENTITIES, TANKS_RULE, make_alert, make_article

NOW = 100_000.0


def article(aid: str, story: str, host: str, at: float, outlets: list[tuple[str, float]] = ()):  # type: ignore[assignment]
    a = make_article(aid, f"title {aid}", "نص المقال فيه دبابات")
    return a.model_copy(
        update={
            "url": f"https://www.{host}/{aid}",
            "first_seen_at": at,
            "story": StoryRef(
                id=story, sources=len(outlets) or 1, outlets=[StoryOutlet(name=n, first_seen=t) for n, t in outlets]
            ),
        }
    )


def test_stories_are_ranked_by_outlets_of_the_last_hour() -> None:
    old = [
        article("o1", "old", "a.example", NOW - 20_000),
        article("o2", "old", "b.example", NOW - 15_000),
        article("o3", "old", "c.example", NOW - 10_000),
    ]
    new = [article("n1", "new", "a.example", NOW - 600), article("n2", "new", "d.example", NOW - 300)]
    alerts = [
        make_alert("tanks", "n1", "t", "دبابات", 0, matched_at=NOW - 500).model_copy(
            update={"story": StoryRef(id="new")}
        )
    ]
    views = ranked(group_stories(old + new), alerts, NOW)
    assert [(v["id"], v["growth"], v["outlets"]) for v in views] == [("new", 2, 2), ("old", 0, 3)]
    assert views[0]["rules"] == {"tanks": 1}
    # Distinct outlets by the end of each hour, the last point at now.
    assert [p["outlets"] for p in views[1]["series"]] == [1, 2, 2, 3, 3, 3]


def test_a_story_lists_articles_by_outlet_with_ids_and_highlights() -> None:
    stories = group_stories(
        [article("n1", "new", "a.example", NOW - 600), article("n2", "new", "d.example", NOW - 300)]
    )
    doc_start = len("title n1\n\n") + "نص المقال فيه ".__len__()
    alert = make_alert("tanks", "n1", "t", "دبابات", doc_start).model_copy(update={"story": StoryRef(id="new")})
    detail = story_detail(stories["new"], [alert], NOW)
    assert list(detail["by_outlet"]) == ["a.example", "d.example"]
    assert detail["by_outlet"]["a.example"][0]["id"] == "n1"
    first = detail["full"][0]
    assert first["document"][first["evidence"][0]["start"] : first["evidence"][0]["end"]] == "دبابات"


def test_rule_statistics_count_hits_per_hour_and_outcomes() -> None:
    items = [
        InboxItem("0-1", make_alert("tanks", "a1", "t", "x", 0, matched_at=NOW - 100), "delivered"),
        InboxItem("0-2", make_alert("tanks", "a2", "t", "x", 0, matched_at=NOW - 200), "throttled"),
        InboxItem("0-3", make_alert("tanks", "a3", "t", "x", 0, matched_at=NOW - 7200 - 5), "silenced"),
    ]
    (tanks, quiet) = rule_statistics(items, ["tanks", "quiet"], now=NOW, buckets=4)
    assert tanks["hits"] == [0, 1, 0, 2] and tanks["total"] == 3 and tanks["last_fired"] == NOW - 100
    assert (tanks["sent"], tanks["throttled"], tanks["silenced"]) == (1, 1, 1)
    assert quiet["total"] == 0 and quiet["last_fired"] is None


def test_the_comparison_counts_what_a_draft_adds_and_removes() -> None:
    current = engine.compile_rules({"tanks": TANKS_RULE}, ENTITIES)
    draft = engine.compile_draft(TANKS_RULE.replace("terms: [دبابات]", "terms: [مدرعات]"), ENTITIES)
    articles = [
        make_article("a1", "عنوان", "شوهدت دبابات قرب الحدود"),
        make_article("a2", "عنوان", "وصلت مدرعات جديدة"),
        make_article("a3", "عنوان", "لا شيء هنا"),
    ]
    result = compare(current, draft, ["tanks"], articles)
    assert (result["scanned"], result["added"], result["removed"], result["unchanged"]) == (3, 1, 1, 0)
    assert result["added_articles"][0]["article"]["id"] == "a2"
    assert result["removed_articles"][0]["article"]["id"] == "a1"
