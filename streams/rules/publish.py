"""`marsad rules push`: publish a validated rule set to the compacted rules topic.

The whole set travels as one RuleSetMessage under the key ``ruleset``, so compaction keeps
exactly the latest set and a worker switches atomically. Every worker re-validates what it
reads and keeps its running set when a message is invalid.
"""

from __future__ import annotations

import getpass
import logging
import os
import time
from dataclasses import dataclass

from kafka import TopicPartition
from kafka.errors import KafkaError

from kernel import kafka as kafka_clients
from kernel.errors import MarsadError, StackUnavailable
from kernel.messages import RuleSetMessage
from kernel.settings import Settings
from streams.rules.matcher import CompiledRuleSet
from streams.rules.ruleset import ruleset_from_message

log = logging.getLogger(__name__)

RULESET_KEY = b"ruleset"
# The rules topic accepts messages up to 16 MiB (max.message.bytes); a large rule set is
# mostly repetitive YAML-like JSON, which gzip shrinks several times over.
MAX_REQUEST_BYTES = 16 * 1024 * 1024


def default_author() -> str:
    try:
        return os.environ.get("MARSAD_AUTHOR") or getpass.getuser()
    except (KeyError, OSError):
        return ""


def publish_ruleset(settings: Settings, message: RuleSetMessage, timeout_s: float = 30.0) -> int:
    """Send ``message`` to ``settings.topic_rules`` (acks=all); returns its offset."""
    kafka_clients.ensure_topics(settings, timeout_s=timeout_s)  # never let auto-creation make it uncompacted
    producer = kafka_clients.producer(
        settings, "rules-push", timeout_s=timeout_s, compression_type="gzip", max_request_size=MAX_REQUEST_BYTES
    )
    try:
        future = producer.send(settings.topic_rules, key=RULESET_KEY, value=message.to_bytes())
        metadata = future.get(timeout=timeout_s)
        producer.flush(timeout=timeout_s)
        offset: int = metadata.offset  # kafka-python is untyped
        return offset
    except KafkaError as exc:
        raise StackUnavailable(f"publishing to {settings.topic_rules} failed: {exc}") from exc
    finally:
        producer.close(timeout=5)


@dataclass(frozen=True)
class PublishedRuleSet:
    """What the rules topic holds: its latest valid set (if any) and where it ends."""

    message: RuleSetMessage | None
    ruleset: CompiledRuleSet | None
    next_offset: int


def read_latest_ruleset(settings: Settings, timeout_s: float = 30.0) -> PublishedRuleSet:
    """The latest *valid* rule set on the rules topic, and the offset after the last record
    read. Invalid sets are skipped, as every worker skips them."""
    consumer = kafka_clients.consumer(
        settings,
        "rules-reader",
        timeout_s=15.0,
        fetch_max_bytes=32 * 1024 * 1024,
        max_partition_fetch_bytes=32 * 1024 * 1024,
    )
    message, ruleset, position = None, None, 0
    try:
        if not consumer.partitions_for_topic(settings.topic_rules):
            return PublishedRuleSet(None, None, 0)
        partition = TopicPartition(settings.topic_rules, 0)
        consumer.assign([partition])
        consumer.seek_to_beginning(partition)
        end = consumer.end_offsets([partition])[partition]
        deadline = time.monotonic() + timeout_s
        while consumer.position(partition) < end and time.monotonic() < deadline:
            for records in consumer.poll(timeout_ms=1000).values():
                for record in records:
                    position = record.offset + 1
                    if not record.value:
                        continue  # a tombstone
                    try:
                        candidate = RuleSetMessage.from_bytes(record.value)
                        message, ruleset = candidate, ruleset_from_message(candidate)
                    except (MarsadError, ValueError) as exc:
                        log.error("rule set at offset %d refused: %s", record.offset, exc)
    finally:
        consumer.close()
    return PublishedRuleSet(message, ruleset, position)
