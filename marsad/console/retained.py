"""The articles the ``<ns>.articles`` topic still retains: the Kafka edge of back-tests and
of dry-runs on an article id.

``RetainedArticles`` finds, per partition, the first offset at or after "now − N days" with
``offsets_for_times`` and reads up to the end offsets seen at the start (articles arriving
during the run are not part of it).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Iterator
from dataclasses import dataclass

from kafka import TopicPartition

from kernel import kafka as kafka_clients
from kernel.messages import Article
from kernel.settings import Settings

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


def find_article(settings: Settings, article_id: str, days: float) -> Article | None:
    """The retained article with this id (the newest copy), searching the last ``days``."""
    found = None
    for item in RetainedArticles(settings, days):
        if item.article.id == article_id:
            found = item.article
    return found
