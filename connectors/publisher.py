"""Publishing RawArticles to ``<ns>.articles.raw`` with kafka-python: acks=all, an
idempotent producer (no duplicates from the producer's own retries), key = article id
(so every copy of one article lands on one partition)."""

from __future__ import annotations

from collections.abc import Sequence

from kafka.errors import KafkaError

from kernel import kafka as kafka_clients
from kernel.errors import PublishError
from kernel.messages import RawArticle
from kernel.settings import Settings


class Publisher:
    def __init__(self, settings: Settings, *, timeout_s: float = 10.0) -> None:
        """Connect to Kafka, or raise StackUnavailable within about ``timeout_s``."""
        self.topic = settings.topic_raw
        self.timeout_s = timeout_s
        self._producer = kafka_clients.producer(
            settings, "connector", timeout_s=timeout_s, enable_idempotence=True, linger_ms=5
        )

    def publish(self, articles: Sequence[RawArticle]) -> None:
        """Send ``articles`` and wait until Kafka acknowledged all of them."""
        if not articles:
            return
        try:
            futures = [self._producer.send(self.topic, key=a.id.encode(), value=a.to_bytes()) for a in articles]
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
