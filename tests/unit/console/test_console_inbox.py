"""The alert inbox without Kafka or Redis: Arabic-folded search, filters, grouping by
story, evidence in its sentence, the silence prefilled from an alert."""

from __future__ import annotations

from kernel.messages import StoryRef
from marsad.console.inbox import (
    InboxItem,
    InboxQuery,
    alert_view,
    by_story,
    evidence_in_context,
    selected,
    sentence_context,
    silence_prefill,
)
from tests.support.console import make_alert


def item(
    n: int, rule: str, title: str, word: str, *, outcome: str = "delivered", story: str | None = None
) -> InboxItem:
    event = make_alert(rule, f"a{n}", title, word, 0, matched_at=1000.0 + n)
    if story is not None:
        event = event.model_copy(update={"story": StoryRef(id=story)})
    return InboxItem(f"0-{n}", event, outcome, None)  # type: ignore[arg-type]


ITEMS = [
    item(1, "pentagon", "بيان البنتاغون حول المناورات", "البنتاغون", story="s1"),
    item(2, "tanks", "دبابات قرب الحدود", "دبابات", outcome="throttled", story="s1"),
    item(3, "tanks", "Tanks near the border", "tanks", outcome="silenced", story="s2"),
]


def ids(items: list[InboxItem]) -> list[str]:
    return [i.id for i in items]


def test_search_folds_arabic_spellings_and_the_foreign_g() -> None:
    assert ids(selected(ITEMS, InboxQuery(q="البنتاجون"))) == ["0-1"]
    assert ids(selected(ITEMS, InboxQuery(q="بيان البنتاجون"))) == ["0-1"]
    assert ids(selected(ITEMS, InboxQuery(q="BORDER"))) == ["0-3"]
    assert selected(ITEMS, InboxQuery(q="غواصات")) == []


def test_filters_and_order_newest_first() -> None:
    assert ids(selected(ITEMS, InboxQuery())) == ["0-3", "0-2", "0-1"]
    assert ids(selected(ITEMS, InboxQuery(rules=["tanks"]))) == ["0-3", "0-2"]
    assert ids(selected(ITEMS, InboxQuery(outcomes=["silenced", "throttled"]))) == ["0-3", "0-2"]
    assert ids(selected(ITEMS, InboxQuery(since=1001.5, until=1002.5))) == ["0-2"]
    assert ids(selected(ITEMS, InboxQuery(acknowledged=True))) == []


def test_grouping_by_story_keeps_the_newest_group_first() -> None:
    groups = by_story(selected(ITEMS, InboxQuery()))
    assert [(g.story, ids(g.alerts)) for g in groups] == [("s2", ["0-3"]), ("s1", ["0-2", "0-1"])]


def test_the_evidence_is_shown_in_its_sentence() -> None:
    document = "عنوان\n\nجملة أولى. وصلت دبابات جديدة إلى الحدود؟ جملة ثالثة."
    start = document.index("دبابات")
    assert sentence_context(document, start, start + 6) == {
        "before": "وصلت ",
        "match": "دبابات",
        "after": " جديدة إلى الحدود؟",
    }
    event = make_alert("tanks", "a1", "عنوان", "دبابات", start)
    (shown,) = evidence_in_context(event, document)
    assert shown["context"]["before"] == "وصلت "
    # Without the article (no longer retained) the matched words are still shown.
    (bare,) = evidence_in_context(event, None)
    assert bare["context"] == {"before": "", "match": "دبابات", "after": ""}


def test_a_silence_is_prefilled_from_an_alert() -> None:
    prefill = silence_prefill(ITEMS[1].event)
    assert prefill["rule"] == "tanks" and prefill["matchers"] == {"story": "s1"} and prefill["duration"]


def test_only_http_links_reach_the_page() -> None:
    event = ITEMS[0].event
    bad = event.model_copy(update={"article": event.article.model_copy(update={"url": "javascript:alert(1)"})})
    assert alert_view(InboxItem("0-9", bad, "pending"))["article"]["url"] == ""
    assert alert_view(ITEMS[0])["article"]["url"].startswith("https://")
