"""`marsad rules push`: publish a validated rule set to the compacted rules topic.

The whole set travels as one RuleSetMessage under the key ``ruleset``, so compaction keeps
exactly the latest set and a worker switches atomically. Every worker re-validates what it
reads and keeps its running set when a message is invalid.

A push merges by rule id into the set last published (``merge_rule_sets``): the rules of
the pushed files are added or replace the rule of the same id, every other rule stays.
``--replace`` makes the pushed files the whole set. Either way the push states what
changes (``RuleSetDiff``) before it publishes, and ``--dry-run`` stops there.
"""

from __future__ import annotations

import getpass
import logging
import os
import time
from dataclasses import dataclass
from typing import Any

import orjson
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


def default_author() -> str:
    try:
        return os.environ.get("MARSAD_AUTHOR") or getpass.getuser()
    except (KeyError, OSError):
        return ""


def publish_ruleset(settings: Settings, message: RuleSetMessage, timeout_s: float = 30.0) -> int:
    """Send ``message`` to ``settings.topic_rules`` (acks=all); returns its offset."""
    kafka_clients.ensure_topics(settings, timeout_s=timeout_s)  # never let auto-creation make it uncompacted
    # Records up to Settings.kafka_max_message_bytes; a large rule set is mostly repetitive
    # JSON, which gzip shrinks several times over.
    producer = kafka_clients.producer(settings, "rules-push", timeout_s=timeout_s, compression_type="gzip")
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


Rules = list[dict[str, Any]]


def _canonical(value: Any) -> bytes:
    """A rule or entity as compared: its JSON with sorted keys (what the topic carries)."""
    return orjson.dumps(value, option=orjson.OPT_SORT_KEYS)


def merge_rule_sets(
    running: Rules, running_entities: dict[str, Any], pushed: Rules, pushed_entities: dict[str, Any]
) -> tuple[Rules, dict[str, Any]]:
    """``running`` with each pushed rule added, or put in place of the rule of its id; the
    same for entities by name. Running rules keep their order, new ones follow."""
    by_id = {rule["id"]: rule for rule in pushed}
    merged = [by_id.pop(rule["id"], rule) for rule in running]
    merged.extend(rule for rule in pushed if rule["id"] in by_id)
    return merged, {**running_entities, **pushed_entities}


@dataclass(frozen=True)
class RuleSetDiff:
    """What a push changes, by rule id and entity name."""

    added: list[str]
    changed: list[str]
    removed: list[str]
    unchanged: int
    entities_added: list[str]
    entities_changed: list[str]
    entities_removed: list[str]

    @property
    def empty(self) -> bool:
        return not (
            self.added
            or self.changed
            or self.removed
            or self.entities_added
            or self.entities_changed
            or self.entities_removed
        )

    def lines(self) -> list[str]:
        """The diff as printed by `marsad rules push`."""
        out = [
            f"rules: {len(self.added)} added, {len(self.changed)} changed, {len(self.removed)} removed, "
            f"{self.unchanged} unchanged"
        ]
        out += [f"  + {rid}" for rid in self.added]
        out += [f"  ~ {rid}" for rid in self.changed]
        out += [f"  - {rid}" for rid in self.removed]
        if self.entities_added or self.entities_changed or self.entities_removed:
            out.append(
                f"entities: {len(self.entities_added)} added, {len(self.entities_changed)} changed, "
                f"{len(self.entities_removed)} removed"
            )
            out += [f"  + {name}" for name in self.entities_added]
            out += [f"  ~ {name}" for name in self.entities_changed]
            out += [f"  - {name}" for name in self.entities_removed]
        return out


def diff_rule_sets(
    before: Rules, before_entities: dict[str, Any], after: Rules, after_entities: dict[str, Any]
) -> RuleSetDiff:
    old = {rule["id"]: _canonical(rule) for rule in before}
    new = {rule["id"]: _canonical(rule) for rule in after}
    old_entities = {name: _canonical(value) for name, value in before_entities.items()}
    new_entities = {name: _canonical(value) for name, value in after_entities.items()}
    return RuleSetDiff(
        added=[rid for rid in new if rid not in old],
        changed=[rid for rid in new if rid in old and new[rid] != old[rid]],
        removed=[rid for rid in old if rid not in new],
        unchanged=sum(1 for rid in new if old.get(rid) == new[rid]),
        entities_added=[n for n in new_entities if n not in old_entities],
        entities_changed=[n for n in new_entities if n in old_entities and new_entities[n] != old_entities[n]],
        entities_removed=[n for n in old_entities if n not in new_entities],
    )
