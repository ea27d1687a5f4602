"""The alert inbox, independent of Kafka and Redis: search, filters, grouping by story,
pagination, and an alert's evidence in its sentence.

Search is Arabic-normalized: the query and each alert are folded with the rule engine's
``streams.textnorm.fold`` (hamza forms, ى/ي, ة/ه, diacritics, tatweel, case), and ج/گ are
read as غ, the usual spellings of a foreign G (البنتاجون, البنتاغون).
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from kernel.links import http_link
from kernel.messages import AlertEvent
from marsad.console.alert_states import Outcome
from streams.textnorm import fold

FOREIGN_G = str.maketrans({"ج": "غ", "گ": "غ", "ڨ": "غ"})
# Where a sentence ends: Latin and Arabic full stops, question and exclamation marks, lines.
SENTENCE_END = re.compile(r"[.!?؟।\n]+|؛")
CONTEXT_CAP = 300  # characters kept on each side when a "sentence" runs on


def search_key(text: str) -> str:
    return fold(text).translate(FOREIGN_G)


@dataclass(frozen=True)
class InboxItem:
    id: str  # <partition>-<offset> on the alerts topic
    event: AlertEvent
    outcome: Outcome
    ack: dict[str, Any] | None = None

    def haystack(self) -> str:
        e = self.event
        parts = [e.rule.id, e.rule.title, e.article.title, e.article.feed, e.article.url, e.story.id, e.article.id]
        parts += [ev.text for ev in e.evidence]
        return search_key("\n".join(parts))


@dataclass(frozen=True)
class InboxQuery:
    q: str = ""
    rules: Sequence[str] = ()
    severities: Sequence[str] = ()
    feeds: Sequence[str] = ()
    outcomes: Sequence[str] = ()
    story: str | None = None
    since: float | None = None  # unix seconds, on the alert's match time
    until: float | None = None
    acknowledged: bool | None = None


@dataclass
class StoryGroup:
    story: str
    alerts: list[InboxItem] = field(default_factory=list)


def selected(items: Sequence[InboxItem], query: InboxQuery) -> list[InboxItem]:
    """The items ``query`` keeps, newest first."""
    words = search_key(query.q).split()
    out = []
    for item in items:
        e = item.event
        if query.rules and e.rule.id not in query.rules:
            continue
        if query.severities and e.rule.severity not in query.severities:
            continue
        if query.feeds and e.article.feed not in query.feeds:
            continue
        if query.outcomes and item.outcome not in query.outcomes:
            continue
        if query.story is not None and e.story.id != query.story:
            continue
        if query.since is not None and e.matched_at < query.since:
            continue
        if query.until is not None and e.matched_at >= query.until:
            continue
        if query.acknowledged is not None and (item.ack is not None) != query.acknowledged:
            continue
        if words:
            haystack = item.haystack()
            if not all(word in haystack for word in words):
                continue
        out.append(item)
    out.sort(key=lambda item: item.event.matched_at, reverse=True)
    return out


def by_story(items: Sequence[InboxItem]) -> list[StoryGroup]:
    """Groups in the order of their newest alert (``items`` newest first)."""
    groups: dict[str, StoryGroup] = {}
    for item in items:
        groups.setdefault(item.event.story.id, StoryGroup(item.event.story.id)).alerts.append(item)
    return list(groups.values())


def facets(items: Sequence[InboxItem]) -> dict[str, list[str]]:
    """The values each filter can take over ``items``."""
    return {
        "rules": sorted({i.event.rule.id for i in items}),
        "severities": sorted({i.event.rule.severity for i in items}),
        "feeds": sorted({i.event.article.feed for i in items if i.event.article.feed}),
    }


def alert_view(item: InboxItem) -> dict[str, Any]:
    data = item.event.model_dump(mode="json")
    data["article"]["url"] = http_link(item.event.article.url)  # only http(s) reaches an <a href>
    data["id"] = item.id
    data["outcome"] = item.outcome
    data["ack"] = item.ack
    return data


def sentence_context(document: str, start: int, end: int) -> dict[str, str]:
    """The sentence around ``document[start:end]``: {"before", "match", "after"}."""
    start, end = max(0, min(start, len(document))), max(0, min(end, len(document)))
    begin = 0
    for found in SENTENCE_END.finditer(document, 0, start):
        begin = found.end()
    stop = SENTENCE_END.search(document, end)
    finish = stop.end() if stop else len(document)
    begin, finish = max(begin, start - CONTEXT_CAP), min(finish, end + CONTEXT_CAP)
    return {
        "before": document[begin:start].lstrip(),
        "match": document[start:end],
        "after": document[end:finish].rstrip(),
    }


def evidence_in_context(event: AlertEvent, document: str | None) -> list[dict[str, Any]]:
    """Each piece of evidence with its sentence; without the article, the matched words."""
    out = []
    for ev in event.evidence:
        context = (
            sentence_context(document, ev.start, ev.end)
            if document is not None and document[ev.start : ev.end] == ev.text
            else {"before": "", "match": ev.text, "after": ""}
        )
        out.append({**ev.model_dump(mode="json", exclude_none=True), "context": context})
    return out


def silence_prefill(event: AlertEvent) -> dict[str, Any]:
    """A silence of this rule on this story, as Alertmanager prefills one from an alert."""
    return {
        "rule": event.rule.id,
        "duration": "4h",
        "matchers": {"story": event.story.id},
        "reason": f"story {event.story.id} of {event.article.title[:60]}".strip(),
    }
