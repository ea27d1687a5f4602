"""Alert events and checks shared by the alert tests."""

from __future__ import annotations

from kernel.messages import AlertArticle, AlertEvent, Evidence, RuleRef, StoryRef

T0 = 1_790_000_000.0


def event(
    *,
    rule="troops",
    story="s1",
    article="a1",
    feed="sahil-news",
    at=T0,
    throttle=3600.0,
    sources=1,
    escalate=(),
    notify=(),
    severity="high",
    title="الكرملين يحشد أكثر من 120 ألف جندي",
) -> AlertEvent:
    return AlertEvent(
        rule=RuleRef(id=rule, title="Troop build-up", severity=severity),
        throttle_seconds=throttle,
        notify=list(notify),
        escalate_at_sources=list(escalate),
        article=AlertArticle(
            id=article,
            url=f"https://news.example/{article}",
            title=title,
            feed=feed,
            published="2026-11-20T08:10:00Z",
            language="ar",
        ),
        story=StoryRef(id=story, sources=sources),
        evidence=[
            Evidence(leaf="quantity", text="أكثر من 120 ألف جندي", start=17, end=37, value=120000, unit="troops"),
            Evidence(leaf="terms", text="الكرملين", start=0, end=8),
        ],
        matched_at=at,
        first_seen_at=at - 2,
    )


def assert_block_kit(message: dict) -> None:
    """Block Kit's structural rules for the block types this project emits."""
    assert isinstance(message["text"], str) and message["text"]
    blocks = message["blocks"]
    assert 1 <= len(blocks) <= 50
    for block in blocks:
        kind = block["type"]
        assert kind in {"header", "section", "context", "actions", "divider"}
        if kind == "header":
            assert block["text"]["type"] == "plain_text"
            assert 1 <= len(block["text"]["text"]) <= 150
        elif kind == "section":
            assert "text" in block or "fields" in block
            if "text" in block:
                assert block["text"]["type"] in {"mrkdwn", "plain_text"}
                assert 1 <= len(block["text"]["text"]) <= 3000
            fields = block.get("fields", [])
            assert len(fields) <= 10
            for f in fields:
                assert f["type"] in {"mrkdwn", "plain_text"} and 1 <= len(f["text"]) <= 2000
        elif kind == "context":
            assert 1 <= len(block["elements"]) <= 10
            for el in block["elements"]:
                assert el["type"] in {"mrkdwn", "plain_text", "image"}
                assert len(el["text"]) <= 3000
        elif kind == "actions":
            assert 1 <= len(block["elements"]) <= 25
            for el in block["elements"]:
                assert el["type"] == "button"
                assert el["text"]["type"] == "plain_text" and len(el["text"]["text"]) <= 75
                assert len(el.get("url", "")) <= 3000 and len(el["action_id"]) <= 255
