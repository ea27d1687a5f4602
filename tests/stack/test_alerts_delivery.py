"""The dispatcher's delivery step (`Dispatcher.deliver`) on a real Redis, without Kafka:
what is retried, when a delivery is given up, and that a receiver's 2xx is final."""

from __future__ import annotations

import random
import time
from typing import Any

import pytest
import redis
from kafka.structs import TopicPartition

from alerts.channels import ChannelSet, RetryPolicy, load_channels, parse_channels
from alerts.dispatcher import Dispatcher, Job, OffsetTracker, gives_up, retry_delay
from alerts.senders import SendResult
from alerts.tasks import DeadLetter, DeliveryTask
from kernel import redis_client as kernel_redis
from kernel.settings import DEMO_DIR, Settings
from tests.support.stack import fresh_namespace

TP = TopicPartition("t.alerts", 0)


class ScriptedSender:
    """Answers each send with the next result of ``results`` (the last one repeats)."""

    def __init__(self, *results: SendResult) -> None:
        self.results, self.sends = list(results), 0

    def send(self, payload: dict[str, Any], alert_id: str) -> SendResult:
        self.sends += 1
        return self.results[min(self.sends, len(self.results)) - 1]

    def close(self) -> None:
        pass


class Acknowledged:
    def get(self, timeout: float | None = None) -> None:
        return None


class RecordingProducer:
    """Stands in for the Kafka producer: keeps what would have been produced."""

    def __init__(self) -> None:
        self.sent: list[tuple[str, bytes, bytes]] = []

    def send(self, topic: str, key: bytes, value: bytes) -> Acknowledged:
        self.sent.append((topic, key, value))
        return Acknowledged()


class MarkFailsFirst:
    """A real Redis client whose first ``failures`` writes of a delivery record fail, as
    when Redis drops out right after the receiver answered 2xx."""

    def __init__(self, client: redis.Redis, failures: int) -> None:
        self.client, self.failures = client, failures

    def set(self, name: str, *args: Any, **kwargs: Any) -> Any:
        if ":delivered:" in name and self.failures > 0:
            self.failures -= 1
            raise redis.ConnectionError("Redis went away (injected)")
        return self.client.set(name, *args, **kwargs)

    def __getattr__(self, name: str) -> Any:
        return getattr(self.client, name)


def hook_channels(retry: str) -> ChannelSet:
    return parse_channels(
        "channels:\n"
        "  - {id: hook, type: webhook, url: 'http://127.0.0.1:9/alerts', secret_env: S,\n"
        f"     allow_networks: [loopback], retry: {retry}}}\n",
        env={"S": "secret"},
    )


def task_for(channel: str, *, attempt: int = 0, first_attempt_at: float | None = None) -> DeliveryTask:
    first = time.time() if first_attempt_at is None else first_attempt_at
    return DeliveryTask(
        alert_id=f"alert-{random.getrandbits(64):016x}",
        channel=channel,
        rule_id="troops",
        payload={"alert_id": "x"},
        attempt=attempt,
        first_attempt_at=first,
        next_attempt_at=first,
    )


def dispatcher_for(
    settings: Settings, channels: ChannelSet, sender: ScriptedSender, client: Any
) -> tuple[Dispatcher, RecordingProducer]:
    senders: dict[str, Any] = {cid: sender for cid in channels.channels}
    dispatcher = Dispatcher(settings, channels, redis_client=client, senders=senders, rng=random.Random(7))
    producer = RecordingProducer()
    dispatcher.producer = producer
    return dispatcher, producer


def settle(dispatcher: Dispatcher, task: DeliveryTask) -> OffsetTracker:
    """Run one delivery to its end; the tracker tells whether its offset was released."""
    tracker = OffsetTracker()
    dispatcher.deliver(task, Job.start(tracker, TP, 41, 1))
    return tracker


# --- the retry decision, without any I/O --------------------------------------------------


def test_a_delivery_is_given_up_only_when_both_attempts_and_age_are_used_up() -> None:
    policy = RetryPolicy(max_attempts=6, max_age_s=600.0, initial_s=0.5, max_backoff_s=10.0)
    assert not gives_up(policy, 6, age_at_next_attempt=21.0)  # attempts used up, age not
    assert not gives_up(policy, 2, age_at_next_attempt=601.0)  # age used up, attempts not
    assert gives_up(policy, 6, age_at_next_attempt=601.0)
    assert not gives_up(policy, 40, age_at_next_attempt=600.0)  # the last attempt may land on max_age
    # max_age 0: the attempts alone decide.
    assert gives_up(RetryPolicy(max_attempts=3, max_age_s=0.0), 3, age_at_next_attempt=0.2)


def test_retry_delay_stays_at_the_cap_however_many_attempts() -> None:
    policy = RetryPolicy(initial_s=0.001, max_backoff_s=2.0, multiplier=2.0)
    rng = random.Random(1)
    # 2.0 ** 5000 overflows a float; a week-long max_age reaches such attempt counts.
    assert all(1.0 <= retry_delay(policy, attempts, None, rng) <= 2.0 for attempts in (40, 1100, 5000))
    assert retry_delay(policy, 1, 30.0, rng) == 2.0  # Retry-After, up to the cap
    assert 1.0 <= retry_delay(policy, 12, 0.1, rng) <= 2.0  # a shorter Retry-After does not hurry it


