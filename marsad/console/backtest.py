"""Back-test a rule draft against the retained ``<ns>.articles`` topic.

``run_backtest`` is pure (articles in, events out) so it is tested without Kafka;
``retained_articles`` is the Kafka edge: it finds, per partition, the first offset at or
after "now − N days" with ``offsets_for_times`` and reads up to the end offsets seen at the
start (articles arriving during the run are not part of it).

The result is a stream of events, sent to the browser as NDJSON lines as they happen:

    {"type": "start", "since": iso, "days": N, "total": articles in the window}
    {"type": "match", "article": {...}, "day": "YYYY-MM-DD", "matches": [{"rule", "evidence"}]}
    {"type": "progress", "scanned": n, "total": T, "matched": m}
    {"type": "done", "scanned": n, "matched": m, "per_day": {...}, "per_rule": {...},
     "samples": [...], "truncated": bool, "elapsed_s": s}

Counts are always complete; only the number of ``match`` lines sent is capped.
"""

from __future__ import annotations

import logging
import time
from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from kafka import TopicPartition

from kernel import kafka as kafka_clients
from kernel.messages import Article
from kernel.settings import Settings
from marsad.console.engine import RuleSetLike, match_document

log = logging.getLogger(__name__)

DAY_S = 24 * 3600


@dataclass(frozen=True)
class RetainedArticle:
    timestamp_ms: int  # the record's Kafka timestamp: when the article entered the topic
    article: Article


@dataclass(frozen=True)
class Window:
    since_ms: int
    total: int  # messages between the start offsets and the end offsets


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
        "since": datetime.fromtimestamp(window.since_ms / 1000, UTC).isoformat().replace("+00:00", "Z"),
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


class RetainedArticles:
    """The articles of the last ``days`` on the articles topic, read once, in partition
    order. ``window`` is known before iteration starts (for progress reporting)."""

    def __init__(self, settings: Settings, days: float, now_s: float | None = None) -> None:
        self.settings = settings
        now_ms = int((time.time() if now_s is None else now_s) * 1000)
        self.since_ms = now_ms - int(days * DAY_S * 1000)
        self.consumer = kafka_clients.consumer(settings, "console-backtest", timeout_s=20.0, consumer_timeout_ms=1000)
        try:
            self.ranges = self._ranges()
        except Exception:
            self.consumer.close()
            raise
        self.window = Window(self.since_ms, sum(end - start for start, end in self.ranges.values()))

    def _ranges(self) -> dict[TopicPartition, tuple[int, int]]:
        topic = self.settings.topic_articles
        partitions = self.consumer.partitions_for_topic(topic) or set()
        tps = [TopicPartition(topic, p) for p in sorted(partitions)]
        if not tps:
            return {}
        starts = self.consumer.offsets_for_times({tp: self.since_ms for tp in tps})
        ends = self.consumer.end_offsets(tps)
        ranges = {}
        for tp in tps:
            found = starts.get(tp)
            # None: no message at or after the time — nothing of this partition is in range.
            if found is not None and found.offset < ends[tp]:
                ranges[tp] = (found.offset, ends[tp])
        return ranges

    def __iter__(self) -> Iterator[RetainedArticle]:
        try:
            for tp, (start, end) in self.ranges.items():
                self.consumer.assign([tp])
                self.consumer.seek(tp, start)
                idle_polls = 0
                # Transaction markers occupy offsets without records: stop waiting for them
                # after a few empty polls instead of hanging.
                while self.consumer.position(tp) < end and idle_polls < 5:
                    batch = self.consumer.poll(timeout_ms=1000, max_records=500)
                    idle_polls = 0 if batch else idle_polls + 1
                    for record in batch.get(tp, []):
                        if record.offset >= end:
                            break
                        if not record.value:
                            continue
                        try:
                            article = Article.from_bytes(record.value)
                        except ValueError as exc:
                            # One unreadable message must not end a back-test over thousands.
                            log.warning("skipping unreadable article at %s:%d: %s", tp, record.offset, exc)
                            continue
                        yield RetainedArticle(record.timestamp, article)
        finally:
            self.consumer.close()

    def close(self) -> None:
        self.consumer.close()
