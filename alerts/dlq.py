"""Reading and replaying the dead-letter topics (`marsad dlq list | replay`).

Deliveries (``<ns>.alerts.dlq``): replay puts a fresh DeliveryTask (attempts and age
reset) on the retry topic, so the running dispatcher delivers it with its usual
guarantees; entries already replayed, or whose delivery is already recorded as done, are
skipped.

Raw articles the worker gave up on (``<ns>.articles.raw.dlq``, with ``--articles``): each
is a byte-for-byte copy of the raw message with a RawDeadLetter header; replay publishes
the copy to the raw topic again (the worker's stored duplicate decisions make that safe).
Positions of replayed entries are remembered in the same Redis hash, prefixed
``articles/`` so that they never collide with delivery positions.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass

from kafka.errors import KafkaError
from pydantic import ValidationError

from alerts.store import DispatchStore
from alerts.tasks import DeadLetter
from kernel import kafka as kafka_clients
from kernel.errors import StackUnavailable
from kernel.kafka import read_records
from kernel.messages import DEAD_LETTER_HEADER, RawDeadLetter
from kernel.settings import Settings

Publish = Callable[[bytes | None, bytes], None]


@contextmanager
def acknowledged_publisher(settings: Settings, topic: str) -> Iterator[Publish]:
    """A ``publish(key, value)`` to ``topic`` that returns once Kafka has acknowledged the
    record; a Kafka failure inside the block becomes StackUnavailable naming the topic."""
    producer = kafka_clients.producer(settings, "dlq-replay", timeout_s=10.0)

    def publish(key: bytes | None, value: bytes) -> None:
        producer.send(topic, key=key, value=value).get(timeout=10)

    try:
        yield publish
    except KafkaError as exc:
        raise StackUnavailable(f"could not write to {topic}: {exc}") from exc
    finally:
        producer.close(timeout=5)


@dataclass(frozen=True)
class DlqEntry:
    partition: int
    offset: int
    letter: DeadLetter | None  # None when the DLQ record itself is unreadable
    raw: bytes

    @property
    def position(self) -> str:
        return f"{self.partition}:{self.offset}"

    @property
    def channel(self) -> str | None:
        return self.letter.task.channel if self.letter and self.letter.task else None


def read_dlq(settings: Settings, timeout_s: float = 15.0) -> list[DlqEntry]:
    """Every record of the DLQ topic, oldest first (bounded by ``timeout_s``)."""
    entries = []
    for record in read_records(settings, settings.topic_alerts_dlq, timeout_s):
        try:
            letter = DeadLetter.from_bytes(record.value)
        except (ValidationError, ValueError):
            letter = None
        entries.append(DlqEntry(record.partition, record.offset, letter, record.value))
    return sorted(entries, key=lambda e: (e.letter.dead_lettered_at if e.letter else 0, e.partition, e.offset))


@dataclass
class ReplayReport:
    requeued: list[DlqEntry]
    already_delivered: list[DlqEntry]
    already_replayed: list[DlqEntry]
    not_replayable: list[DlqEntry]


def select(entries: list[DlqEntry], channel: str | None, since: float | None) -> list[DlqEntry]:
    out = []
    for entry in entries:
        if channel is not None and entry.channel != channel:
            continue
        if since is not None and (entry.letter is None or entry.letter.dead_lettered_at < since):
            continue
        out.append(entry)
    return out


def replay(settings: Settings, store: DispatchStore, entries: list[DlqEntry], now: float | None = None) -> ReplayReport:
    """Requeue ``entries`` on the retry topic (waiting for Kafka's acknowledgement)."""
    now = time.time() if now is None else now
    report = ReplayReport([], [], [], [])
    done = store.replayed()
    with acknowledged_publisher(settings, settings.topic_alerts_retry) as publish:
        for entry in entries:
            task = entry.letter.task if entry.letter else None
            if task is None:
                report.not_replayable.append(entry)
                continue
            if entry.position in done:
                report.already_replayed.append(entry)
                continue
            if store.was_delivered(task.alert_id, task.channel):
                report.already_delivered.append(entry)
                store.mark_replayed(entry.position, now)
                continue
            fresh = task.model_copy(
                update={
                    "attempt": 0,
                    "first_attempt_at": now,
                    "next_attempt_at": now,
                    "replayed": True,
                }
            )
            publish(fresh.key, fresh.to_bytes())
            store.mark_replayed(entry.position, now)
            report.requeued.append(entry)
    return report


@dataclass(frozen=True)
class RawDlqEntry:
    partition: int
    offset: int
    letter: RawDeadLetter | None  # None when the header is missing or unreadable
    key: bytes | None
    value: bytes

    @property
    def position(self) -> str:
        return f"articles/{self.partition}:{self.offset}"

    @property
    def replayable(self) -> bool:
        """An empty copy (the message was too large to copy) cannot be replayed."""
        return bool(self.value)


def read_raw_dlq(settings: Settings, timeout_s: float = 15.0) -> list[RawDlqEntry]:
    """Every record of the raw dead-letter topic, oldest first (bounded by ``timeout_s``)."""
    entries = []
    for record in read_records(settings, settings.topic_raw_dlq, timeout_s):
        header = dict(record.headers or ()).get(DEAD_LETTER_HEADER)
        try:
            letter = RawDeadLetter.from_bytes(header) if header else None
        except (ValidationError, ValueError):
            letter = None
        entries.append(RawDlqEntry(record.partition, record.offset, letter, record.key, record.value or b""))
    return entries


def select_raw(entries: list[RawDlqEntry], reason: str | None, since: float | None) -> list[RawDlqEntry]:
    return [
        e
        for e in entries
        if (reason is None or (e.letter is not None and e.letter.reason == reason))
        and (since is None or (e.letter is not None and e.letter.dead_lettered_at >= since))
    ]


@dataclass
class RawReplayReport:
    requeued: list[RawDlqEntry]
    already_replayed: list[RawDlqEntry]
    not_replayable: list[RawDlqEntry]


def replay_raw(
    settings: Settings, store: DispatchStore, entries: list[RawDlqEntry], now: float | None = None
) -> RawReplayReport:
    """Publish ``entries`` to the raw topic again (waiting for Kafka's acknowledgement)."""
    now = time.time() if now is None else now
    report = RawReplayReport([], [], [])
    done = store.replayed()
    with acknowledged_publisher(settings, settings.topic_raw) as publish:
        for entry in entries:
            if entry.position in done:
                report.already_replayed.append(entry)
            elif not entry.replayable:
                report.not_replayable.append(entry)
            else:
                publish(entry.key, entry.value)
                store.mark_replayed(entry.position, now)
                report.requeued.append(entry)
    return report