class HalfDoneJoin:
    """kafka-python 3.0's coordinator as a poll that timed out mid-join leaves it (seen in
    the dispatcher's debug log of a stalled run): still rejoining, heartbeats off, but
    no longer wanting to rejoin — so no later poll collects the SyncGroup's result."""

    def __init__(self) -> None:
        self.rejoining, self.rejoin_needed = True, False

    def need_rejoin(self) -> bool:
        return self.rejoin_needed

    def request_rejoin(self) -> None:
        self.rejoin_needed = True


class ConsumerWith:
    def __init__(self, coordinator: HalfDoneJoin) -> None:
        self._coordinator = coordinator


def test_a_rebalance_left_half_done_by_the_kafka_client_is_finished() -> None:
    settings = Settings(namespace="t-stuck")
    coordinator = HalfDoneJoin()
    dispatcher, _ = dispatcher_for(settings, hook_channels("{}"), ScriptedSender(), redis.Redis(port=9))
    dispatcher.consumer = ConsumerWith(coordinator)

    assert dispatcher.finish_stuck_rebalance()
    assert coordinator.need_rejoin(), "the next poll must rejoin, or the partitions stay unfetched"
    # Once rejoining is wanted again (or the join is done), it is left alone.
    assert not dispatcher.finish_stuck_rebalance()
    coordinator.rejoining, coordinator.rejoin_needed = False, False
    assert not dispatcher.finish_stuck_rebalance() and not coordinator.need_rejoin()


# --- the delivery step on a real Redis ----------------------------------------------------


@pytest.mark.stack
def test_redis_failing_after_a_2xx_retries_the_record_not_the_post(stack: Settings) -> None:
    settings = fresh_namespace(stack)
    client = kernel_redis.redis_client(settings)
    sender = ScriptedSender(SendResult(True, status=200))
    dispatcher, producer = dispatcher_for(
        settings, hook_channels("{max_attempts: 3}"), sender, MarkFailsFirst(client, 2)
    )
    task = task_for("hook")

    tracker = settle(dispatcher, task)

    assert sender.sends == 1, "the receiver accepted: the alert must not be POSTed again"
    assert dispatcher.store.was_delivered(task.alert_id, "hook")
    assert producer.sent == []
    assert tracker.committable() == {TP: 42}
    # A re-read of the same task (after a crash) finds the record and sends nothing.
    settle(dispatcher, task)
    assert sender.sends == 1


@pytest.mark.stack
def test_demo_channel_keeps_retrying_an_outage_shorter_than_max_age(stack: Settings) -> None:
    """The demo channel (max_attempts 6, max_age 10m, backoff 500ms–10s) once gave up
    after 11 s of refused connections."""
    settings = fresh_namespace(stack)
    channels = load_channels(
        DEMO_DIR / "channels.yaml", env={"MARSAD_WEBHOOK_SECRET": "s", "MARSAD_DEMO_RECEIVER_PORT": "18111"}
    )
    refused = SendResult(False, retryable=True, error="ConnectError: [Errno 111] Connection refused")
    sender = ScriptedSender(refused)
    dispatcher, producer = dispatcher_for(settings, channels, sender, kernel_redis.redis_client(settings))

    # The sixth attempt, 11 s into the outage, fails too: a seventh is scheduled.
    settle(dispatcher, task_for("demo-webhook", attempt=5, first_attempt_at=time.time() - 11))
    ((topic, _, value),) = producer.sent
    assert topic == settings.topic_alerts_retry
    retry = DeliveryTask.from_bytes(value)
    assert retry.attempt == 6 and 5.0 <= retry.next_attempt_at - time.time() <= 10.0

    # Past max_age, with its attempts used up, it goes to the dead-letter topic.
    producer.sent.clear()
    settle(dispatcher, task_for("demo-webhook", attempt=70, first_attempt_at=time.time() - 599))
    ((topic, _, value),) = producer.sent
    assert topic == settings.topic_alerts_dlq
    letter = DeadLetter.from_bytes(value)
    assert letter.task is not None and letter.task.attempt == 71
    assert "71 attempts in 599s failed" in letter.reason and "Connection refused" in letter.reason


@pytest.mark.stack
def test_a_refused_request_is_dead_lettered_at_once(stack: Settings) -> None:
    settings = fresh_namespace(stack)
    sender = ScriptedSender(SendResult(False, status=401, retryable=False, error="HTTP 401"))
    dispatcher, producer = dispatcher_for(
        settings, hook_channels("{max_attempts: 12, max_age: 6h}"), sender, kernel_redis.redis_client(settings)
    )
    settle(dispatcher, task_for("hook"))
    ((topic, _, value),) = producer.sent
    assert topic == settings.topic_alerts_dlq and DeadLetter.from_bytes(value).reason == "refused: HTTP 401"
    assert sender.sends == 1
