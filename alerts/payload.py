"""The webhook payload, version 1 (DESIGN.md), and its JSON Schema."""

from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path
from typing import Any

import orjson
from jsonschema import Draft202012Validator

from alerts.grouping import Decision
from kernel.durations import iso_utc
from kernel.links import http_link
from kernel.messages import AlertEvent, AlertOutlet, AlertStory, StoryRef, WebhookPayload

SCHEMA_PATH = Path(__file__).resolve().parent / "schema" / "alert-v1.schema.json"


def build_payload(event: AlertEvent, decision: Decision, fired_at: float) -> dict[str, Any]:
    """The v1 payload for a decision to send: the latest article and its evidence, the story
    with the group's distinct sources, and the group summary as an optional extension.
    The article's link is sent only when it is http(s) (the connector already checks: this
    is the second line, for whatever reached the topic another way)."""
    group = decision.group
    assert group is not None, "a decision to send always has its group"
    article = event.article.model_copy(update={"url": http_link(event.article.url)})
    model = WebhookPayload(
        alert_id=decision.alert_id,
        rule=event.rule,
        article=article,
        story=alert_story(event.story, max(group.sources, event.story.sources)),
        evidence=event.evidence,
        fired_at=iso_utc(fired_at),
    )
    payload = model.model_dump(mode="json")
    # Optional evidence keys are left out rather than sent as null.
    payload["evidence"] = [{k: v for k, v in ev.items() if v is not None} for ev in payload["evidence"]]
    payload["group"] = group.summary()
    return payload


def alert_story(story: StoryRef, sources: int) -> AlertStory:
    """The payload's story: its sources, and when dedupe listed them its outlets with their
    first reports and the story's first and last seen times (the earliest and the latest
    first report)."""
    outlets = sorted(story.outlets, key=lambda o: (o.first_seen, o.name))
    return AlertStory(
        id=story.id,
        sources=sources,
        outlets=[AlertOutlet(name=o.name, first_seen=iso_utc(o.first_seen)) for o in outlets],
        first_seen=iso_utc(outlets[0].first_seen) if outlets else None,
        last_seen=iso_utc(outlets[-1].first_seen) if outlets else None,
    )


def encode(payload: dict[str, Any]) -> bytes:
    """The exact bytes that are signed and POSTed."""
    return orjson.dumps(payload)


@lru_cache(maxsize=1)
def schema() -> dict[str, Any]:
    return json.loads(SCHEMA_PATH.read_text(encoding="utf-8"))


@lru_cache(maxsize=1)
def _validator() -> Draft202012Validator:
    return Draft202012Validator(schema(), format_checker=Draft202012Validator.FORMAT_CHECKER)


def schema_errors(payload: dict[str, Any]) -> list[str]:
    """Every way ``payload`` breaks the v1 schema, as "path: message" lines (empty when valid)."""
    return [
        f"{'/'.join(str(p) for p in err.absolute_path) or '(root)'}: {err.message}"
        for err in sorted(_validator().iter_errors(payload), key=lambda e: list(e.absolute_path))
    ]
