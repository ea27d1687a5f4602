"""One article's way through the worker, as plain functions: normalize → dedupe → match.

The Faust agents in ``streams/app.py`` only move messages between topics and call these
through ``streams/stage_metrics.py`` (which counts and times each stage); the benchmark's
"plain loop" calls the very same functions.
"""

from __future__ import annotations

import threading
import time
from collections.abc import Sequence
from dataclasses import dataclass

import redis

from kernel.messages import (
    AlertArticle,
    AlertEvent,
    Article,
    RawArticle,
    RuleRef,
    TextSpan,
    document_text,
)
from streams.clean import CleanArticle, clean_article
from streams.dedupe import DedupeDecision, DedupeInput, Deduplicator, ReplaySafeDeduplicator
from streams.rules import CompiledRuleSet
from streams.rules.regions import document_spans
from streams.rules.story import StoryContext


def normalize(raw: RawArticle) -> CleanArticle:
    return clean_article(
        title=raw.title,
        content=raw.content,
        content_type=raw.content_type,
        published=raw.published,
        language=raw.language,
    )


def dedupe_input(raw: RawArticle, clean: CleanArticle) -> DedupeInput:
    """What dedupe reads of an article."""
    return DedupeInput(
        id=raw.id,
        feed=raw.feed,
        url=raw.url,
        title=clean.title,
        text=clean.text,
        published=clean.published,
        seen_at=raw.first_seen_at,
    )


def dedupe(
    raw: RawArticle, clean: CleanArticle, deduplicator: Deduplicator | ReplaySafeDeduplicator
) -> tuple[Article, DedupeDecision]:
    """The normalized article and the duplicate decision (``duplicate_of`` set for copies)."""
    decision = deduplicator.process(dedupe_input(raw, clean))
    return normalized_article(raw, clean, decision), decision


def dedupe_many(
    batch: Sequence[tuple[RawArticle, CleanArticle]], deduplicator: Deduplicator | ReplaySafeDeduplicator
) -> list[tuple[Article, DedupeDecision] | Exception]:
    """``dedupe`` for a batch, decided in order (the replay guard's Redis work batched); an
    article whose decision raised gets the exception. Redis being unreachable raises."""
    inputs = [dedupe_input(raw, clean) for raw, clean in batch]
    if isinstance(deduplicator, ReplaySafeDeduplicator):
        decisions = deduplicator.process_many(inputs)
    else:
        decisions = [_decide(deduplicator, item) for item in inputs]
    return [
        decision if isinstance(decision, Exception) else (normalized_article(raw, clean, decision), decision)
        for (raw, clean), decision in zip(batch, decisions)
    ]


def _decide(deduplicator: Deduplicator, item: DedupeInput) -> DedupeDecision | Exception:
    try:
        return deduplicator.process(item)
    except (redis.ConnectionError, redis.TimeoutError):
        raise
    except Exception as exc:
        return exc


def normalized_article(raw: RawArticle, clean: CleanArticle, decision: DedupeDecision) -> Article:
    """The article as published on the articles topic."""
    return Article(
        id=raw.id,
        feed=raw.feed,
        url=raw.url,
        canonical_url=decision.canonical_url,
        title=clean.title,
        text=clean.text,
        language=clean.language,
        published=clean.published,
        agency=clean.agency,
        content_hash=decision.content_hash,
        duplicate_of=decision.duplicate_of,
        similarity=decision.similarity,
        story=decision.story_ref(),
        tags=raw.tags,
        asides=[TextSpan(start=aside.start, end=aside.end) for aside in clean.asides],
        first_seen_at=raw.first_seen_at,
        normalized_at=time.time(),
    )


def match_copy(article: Article, ruleset: CompiledRuleSet, *, near: bool = False) -> list[AlertEvent]:
    """Alert events of a copy. A copy is not published, but its outlet counts for its
    story: a story spread by agency copies is breaking news too, so the story rules see
    every copy. An exact copy says nothing its original did not: other rules saw the
    original already. A ``near`` copy may say more (a new lead over an agency text, a
    paragraph added: on real pages a follow-up that reuses the first report's paragraphs
    is found as a copy of it), so every rule sees it, and its events are ``from_copy``:
    they alert only for a rule that never fired on the story (alerts/grouping.py)."""
    if near:
        return [
            event if event.escalate_on_outlets else event.model_copy(update={"from_copy": True})
            for event in match(article, ruleset)
        ]
    if not ruleset.uses_story:
        return []
    return [event for event in match(article, ruleset) if event.escalate_on_outlets]


def match_decided(article: Article, decision: DedupeDecision | None, ruleset: CompiledRuleSet) -> list[AlertEvent]:
    """Alert events of an article as dedupe decided it: every rule for an article of its
    own (or without a decision), ``match_copy`` for a copy, near or exact."""
    if decision is None or decision.duplicate_of is None:
        return match(article, ruleset)
    return match_copy(article, ruleset, near=decision.kind == "near")


def match(article: Article, ruleset: CompiledRuleSet) -> list[AlertEvent]:
    """Alert events for every rule the article fires."""
    title_end, asides = document_spans(article.title, ((a.start, a.end) for a in article.asides))
    story = (
        StoryContext(article.story, published=article.published, seen_at=article.first_seen_at)
        if ruleset.uses_story
        else None
    )
    matches = ruleset.match(
        document_text(article.title, article.text),
        language=article.language,
        feed=article.feed,
        title_end=title_end,
        asides=asides,
        story=story,
    )
    now = time.time()
    return [
        AlertEvent(
            rule=RuleRef(id=m.rule.id, title=m.rule.title, severity=m.rule.severity),
            throttle_seconds=m.rule.throttle_seconds,
            notify=list(m.rule.notify),
            escalate_at_sources=list(m.rule.escalate_at_sources),
            escalate_on_outlets=m.rule.story_rule,
            article=AlertArticle(
                id=article.id,
                url=article.url,
                title=article.title,
                feed=article.feed,
                published=article.published,
                language=article.language,
            ),
            story=article.story,
            evidence=list(m.evidence),
            matched_at=now,
            first_seen_at=article.first_seen_at,
        )
        for m in matches
    ]


def alert_key(event: AlertEvent) -> bytes:
    """Alerts of one (rule, story) share a partition, so the dispatcher sees them in order."""
    return f"{event.rule.id}:{event.story.id}".encode()


@dataclass
class RuleSetHolder:
    """The active rule set; replaced atomically when a new valid set arrives."""

    current: CompiledRuleSet
    loaded_at: float = 0.0

    def __post_init__(self) -> None:
        self._lock = threading.Lock()
        self.loaded_at = self.loaded_at or time.time()

    def replace(self, ruleset: CompiledRuleSet) -> None:
        with self._lock:
            self.current = ruleset
            self.loaded_at = time.time()
