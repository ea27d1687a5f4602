"""Kafka consumer lag, sampled in a background thread into ``marsad_kafka_consumer_lag``.

Lag of a partition = its end offset (the next offset a producer will write) minus the
offset the consumer group has committed. A partition of a topic the group consumes but
has not committed on yet counts from the partition's first retained offset, because the
consumers start at ``earliest``: every message there is still waiting.

The arithmetic is pure (``partition_lags``, ``merge_lags``) and tested without Kafka;
``LagSampler`` does the Kafka round trips (KafkaAdminClient.list_group_offsets for the
committed offsets, a group-less KafkaConsumer for the end and beginning offsets).
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Iterable, Mapping

from kafka import KafkaAdminClient, KafkaConsumer, TopicPartition
from kafka.errors import KafkaError

from kernel import metrics
from kernel.kafka import admin_client, consumer
from kernel.settings import Settings

log = logging.getLogger("kernel.lag")

# (topic, partition): the label set of one marsad_kafka_consumer_lag series.
PartitionKey = tuple[str, int]


def partition_lags(
    committed: Mapping[PartitionKey, int],
    end_offsets: Mapping[PartitionKey, int],
    beginning_offsets: Mapping[PartitionKey, int],
) -> dict[PartitionKey, int]:
    """Lag of every partition in ``end_offsets`` for one consumer group.

    ``committed`` holds the group's committed offsets; a missing or negative entry (Kafka
    answers -1 for "no commit") means the group has not committed there yet. Lag is never
    negative: a committed offset past the end (the log was truncated) counts as caught up.
    """
    lags: dict[PartitionKey, int] = {}
    for key, end in end_offsets.items():
        position = committed.get(key, -1)
        if position < 0:
            position = beginning_offsets.get(key, 0)
        lags[key] = max(0, end - position)
    return lags


def merge_lags(per_group: Iterable[Mapping[PartitionKey, int]]) -> dict[PartitionKey, int]:
    """One value per partition across groups: the series carries no group label, and when
    two groups read the same partition the one further behind is what needs attention."""
    merged: dict[PartitionKey, int] = {}
    for lags in per_group:
        for key, lag in lags.items():
            merged[key] = max(lag, merged.get(key, 0))
    return merged


class LagSampler:
    """Computes the lag of some consumer groups and publishes it as a Prometheus gauge."""

    def __init__(self, settings: Settings, group_ids: list[str], request_timeout_s: float = 10.0) -> None:
        if not group_ids:
            raise ValueError("LagSampler needs at least one consumer group id")
        self.settings = settings
        self.group_ids = list(group_ids)
        self.request_timeout_ms = int(request_timeout_s * 1000)
        self._admin: KafkaAdminClient | None = None
        self._consumer: KafkaConsumer | None = None
        self._published: set[PartitionKey] = set()

    # --- Kafka edge -------------------------------------------------------------------

    def _clients(self) -> tuple[KafkaAdminClient, KafkaConsumer]:
        if self._admin is None:
            self._admin = admin_client(self.settings, timeout_s=self.request_timeout_ms / 1000)
        if self._consumer is None:
            # No group_id: this consumer only asks for offsets, it never joins a group.
            self._consumer = consumer(
                self.settings,
                "lag-sampler",
                timeout_s=self.request_timeout_ms / 1000,
                fetch_max_wait_ms=100,  # kafka-python requires request timeout > this
            )
        return self._admin, self._consumer

    def close(self) -> None:
        for client in (self._admin, self._consumer):
            if client is not None:
                try:
                    client.close()
                except Exception:  # closing a broken client must not hide the real error
                    log.debug("error while closing a Kafka client", exc_info=True)
        self._admin = self._consumer = None

    def _committed(self, admin: KafkaAdminClient) -> dict[str, dict[PartitionKey, int]]:
        answer = admin.list_group_offsets({group_id: None for group_id in self.group_ids})
        return {
            group_id: {(tp.topic, tp.partition): meta.offset for tp, meta in offsets.items()}
            for group_id, offsets in answer.items()
        }

    def _topic_partitions(self, consumer: KafkaConsumer, topics: set[str]) -> list[TopicPartition]:
        partitions: list[TopicPartition] = []
        for topic in sorted(topics):
            for partition in sorted(consumer.partitions_for_topic(topic) or ()):
                partitions.append(TopicPartition(topic, partition))
        return partitions

    def sample(self) -> dict[PartitionKey, int]:
        """One round trip to Kafka: the current lag of every partition the groups consume."""
        admin, consumer = self._clients()
        committed_by_group = self._committed(admin)
        topics = {topic for offsets in committed_by_group.values() for topic, _ in offsets}
        partitions = self._topic_partitions(consumer, topics)
        if not partitions:
            return {}
        ends = {(tp.topic, tp.partition): off for tp, off in consumer.end_offsets(partitions).items()}
        starts = {(tp.topic, tp.partition): off for tp, off in consumer.beginning_offsets(partitions).items()}
        per_group = []
        for offsets in committed_by_group.values():
            group_topics = {topic for topic, _ in offsets}
            group_ends = {key: end for key, end in ends.items() if key[0] in group_topics}
            per_group.append(partition_lags(offsets, group_ends, starts))
        return merge_lags(per_group)

    # --- Prometheus -------------------------------------------------------------------

    def publish(self, lags: Mapping[PartitionKey, int]) -> None:
        for (topic, partition), lag in lags.items():
            metrics.CONSUMER_LAG.labels(topic, str(partition)).set(lag)
        # A partition no longer consumed must not keep reporting its last lag forever.
        for topic, partition in self._published - set(lags):
            try:
                metrics.CONSUMER_LAG.remove(topic, str(partition))
            except KeyError:
                pass
        self._published = set(lags)

    def sample_and_publish(self) -> dict[PartitionKey, int]:
        lags = self.sample()
        self.publish(lags)
        return lags


class LagSamplerThread(threading.Thread):
    """A daemon thread running ``LagSampler.sample_and_publish`` every ``interval_s``."""

    def __init__(self, sampler: LagSampler, interval_s: float) -> None:
        super().__init__(name="marsad-lag-sampler", daemon=True)
        self.sampler = sampler
        self.interval_s = interval_s
        self._stopping = threading.Event()
        self.rounds = 0  # completed samples, for tests and debugging

    def run(self) -> None:
        try:
            while not self._stopping.is_set():
                try:
                    self.sampler.sample_and_publish()
                    self.rounds += 1
                except (KafkaError, OSError) as exc:
                    # Kafka away: keep the last published values (a lag alert must not go
                    # quiet because Kafka is down) and reconnect on the next round.
                    log.warning("consumer lag sampling failed (%s); retrying in %.1fs", exc, self.interval_s)
                    self.sampler.close()
                except Exception:
                    # A bug must cost one sample, not the lag metric for the process's life.
                    log.exception("consumer lag sampling failed")
                    self.sampler.close()
                self._stopping.wait(self.interval_s)
        finally:
            self.sampler.close()

    def stop(self, timeout_s: float = 15.0) -> None:
        self._stopping.set()
        self.join(timeout_s)


def start_lag_sampler(
    settings: Settings, group_ids: list[str], interval_s: float = 10, *, request_timeout_s: float = 10.0
) -> LagSamplerThread:
    """Start sampling the lag of ``group_ids`` every ``interval_s`` seconds (daemon thread).

    The worker calls it with its own Faust group (``f"{settings.namespace}-worker"``) and
    the dispatcher's group, so that one process reports the lag of the whole pipeline.
    """
    thread = LagSamplerThread(LagSampler(settings, group_ids, request_timeout_s), interval_s)
    thread.start()
    return thread
