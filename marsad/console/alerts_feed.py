"""The console's view of ``<ns>.alerts``: recent alerts, a live tail for server-sent
events, and the last fire time of every rule (kept in Redis by a background follower).

Every reader here uses its own consumer without a group: reading alerts must never
steal partitions from the dispatcher's consumer group.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import AsyncIterator, Callable
from typing import Any

import orjson
from aiokafka import AIOKafkaConsumer
from aiokafka import TopicPartition as AsyncTopicPartition
from kafka import TopicPartition

from kernel import kafka as kafka_clients
from kernel.errors import StackUnavailable
from kernel.messages import AlertEvent
from kernel.settings import Settings

log = logging.getLogger(__name__)


def alert_view(event: AlertEvent, partition: int, offset: int) -> dict[str, Any]:
    data = event.model_dump(mode="json")
    data["id"] = f"{partition}-{offset}"
    return data


def recent_alerts(settings: Settings, limit: int) -> list[dict[str, Any]]:
    """The ``limit`` newest alerts (by match time), newest first."""
    consumer = kafka_clients.consumer(settings, "console-recent", timeout_s=15.0)
    try:
        topic = settings.topic_alerts
        tps = [TopicPartition(topic, p) for p in sorted(consumer.partitions_for_topic(topic) or ())]
        if not tps:
            return []
        begins, ends = consumer.beginning_offsets(tps), consumer.end_offsets(tps)
        found: list[dict[str, Any]] = []
        for tp in tps:
            # The newest ``limit`` of every partition hold the newest ``limit`` overall.
            start = max(begins[tp], ends[tp] - limit)
            if start >= ends[tp]:
                continue
            consumer.assign([tp])
            consumer.seek(tp, start)
            idle = 0
            while consumer.position(tp) < ends[tp] and idle < 5:
                batch = consumer.poll(timeout_ms=1000)
                idle = 0 if batch else idle + 1
                for record in batch.get(tp, []):
                    if record.offset >= ends[tp] or not record.value:
                        continue
                    try:
                        event = AlertEvent.from_bytes(record.value)
                    except ValueError:
                        continue
                    found.append(alert_view(event, tp.partition, record.offset))
        found.sort(key=lambda a: a["matched_at"], reverse=True)
        return found[:limit]
    finally:
        consumer.close()


def _partition_ids(settings: Settings, topic: str) -> list[int]:
    """The topic's partitions, from a metadata request (aiokafka only knows the partitions
    of topics it is subscribed to, and these readers assign partitions themselves)."""
    consumer = kafka_clients.consumer(settings, "console-metadata", timeout_s=15.0)
    try:
        return sorted(consumer.partitions_for_topic(topic) or ())
    finally:
        consumer.close()


async def _alerts_consumer(settings: Settings, role: str) -> tuple[AIOKafkaConsumer, list[AsyncTopicPartition]]:
    consumer = kafka_clients.async_consumer(settings, role, group_id=None, auto_offset_reset="earliest")
    try:
        await consumer.start()
    except Exception as exc:  # aiokafka raises KafkaConnectionError and OSError alike
        await consumer.stop()
        raise kafka_clients.unreachable(settings, exc) from None
    partitions = await asyncio.to_thread(_partition_ids, settings, settings.topic_alerts)
    tps = [AsyncTopicPartition(settings.topic_alerts, p) for p in sorted(partitions)]
    consumer.assign(tps)
    return consumer, tps


async def tail_alerts(
    settings: Settings, is_disconnected: Callable[[], Any], heartbeat_s: float = 15.0
) -> AsyncIterator[str]:
    """Server-sent events: ``ready`` once positioned at the end of the topic, then one
    ``alert`` event per new alert, and a comment line as heartbeat when idle."""
    consumer, tps = await _alerts_consumer(settings, "console-sse")
    try:
        if tps:
            await consumer.seek_to_end(*tps)
            for tp in tps:
                await consumer.position(tp)  # resolve now, so "ready" means positioned
        yield "event: ready\ndata: {}\n\n"
        idle_s = 0.0
        while True:
            if await is_disconnected():
                return
            batch = await consumer.getmany(timeout_ms=1000)
            sent = False
            for tp, records in batch.items():
                for record in records:
                    if not record.value:
                        continue
                    try:
                        event = AlertEvent.from_bytes(record.value)
                    except ValueError:
                        continue
                    data = orjson.dumps(alert_view(event, tp.partition, record.offset)).decode()
                    yield f"id: {tp.partition}-{record.offset}\nevent: alert\ndata: {data}\n\n"
                    sent = True
            idle_s = 0.0 if sent else idle_s + 1.0
            if idle_s >= heartbeat_s:
                idle_s = 0.0
                yield ": keep-alive\n\n"
    finally:
        await consumer.stop()


async def follow_last_fired(
    settings: Settings,
    record_fired: Callable[[dict[str, float]], None],
    offsets: Callable[[], dict[int, int]],
    save_offsets: Callable[[dict[int, int]], None],
) -> None:
    """Keep the last fire time of every rule up to date, resuming where the last run of
    any console process stopped (offsets in Redis). Runs until cancelled."""
    while True:
        try:
            consumer, tps = await _alerts_consumer(settings, "console-last-fired")
        except StackUnavailable as exc:
            log.warning("last fire times not followed: %s; retrying", exc)
            await asyncio.sleep(5)
            continue
        try:
            saved = offsets()
            for tp in tps:
                if tp.partition in saved:
                    consumer.seek(tp, saved[tp.partition])
                else:
                    await consumer.seek_to_beginning(tp)
            while True:
                batch = await consumer.getmany(timeout_ms=1000)
                fired: dict[str, float] = {}
                positions: dict[int, int] = {}
                for tp, records in batch.items():
                    for record in records:
                        positions[tp.partition] = record.offset + 1
                        if not record.value:
                            continue
                        try:
                            event = AlertEvent.from_bytes(record.value)
                        except ValueError:
                            continue
                        fired[event.rule.id] = max(fired.get(event.rule.id, 0.0), event.matched_at)
                if fired:
                    await asyncio.to_thread(record_fired, fired)
                if positions:
                    await asyncio.to_thread(save_offsets, positions)
        except asyncio.CancelledError:
            raise
        except Exception:
            log.exception("following alerts failed; restarting")
            await asyncio.sleep(2)
        finally:
            await consumer.stop()
