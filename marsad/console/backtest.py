"""Back-test a rule draft against the retained ``<ns>.articles`` topic.

``run_backtest`` is pure (articles in, events out) so it is tested without Kafka;
``retained.RetainedArticles`` is the Kafka edge that reads the articles.

The result is a stream of events, sent to the browser as NDJSON lines as they happen:

    {"type": "start", "since": iso, "days": N, "total": articles in the window}
    {"type": "match", "article": {...}, "day": "YYYY-MM-DD", "matches": [{"rule", "evidence"}]}
    {"type": "progress", "scanned": n, "total": T, "matched": m}
    {"type": "done", "scanned": n, "matched": m, "per_day": {...}, "per_rule": {...},
     "samples": [...], "truncated": bool, "elapsed_s": s}

Counts are always complete; only the number of ``match`` lines sent is capped.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from datetime import UTC, datetime
from typing import Any

from kernel.messages import Article
from marsad.console.engine import RuleSetLike, match_document
from marsad.console.retained import RetainedArticle, Window
from marsad.console.timefmt import iso_time


def day_of(timestamp_ms: int) -> str:
    return datetime.fromtimestamp(timestamp_ms / 1000, UTC).strftime("%Y-%m-%d")


def article_summary(article: Article) -> dict[str, Any]:
    return {
        "id": article.id,
        "title": article.title,
        "url": article.url,
        "feed": article.feed,
        "published": article.published,
        "language": article.language,
        "story": article.story.id,
    }


def run_backtest(
    ruleset: RuleSetLike,
    articles: Iterable[RetainedArticle],
    *,
    days: float,
    window: Window,
    max_match_events: int = 200,
    max_samples: int = 10,
    progress_every: int = 200,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[dict[str, Any]]:
    """Match every article against ``ruleset`` and yield the events described above."""
    started = clock()
    yield {
        "type": "start",
        "since": iso_time(window.since_ms / 1000),
        "days": days,
        "total": window.total,
    }
    scanned = matched = sent = 0
    per_day: Counter[str] = Counter()
    per_rule: Counter[str] = Counter()
    samples: list[dict[str, Any]] = []
    for item in articles:
        scanned += 1
        article = item.article
        matches = match_document(ruleset, article.title, article.text, language=article.language, feed=article.feed)
        if matches:
            matched += 1
            day = day_of(item.timestamp_ms)
            per_day[day] += 1
            for m in matches:
                per_rule[m["rule"]] += 1
                if len(samples) < max_samples and m["evidence"]:
                    samples.append(
                        {"rule": m["rule"], "article": article.id, "title": article.title, "evidence": m["evidence"][0]}
                    )
            if sent < max_match_events:
                sent += 1
                yield {"type": "match", "article": article_summary(article), "day": day, "matches": matches}
        if scanned % progress_every == 0:
            yield {"type": "progress", "scanned": scanned, "total": window.total, "matched": matched}
    yield {
        "type": "done",
        "scanned": scanned,
        "matched": matched,
        "per_day": dict(sorted(per_day.items())),
        "per_rule": dict(sorted(per_rule.items())),
        "samples": samples,
        "truncated": matched > sent,
        "elapsed_s": round(clock() - started, 3),
    }
