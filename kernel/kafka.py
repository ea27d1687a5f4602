"""The one door to Kafka: every producer, consumer and admin client is built here, and
topic administration (readiness, creation) shared by every process.

Topics are created explicitly (partition counts and configs below) so that a typo in a
topic name fails loudly instead of silently creating a new topic.
"""

from __future__ import annotations

import logging
import time
from dataclasses import dataclass, field
from typing import Any

from aiokafka import AIOKafkaConsumer
from kafka import KafkaAdminClient, KafkaConsumer, KafkaProducer, TopicPartition
from kafka.admin import NewTopic
from kafka.consumer.fetcher import ConsumerRecord
from kafka.errors import KafkaError, TopicAlreadyExistsError

from kernel.errors import StackUnavailable
from kernel.redact import mask_credentials, safe_servers
from kernel.settings import Settings

log = logging.getLogger(__name__)

DAY_MS = 24 * 3600 * 1000


@dataclass(frozen=True)
class TopicSpec:
    name: str
    partitions: int
    config: dict[str, str] = field(default_factory=dict)


def topic_specs(settings: Settings) -> list[TopicSpec]:
    parts = settings.partitions
    return [
        TopicSpec(settings.topic_raw, parts, {"retention.ms": str(7 * DAY_MS)}),
        # Retained so that rules can be back-tested and re-matched without re-fetching.
        TopicSpec(settings.topic_articles, parts, {"retention.ms": str(30 * DAY_MS)}),
        TopicSpec(settings.topic_alerts, parts, {"retention.ms": str(30 * DAY_MS)}),
        TopicSpec(settings.topic_alerts_retry, parts, {"retention.ms": str(7 * DAY_MS)}),
        TopicSpec(settings.topic_alerts_dlq, 1, {"retention.ms": str(90 * DAY_MS)}),
        # Raw messages the worker could not process, copied as they were (`marsad dlq list --articles`).
        TopicSpec(settings.topic_raw_dlq, 1, {"retention.ms": str(90 * DAY_MS)}),
        # One key ("ruleset") holding the whole active set: compaction keeps the latest.
        TopicSpec(
            settings.topic_rules,
            1,
            {
                "cleanup.policy": "compact",
                "max.message.bytes": str(settings.kafka_max_message_bytes),
                "min.compaction.lag.ms": "0",
            },
        ),
    ]


def admin_client(settings: Settings, timeout_s: float = 10.0) -> KafkaAdminClient:
    """An admin client, or StackUnavailable within ``timeout_s`` when Kafka is down."""
    try:
        return KafkaAdminClient(
            bootstrap_servers=settings.kafka_bootstrap,
            client_id=f"{settings.namespace}-admin",
            request_timeout_ms=int(timeout_s * 1000),
            bootstrap_timeout_ms=int(timeout_s * 1000),
        )
    except (KafkaError, OSError) as exc:
        raise unreachable(settings, exc) from exc


def unreachable(settings: Settings, exc: BaseException) -> StackUnavailable:
    """The error for a Kafka client that could not connect, with what to do about it."""
    return StackUnavailable(
        f"Kafka is not reachable at {safe_servers(settings.kafka_bootstrap)} ({type(exc).__name__}); "
        "start the local stack with `marsad stack up`"
    )


def producer(settings: Settings, role: str, *, timeout_s: float = 10.0, **overrides: Any) -> KafkaProducer:
    """A producer that waits for every in-sync replica (``acks=all``) and takes records as
    large as the broker does; ``overrides`` are kafka-python settings for what a role needs
    more (idempotence, linger, compression)."""
    config: dict[str, Any] = {
        "bootstrap_servers": settings.kafka_bootstrap,
        "client_id": f"{settings.namespace}-{role}",
        "acks": "all",
        "max_request_size": settings.kafka_max_message_bytes,
        "max_block_ms": int(timeout_s * 1000),
        "request_timeout_ms": int(timeout_s * 1000),
        "bootstrap_timeout_ms": int(timeout_s * 1000),
    }
    config.update(overrides)
    try:
        return KafkaProducer(**config)
    except (KafkaError, OSError) as exc:
        raise unreachable(settings, exc) from None


def consumer(
    settings: Settings, role: str, *, group_id: str | None = None, timeout_s: float = 30.0, **overrides: Any
) -> KafkaConsumer:
    """A consumer that commits only when told to; without ``group_id`` it reads partitions it
    is assigned, from where it is told (no group, no committed offsets)."""
    config: dict[str, Any] = {
        "bootstrap_servers": settings.kafka_bootstrap,
        "client_id": f"{settings.namespace}-{role}",
        "group_id": group_id,
        "enable_auto_commit": False,
        "request_timeout_ms": int(max(timeout_s, 1.0) * 1000),
        "bootstrap_timeout_ms": int(min(max(timeout_s, 1.0), 10.0) * 1000),
    }
    config.update(overrides)
    try:
        return KafkaConsumer(**config)
    except (KafkaError, OSError) as exc:
        raise unreachable(settings, exc) from None


