"""Grouping and throttling per (rule, story) — pure: state in, (state, decision) out.

The first match of a rule on a story opens a *group* and alerts. Later matches inside the
rule's throttle window fold into the group (count, feeds, distinct sources, latest
article) instead of alerting again, except when the story reaches one of the rule's
escalation thresholds of distinct sources (outlets, for a rule with a ``story`` condition):
that sends once more, once per threshold.
A match after the window has closed opens a new group.

A match on a near copy (``AlertEvent.from_copy``: the worker matches a copy that may say
more than its original) opens a group only for a rule that never fired on the story:
when the story had a group of the rule, open or closed, the match folds into it, so that
a republished copy does not alert again once the window of its original has closed.

Windows are measured on ``AlertEvent.matched_at``, not on the dispatcher's clock, so a
dispatcher that restarts or catches up after an outage takes the same decisions as one
that never stopped.
"""

from __future__ import annotations

import hashlib
from dataclasses import asdict, dataclass, field, replace
from typing import Any, Literal

from kernel.messages import AlertEvent


def make_alert_id(rule_id: str, story_id: str, opened_by: str, opened_at: float, step: int) -> str:
    """Stable id of one notification: (rule, story, group window, escalation step).

    The window is named by the article that opened it as well as by its time: with a
    throttle of 0 every match opens a window, and two articles of one story matched in
    the same millisecond (concurrent agents) would otherwise share an id, and the second
    alert would be skipped as already delivered."""
    opened_ms = int(round(opened_at * 1000))
    text = f"{rule_id}\x1f{story_id}\x1f{opened_by}\x1f{opened_ms}\x1f{step}"
    return hashlib.sha256(text.encode()).hexdigest()[:32]


@dataclass(frozen=True)
class GroupState:
    rule_id: str
    story_id: str
    opened_at: float
    expires_at: float
    count: int
    feeds: tuple[str, ...]
    sources: int
    escalations: tuple[int, ...]  # thresholds already notified (or covered by the first alert)
    first_article_id: str
    latest_article: dict[str, Any] = field(default_factory=dict)
    last_alert_id: str = ""
    last_step: int = 0

    def to_dict(self) -> dict[str, Any]:
        data = asdict(self)
        data["feeds"] = list(self.feeds)
        data["escalations"] = list(self.escalations)
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> GroupState:
        values = dict(data)
        values["feeds"] = tuple(values.get("feeds", ()))
        values["escalations"] = tuple(values.get("escalations", ()))
        return cls(**values)

    def summary(self) -> dict[str, Any]:
        """The group as shown in the payload's ``group`` extension."""
        return {
            "count": self.count,
            "sources": self.sources,
            "feeds": list(self.feeds),
            "escalation_step": self.last_step,
            "first_article_id": self.first_article_id,
        }


@dataclass(frozen=True)
class Decision:
    action: Literal["send", "throttle"]
    reason: Literal["new", "escalation", "throttled", "copy"]
    alert_id: str  # "" when nothing was sent for the group, ever (reason "copy")
    step: int
    group: GroupState | None  # None: a copy's match that neither opens nor keeps a group

    @property
    def sends(self) -> bool:
        return self.action == "send"


def _article_summary(event: AlertEvent) -> dict[str, Any]:
    return event.article.model_dump(mode="json")


def story_reach(event: AlertEvent, feeds: tuple[str, ...]) -> int:
    """How far the story has spread, as escalation thresholds count it: its distinct feeds
    (those of the group included), or for a rule with a ``story`` condition its distinct
    outlets (two feeds of one site are one outlet) when dedupe listed them."""
    if event.escalate_on_outlets and event.story.outlets:
        return len(event.story.outlets)
    return max(event.story.sources, len(feeds))


def decide(state: GroupState | None, event: AlertEvent, opened_before: bool = False) -> Decision:
    """What to do with ``event`` given the group state of its (rule, story), and whether
    the story ever had a group of the rule (``opened_before``: its state may be gone)."""
    now = event.matched_at
    thresholds = sorted({t for t in event.escalate_at_sources if t > 0})
    same_group = state is not None and state.rule_id == event.rule.id and state.story_id == event.story.id
    if event.from_copy and not same_group and opened_before:
        return Decision("throttle", "copy", "", 0, None)
    window_over = not same_group or (
        not event.from_copy  # a copy's match folds into its original's group (see above)
        and (event.throttle_seconds <= 0 or state is None or now >= state.expires_at)
    )
    if window_over:
        feeds: tuple[str, ...] = (event.article.feed,) if event.article.feed else ()
        sources = max(story_reach(event, feeds), 1)
        alert_id = make_alert_id(event.rule.id, event.story.id, event.article.id, now, 0)
        group = GroupState(
            rule_id=event.rule.id,
            story_id=event.story.id,
            opened_at=now,
            expires_at=now + max(event.throttle_seconds, 0.0),
            count=1,
            feeds=feeds,
            sources=sources,
            # The first alert already reports these: no separate escalation for them.
            escalations=tuple(t for t in thresholds if sources >= t),
            first_article_id=event.article.id,
            latest_article=_article_summary(event),
            last_alert_id=alert_id,
            last_step=0,
        )
        return Decision("send", "new", alert_id, 0, group)

    assert state is not None
    feeds = state.feeds
    if event.article.feed and event.article.feed not in feeds:
        feeds = tuple(sorted((*feeds, event.article.feed)))
    sources = max(state.sources, story_reach(event, feeds))
    reached = [t for t in thresholds if sources >= t and t not in state.escalations]
    group = replace(
        state,
        count=state.count + 1,
        feeds=feeds,
        sources=sources,
        latest_article=_article_summary(event),
    )
    if not reached:
        return Decision("throttle", "throttled", state.last_alert_id, state.last_step, group)
    # Several thresholds crossed at once send one escalation, named by the highest.
    step = thresholds.index(reached[-1]) + 1
    alert_id = make_alert_id(state.rule_id, state.story_id, state.first_article_id, state.opened_at, step)
    group = replace(
        group,
        escalations=tuple(sorted({*state.escalations, *reached})),
        last_alert_id=alert_id,
        last_step=step,
    )
    return Decision("send", "escalation", alert_id, step, group)
