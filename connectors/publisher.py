"""Publishing RawArticles to ``<ns>.articles.raw`` with kafka-python: acks=all, an
idempotent producer (no duplicates from the producer's own retries), key = article id
(so every copy of one article lands on one partition)."""

from __future__ import annotations

from collections.abc import Sequence

from kafka import KafkaProducer
from kafka.errors import KafkaError

from marsad.kafka import unreachable
from marsad.messages import RawArticle
from marsad.settings import Settings


class PublishError(Exception):
    """Kafka did not acknowledge every article; none of them counts as published."""


class Publisher:
    def __init__(self, settings: Settings, *, timeout_s: float = 10.0) -> None:
        """Connect to Kafka, or raise StackUnavailable within about ``timeout_s``."""
        self.topic = settings.topic_raw
        self.timeout_s = timeout_s
        try:
            self._producer = KafkaProducer(
                bootstrap_servers=settings.kafka_bootstrap,
                client_id=f"{settings.namespace}-connector",
                acks="all",
                enable_idempotence=True,
                linger_ms=5,
                max_block_ms=int(timeout_s * 1000),
                request_timeout_ms=int(timeout_s * 1000),
                bootstrap_timeout_ms=int(timeout_s * 1000),
            )
        except (KafkaError, OSError) as exc:
            raise unreachable(settings, exc) from None

    def publish(self, articles: Sequence[RawArticle]) -> None:
        """Send ``articles`` and wait until Kafka acknowledged all of them."""
        if not articles:
            return
        try:
            futures = [
                self._producer.send(self.topic, key=a.id.encode(), value=a.to_bytes()) for a in articles
            ]
            self._producer.flush(timeout=self.timeout_s * 3)
            for future in futures:
                future.get(timeout=self.timeout_s)
        except KafkaError as exc:
            raise PublishError(f"Kafka did not acknowledge {len(articles)} article(s): {exc}") from None

    def close(self) -> None:
        try:
            self._producer.flush(timeout=self.timeout_s)
        except KafkaError:
            pass
        self._producer.close(timeout=self.timeout_s)
