"""The stories view, independent of Kafka: the stories of the retained articles ranked by
growth (outlets that first reported them in the last hour), each with its articles by
outlet and time, distinct outlets over time, and the rules its alerts fired.

A story's outlets come from the dedupe stage (``Article.story.outlets``: the first 64 to
report it, with when) and from the articles themselves."""

from __future__ import annotations

import urllib.parse
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from kernel.links import http_link
from kernel.messages import AlertEvent, Article, document_text

HOUR_S = 3600.0
MAX_SERIES_POINTS = 24


def outlet_of(article: Article) -> str:
    """The site of an article as the dedupe stage names outlets: host without ``www.``."""
    host = urllib.parse.urlsplit(article.url).hostname or "" if article.url else ""
    return host.removeprefix("www.") or article.feed


def article_time(article: Article) -> float:
    return article.first_seen_at


@dataclass
class Story:
    id: str
    articles: list[Article] = field(default_factory=list)
    outlets: dict[str, float] = field(default_factory=dict)  # outlet → first reported (unix s)
    sources: int = 0

    def add(self, article: Article) -> None:
        self.articles.append(article)
        self.sources = max(self.sources, article.story.sources)
        for outlet in article.story.outlets:
            self.note(outlet.name, outlet.first_seen)
        self.note(outlet_of(article), article_time(article))

    def note(self, outlet: str, at: float) -> None:
        if outlet and (outlet not in self.outlets or at < self.outlets[outlet]):
            self.outlets[outlet] = at

    def growth(self, now: float) -> int:
        return sum(1 for at in self.outlets.values() if at >= now - HOUR_S)

    def latest(self) -> float:
        return max(article_time(a) for a in self.articles)

    def outlets_over_time(self, now: float) -> list[dict[str, float | int]]:
        """Distinct outlets that had reported the story by the end of each hour (at most
        ``MAX_SERIES_POINTS`` hours, up to ``now``)."""
        first = min(self.outlets.values(), default=now)
        hours = min(MAX_SERIES_POINTS, max(1, int((now - first) // HOUR_S) + 1))
        ends = [now - HOUR_S * (hours - 1 - i) for i in range(hours)]
        return [{"at": end, "outlets": sum(1 for at in self.outlets.values() if at <= end)} for end in ends]


def group_stories(articles: Iterable[Article]) -> dict[str, Story]:
    stories: dict[str, Story] = {}
    for article in articles:
        stories.setdefault(article.story.id, Story(article.story.id)).add(article)
    return stories


def rules_fired(alerts: Sequence[AlertEvent]) -> dict[str, Counter[str]]:
    """Per story, how many alerts each rule raised."""
    out: dict[str, Counter[str]] = {}
    for event in alerts:
        out.setdefault(event.story.id, Counter())[event.rule.id] += 1
    return out


def article_summary(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "url": http_link(article.url),  # only http(s) reaches an <a href>
        "feed": article.feed,
        "outlet": outlet_of(article),
        "language": article.language,
        "published": article.published,
        "first_seen_at": article.first_seen_at,
        "duplicate_of": article.duplicate_of,
    }


def story_summary(story: Story, fired: Counter[str], now: float) -> dict[str, Any]:
    by_time = sorted(story.articles, key=article_time)
    lead = next((a for a in by_time if a.duplicate_of is None), by_time[0])
    return {
        "id": story.id,
        "title": lead.title,
        "language": lead.language,
        "growth": story.growth(now),
        "sources": max(story.sources, len(story.outlets)),
        "outlets": len(story.outlets),
        "articles": len(story.articles),
        "first_seen_at": article_time(by_time[0]),
        "latest_at": story.latest(),
        "rules": dict(fired.most_common()),
        "series": story.outlets_over_time(now),
    }


def ranked(stories: dict[str, Story], alerts: Sequence[AlertEvent], now: float) -> list[dict[str, Any]]:
    """Stories by growth, then outlets, then the newest article."""
    fired = rules_fired(alerts)
    views = [story_summary(s, fired.get(s.id, Counter()), now) for s in stories.values()]
    views.sort(key=lambda v: (v["growth"], v["outlets"], v["latest_at"]), reverse=True)
    return views


def evidence_by_article(alerts: Iterable[AlertEvent]) -> dict[str, list[dict[str, Any]]]:
    """The evidence of every alert, by article id, each piece labelled with its rule."""
    out: dict[str, list[dict[str, Any]]] = {}
    for event in alerts:
        for ev in event.evidence:
            out.setdefault(event.article.id, []).append(
                {**ev.model_dump(mode="json", exclude_none=True), "rule": event.rule.id}
            )
    return out


def full_article(article: Article, evidence: list[dict[str, Any]]) -> dict[str, Any]:
    return article_summary(article) | {
        "story": article.story.id,
        "document": document_text(article.title, article.text),
        "evidence": evidence,
    }


def story_detail(story: Story, alerts: Sequence[AlertEvent], now: float) -> dict[str, Any]:
    fired = rules_fired(alerts).get(story.id, Counter())
    evidence = evidence_by_article(a for a in alerts if a.story.id == story.id)
    by_outlet: dict[str, list[dict[str, Any]]] = {}
    for article in sorted(story.articles, key=article_time):
        by_outlet.setdefault(outlet_of(article), []).append(article_summary(article))
    return story_summary(story, fired, now) | {
        "outlet_times": dict(sorted(story.outlets.items(), key=lambda kv: kv[1])),
        "by_outlet": by_outlet,
        "full": [full_article(a, evidence.get(a.id, [])) for a in sorted(story.articles, key=article_time)[:20]],
    }
