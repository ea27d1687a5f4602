"""Publishing RawArticles to ``<ns>.articles.raw`` with kafka-python: acks=all, an
idempotent producer (no duplicates from the producer's own retries), key = article id
(so every copy of one article lands on one partition).

What "published" means (docs/guarantees.md): ``publish`` returns only when Kafka
acknowledged every article, and raises only once the producer has given up on every
article it did not acknowledge (``delivery_timeout_ms``): a failed article is never left
in the producer's buffer to be delivered behind the connector's back and then published
a second time by the next poll. Articles acknowledged before the failure are named in
the error, so the caller marks them seen.

Size: an article's content is cut to ``Settings.article_max_bytes`` (JSON-encoded) and
its title to ``MAX_TITLE_CHARS``, with ``truncated`` set: a 9 MB page stays an article
(its beginning) instead of a record that no stage can handle.
"""

from __future__ import annotations

import logging
from collections.abc import Sequence
from typing import Any

import orjson
from kafka.errors import KafkaError

from kernel import kafka as kafka_clients
from kernel.errors import PublishError
from kernel.messages import RawArticle
from kernel.metrics import FEED_ITEMS_TRUNCATED
from kernel.settings import Settings

log = logging.getLogger(__name__)

MAX_TITLE_CHARS = 4096


class PartlyAcknowledged(PublishError):
    """Kafka acknowledged only some articles of a publish: ``acknowledged`` are their ids."""

    def __init__(self, message: str, acknowledged: list[str]) -> None:
        super().__init__(message)
        self.acknowledged = acknowledged


def json_size(text: str) -> int:
    return len(orjson.dumps(text))


def cut_to_json_size(text: str, max_bytes: int) -> str:
    """The longest prefix of ``text`` whose JSON encoding takes at most ``max_bytes``."""
    if json_size(text) <= max_bytes:
        return text
    low, high = 0, min(len(text), max_bytes)  # a character takes at least one byte
    while low < high:
        middle = (low + high + 1) // 2
        if json_size(text[:middle]) <= max_bytes:
            low = middle
        else:
            high = middle - 1
    return text[:low]


def capped(article: RawArticle, max_content_bytes: int) -> RawArticle:
    """``article`` with its content and title cut to size, flagged ``truncated`` if cut."""
    content = cut_to_json_size(article.content, max_content_bytes)
    title = article.title[:MAX_TITLE_CHARS]
    if content is article.content and title == article.title:
        return article
    FEED_ITEMS_TRUNCATED.labels(article.feed).inc()
    log.warning(
        "feed %s: article %s cut to %d bytes of content (was %d; MARSAD_ARTICLE_MAX_BYTES)",
        article.feed,
        article.id,
        json_size(content),
        json_size(article.content),
    )
    return article.model_copy(update={"content": content, "title": title, "truncated": True})


class Publisher:
    def __init__(self, settings: Settings, *, timeout_s: float = 10.0) -> None:
        """Connect to Kafka, or raise StackUnavailable within about ``timeout_s``."""
        self.topic = settings.topic_raw
        self.timeout_s = timeout_s
        self.max_content_bytes = settings.article_max_bytes
        # Every record is acknowledged or given up on within this long; publish waits for it.
        self.delivery_timeout_s = 3 * timeout_s
        self._producer = kafka_clients.producer(
            settings,
            "connector",
            timeout_s=timeout_s,
            enable_idempotence=True,
            linger_ms=5,
            delivery_timeout_ms=int(self.delivery_timeout_s * 1000),
        )

    def publish(self, articles: Sequence[RawArticle]) -> None:
        """Send ``articles`` and wait until Kafka acknowledged all of them; PublishError
        (PartlyAcknowledged when some were) once the producer gave up on the others."""
        if not articles:
            return
        sent: list[tuple[str, Any]] = []
        failure: Exception | None = None
        for article in articles:
            record = capped(article, self.max_content_bytes)
            try:
                sent.append(
                    (record.id, self._producer.send(self.topic, key=record.id.encode(), value=record.to_bytes()))
                )
            except KafkaError as exc:  # no metadata within max_block_ms, a full buffer
                failure = exc
                break
        acknowledged: list[str] = []
        for article_id, future in sent:
            try:
                # Resolves by the delivery timeout: acknowledged, or given up on for good.
                future.get(timeout=self.delivery_timeout_s + self.timeout_s)
                acknowledged.append(article_id)
            except KafkaError as exc:
                failure = failure or exc
        if failure is None:
            return
        message = f"Kafka acknowledged {len(acknowledged)} of {len(articles)} article(s): {failure}"
        if acknowledged:
            raise PartlyAcknowledged(message, acknowledged)
        raise PublishError(message)

    def close(self) -> None:
        try:
            self._producer.flush(timeout=self.timeout_s)
        except KafkaError:
            pass
        self._producer.close(timeout=self.timeout_s)
