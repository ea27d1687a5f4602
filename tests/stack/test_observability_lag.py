"""Consumer lag: the arithmetic without Kafka, then the sampler against the real stack with
a consumer group whose committed offsets the test sets itself."""

from __future__ import annotations

import time
import uuid

import pytest
from kafka import KafkaConsumer, KafkaProducer, TopicPartition
from kafka.structs import OffsetAndMetadata
from prometheus_client import REGISTRY

from kernel.lag import LagSampler, merge_lags, partition_lags, start_lag_sampler
from kernel.settings import Settings
from tests.support.pipeline import wait_until
from tests.support.stack import fresh_namespace


def test_lag_is_end_minus_committed() -> None:
    committed = {("raw", 0): 7, ("raw", 1): 10}
    ends = {("raw", 0): 10, ("raw", 1): 10}
    assert partition_lags(committed, ends, {}) == {("raw", 0): 3, ("raw", 1): 0}


def test_partition_without_commit_counts_from_first_retained_offset() -> None:
    # -1 is Kafka's "no committed offset"; a partition missing from the answer is the same.
    committed = {("raw", 0): -1}
    ends = {("raw", 0): 50, ("raw", 1): 30}
    starts = {("raw", 0): 20, ("raw", 1): 0}
    assert partition_lags(committed, ends, starts) == {("raw", 0): 30, ("raw", 1): 30}


def test_lag_is_never_negative_after_truncation() -> None:
    assert partition_lags({("raw", 0): 120}, {("raw", 0): 100}, {("raw", 0): 0}) == {("raw", 0): 0}


def test_merge_keeps_the_group_furthest_behind() -> None:
    merged = merge_lags([{("a", 0): 5, ("b", 0): 1}, {("a", 0): 9}, {}])
    assert merged == {("a", 0): 9, ("b", 0): 1}


def test_sampler_needs_a_group() -> None:
    with pytest.raises(ValueError, match="at least one consumer group"):
        LagSampler(Settings(), [])


def lag_sample(topic: str, partition: int) -> float | None:
    return REGISTRY.get_sample_value("marsad_kafka_consumer_lag", {"topic": topic, "partition": str(partition)})


def _produce(settings: Settings, topic: str, per_partition: dict[int, int]) -> None:
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    try:
        for partition, count in per_partition.items():
            for i in range(count):
                producer.send(topic, value=f"m{i}".encode(), partition=partition)
        producer.flush(30)
    finally:
        producer.close()


def _commit(settings: Settings, group_id: str, offsets: dict[TopicPartition, int]) -> None:
    consumer = KafkaConsumer(
        bootstrap_servers=settings.kafka_bootstrap,
        group_id=group_id,
        enable_auto_commit=False,
    )
    try:
        consumer.assign(list(offsets))
        consumer.commit({tp: OffsetAndMetadata(off, "", -1) for tp, off in offsets.items()})
    finally:
        consumer.close()


@pytest.mark.stack
def test_sampler_reports_exact_lag_of_real_consumer_groups(stack: Settings) -> None:
    settings = fresh_namespace(stack)
    raw, alerts = settings.topic_raw, settings.topic_alerts  # 2 partitions each
    _produce(settings, raw, {0: 10, 1: 4})
    _produce(settings, alerts, {0: 3})
    worker_group = f"{settings.namespace}-worker"
    dispatcher_group = f"{settings.namespace}-dispatcher"
    # The worker committed 6 of 10 on partition 0 and nothing on partition 1 yet.
    _commit(settings, worker_group, {TopicPartition(raw, 0): 6})
    _commit(settings, dispatcher_group, {TopicPartition(alerts, 0): 1, TopicPartition(alerts, 1): 0})

    sampler = LagSampler(settings, [worker_group, dispatcher_group, f"{settings.namespace}-nobody"])
    try:
        lags = sampler.sample_and_publish()
        assert lags == {(raw, 0): 4, (raw, 1): 4, (alerts, 0): 2, (alerts, 1): 0}
        assert lag_sample(raw, 0) == 4.0 and lag_sample(raw, 1) == 4.0
        assert lag_sample(alerts, 0) == 2.0 and lag_sample(alerts, 1) == 0.0

        # The worker catches up: the gauge follows.
        _commit(settings, worker_group, {TopicPartition(raw, 0): 10, TopicPartition(raw, 1): 4})
        assert sampler.sample_and_publish()[(raw, 0)] == 0
        assert lag_sample(raw, 0) == 0.0 and lag_sample(raw, 1) == 0.0
    finally:
        sampler.close()
        for topic, partition in lags:
            metrics_remove(topic, partition)


def metrics_remove(topic: str, partition: int) -> None:
    from kernel import metrics

    try:
        metrics.CONSUMER_LAG.remove(topic, str(partition))
    except KeyError:
        pass


@pytest.mark.stack
def test_background_sampler_thread_publishes_and_stops(stack: Settings) -> None:
    settings = fresh_namespace(stack)
    group = f"{settings.namespace}-worker"
    _produce(settings, settings.topic_articles, {1: 5})
    _commit(settings, group, {TopicPartition(settings.topic_articles, 1): 2})
    thread = start_lag_sampler(settings, [group], interval_s=0.5)
    try:
        assert thread.daemon
        wait_until(lambda: lag_sample(settings.topic_articles, 1) == 3.0, 30, "the sampler thread's first sample")
        _produce(settings, settings.topic_articles, {1: 4})
        wait_until(lambda: lag_sample(settings.topic_articles, 1) == 7.0, 30, "lag to follow new messages")
    finally:
        thread.stop()
        for partition in (0, 1):
            metrics_remove(settings.topic_articles, partition)
    assert not thread.is_alive()
    assert thread.rounds >= 2


def test_sampler_thread_survives_kafka_being_away() -> None:
    """Nothing listens on the bootstrap port: the thread logs, keeps going and stops cleanly."""
    from marsad.stack import free_port

    settings = Settings(kafka_bootstrap=f"127.0.0.1:{free_port()}", namespace=f"t{uuid.uuid4().hex[:6]}")
    thread = start_lag_sampler(settings, ["nobody"], interval_s=0.2, request_timeout_s=0.5)
    try:
        time.sleep(2.0)  # several failed rounds: 0.5 s to give up on Kafka, then 0.2 s pause
        assert thread.is_alive(), "a Kafka error must not end the sampler thread"
    finally:
        thread.stop(timeout_s=30)
    assert not thread.is_alive()
    assert thread.rounds == 0