def async_consumer(settings: Settings, role: str, **overrides: Any) -> AIOKafkaConsumer:
    """An asyncio consumer (not started: ``await consumer.start()`` connects it)."""
    config: dict[str, Any] = {
        "bootstrap_servers": settings.kafka_bootstrap,
        "client_id": f"{settings.namespace}-{role}",
        "enable_auto_commit": False,
    }
    config.update(overrides)
    return AIOKafkaConsumer(**config)


def wait_for_kafka(settings: Settings, timeout_s: float = 60.0) -> None:
    """Return once Kafka answers a metadata request; StackUnavailable after ``timeout_s``."""
    deadline = time.monotonic() + timeout_s
    last: Exception | None = None
    while time.monotonic() < deadline:
        try:
            client = admin_client(settings, timeout_s=min(5.0, max(1.0, deadline - time.monotonic())))
            try:
                client.describe_cluster()
                return
            finally:
                client.close()
        except (StackUnavailable, KafkaError, OSError) as exc:
            last = exc
            time.sleep(0.5)
    raise StackUnavailable(
        f"Kafka at {safe_servers(settings.kafka_bootstrap)} did not answer within {timeout_s:.0f}s: "
        f"{mask_credentials(str(last))}"
    )


def ensure_topics(settings: Settings, timeout_s: float = 30.0) -> list[str]:
    """Create the missing Marsad topics; return the names created."""
    client = admin_client(settings, timeout_s=timeout_s)
    try:
        existing = set(client.list_topics())
        missing = [s for s in topic_specs(settings) if s.name not in existing]
        created: list[str] = []
        for spec in missing:
            try:
                client.create_topics(
                    [NewTopic(spec.name, spec.partitions, 1, topic_configs=spec.config)],
                    timeout_ms=int(timeout_s * 1000),
                )
                created.append(spec.name)
            except TopicAlreadyExistsError:
                pass
        _wait_for_leaders(client, [s.name for s in missing], timeout_s)
        return created
    finally:
        client.close()


def _wait_for_leaders(client: KafkaAdminClient, topics: list[str], timeout_s: float) -> None:
    """New topics are usable only once every partition has a leader."""
    if not topics:
        return
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        described = client.describe_topics(topics)
        ready = all(
            t.get("error_code", 0) == 0
            and t.get("partitions")
            and all(p.get("leader_id", -1) >= 0 for p in t["partitions"])
            for t in described
        )
        if ready:
            return
        time.sleep(0.2)
    raise StackUnavailable(f"topics {topics} have no leader after {timeout_s:.0f}s")


def wait_for_group(settings: Settings, group_id: str, timeout_s: float = 60.0, members: int = 1) -> None:
    """Return once a consumer group is Stable with at least ``members`` members (the
    partitions are then assigned among all of them)."""
    client = admin_client(settings)
    try:
        deadline = time.monotonic() + timeout_s
        while time.monotonic() < deadline:
            try:
                group = client.describe_groups([group_id]).get(group_id, {})
            except KafkaError:  # e.g. no coordinator yet while the group forms
                group = {}
            if group.get("group_state") == "Stable" and len(group.get("members") or ()) >= members:
                return
            time.sleep(0.3)
    finally:
        client.close()
    raise StackUnavailable(
        f"consumer group {group_id} did not become stable with {members} member(s) within {timeout_s:.0f}s"
    )


def read_records(settings: Settings, topic: str, timeout_s: float = 30.0) -> list[ConsumerRecord]:
    """Every record on ``topic`` up to its current end, partition by partition.

    Reads to the end offsets taken at the start (not "until quiet"), so a loaded machine
    cannot make it return early; ``timeout_s`` bounds a broken broker."""
    reader = consumer(settings, "reader", timeout_s=timeout_s)
    try:
        partitions = [TopicPartition(topic, p) for p in sorted(reader.partitions_for_topic(topic) or [])]
        if not partitions:
            return []
        reader.assign(partitions)
        reader.seek_to_beginning(*partitions)
        end = reader.end_offsets(partitions)
        records: list[ConsumerRecord] = []
        deadline = time.monotonic() + timeout_s
        while any(reader.position(tp) < end[tp] for tp in partitions):
            if time.monotonic() > deadline:
                raise StackUnavailable(f"could not read {topic} to its end within {timeout_s:.0f}s")
            for tp, batch in reader.poll(timeout_ms=500).items():
                records.extend(r for r in batch if r.offset < end[tp])
        return records
    finally:
        reader.close(autocommit=False)


def read_to_end(settings: Settings, topic: str, timeout_s: float = 30.0) -> list[bytes]:
    """The values of every message on ``topic`` up to its current end (see read_records)."""
    return [record.value for record in read_records(settings, topic, timeout_s)]
