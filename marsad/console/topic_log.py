"""A topic's retained records, read once and then only what is new: the Kafka edge of the
alert inbox, the rule statistics and the delivery failures (``<ns>.alerts``,
``<ns>.alerts.dlq``).

Each reader uses a consumer without a group, like every console reader: reading must never
steal partitions from the dispatcher's consumer group. The newest ``max_records`` are kept.
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass
from typing import Generic, TypeVar

from kafka import TopicPartition

from kernel import kafka as kafka_clients
from kernel.settings import Settings

T = TypeVar("T")


@dataclass(frozen=True)
class Record(Generic[T]):
    partition: int
    offset: int
    timestamp_ms: int
    value: T

    @property
    def position(self) -> str:
        """The record's id in the console: ``<partition>-<offset>`` (as the live alerts)."""
        return f"{self.partition}-{self.offset}"


class TopicLog(Generic[T]):
    """The records of ``topic`` that ``parse`` accepts (it returns None to skip one)."""

    def __init__(
        self, settings: Settings, topic: str, parse: Callable[[bytes], T | None], *, max_records: int = 50_000
    ) -> None:
        self.settings = settings
        self.topic = topic
        self.parse = parse
        self.records: deque[Record[T]] = deque(maxlen=max_records)
        self.positions: dict[int, int] = {}
        self.lock = threading.Lock()

    def refresh(self) -> list[Record[T]]:
        """Every kept record, oldest first per partition, after reading what arrived."""
        with self.lock:
            self.read_new()
            return list(self.records)

    def read_new(self) -> None:
        consumer = kafka_clients.consumer(self.settings, "console-history", timeout_s=15.0)
        try:
            tps = [TopicPartition(self.topic, p) for p in sorted(consumer.partitions_for_topic(self.topic) or ())]
            if not tps:
                return
            begins, ends = consumer.beginning_offsets(tps), consumer.end_offsets(tps)
            for tp in tps:
                start = max(begins[tp], self.positions.get(tp.partition, 0))
                if start >= ends[tp]:
                    continue
                consumer.assign([tp])
                consumer.seek(tp, start)
                idle = 0
                # Transaction markers occupy offsets without records: a few empty polls end it.
                while consumer.position(tp) < ends[tp] and idle < 5:
                    batch = consumer.poll(timeout_ms=1000, max_records=2000)
                    idle = 0 if batch else idle + 1
                    for message in batch.get(tp, []):
                        if message.offset >= ends[tp]:
                            break
                        value = self.parse(message.value) if message.value else None
                        if value is not None:
                            self.records.append(Record(tp.partition, message.offset, message.timestamp, value))
                self.positions[tp.partition] = ends[tp]
        finally:
            consumer.close()


LOGS: dict[tuple[str, str], TopicLog[object]] = {}
LOGS_LOCK = threading.Lock()


def shared_log(settings: Settings, topic: str, parse: Callable[[bytes], T | None]) -> TopicLog[T]:
    """One log per (Kafka, topic) in a process, so that every request reads only what is new."""
    key = (settings.kafka_bootstrap, topic)
    with LOGS_LOCK:
        log = LOGS.get(key)
        if log is None:
            log = TopicLog(settings, topic, parse)
            LOGS[key] = log
        return log  # type: ignore[return-value]
