"""The dispatcher: <ns>.alerts and <ns>.alerts.retry in, webhooks and Slack out.

One alert's path: the main thread reads the AlertEvent, drops it when a silence matches,
groups it per (rule, story) in Redis (alerts/grouping.py) and, when the group says send,
hands one delivery per channel to that channel's own threads, which take a story's first
alert before updates of known stories (alerts/lanes.py). A delivery skips what
its idempotency record says was sent, POSTs, and records the outcome durably: the
idempotency record on a 2xx, otherwise a DeliveryTask on the retry topic (or a
DeadLetter on the DLQ topic once attempts and age are both used up). Only then is the
message's offset marked done, and offsets are committed up to the first message not
done — at-least-once, with a re-send after a crash only in the instant between a 2xx and
its record.

Retry tasks wait in memory until due and then go to their channel's threads, so a failing
channel delays neither other channels nor the partition's later messages.
"""

from __future__ import annotations

import heapq
import itertools
import logging
import queue
import random
import threading
import time
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, replace

import redis
from kafka import ConsumerRebalanceListener, KafkaConsumer, KafkaProducer
from kafka.coordinator.base import MemberState
from kafka.errors import KafkaError
from kafka.structs import OffsetAndMetadata, TopicPartition
from pydantic import ValidationError

from alerts.channels import Channel, ChannelSet, RetryPolicy
from alerts.lanes import PriorityLanes, group_of, urgency_of
from alerts.senders import ChannelSender, SendResult
from alerts.silences import SilenceStore, first_silence
from alerts.store import DispatchStore
from alerts.tasks import DeadLetter, DeliveryTask
from kernel import kafka as kafka_clients
from kernel import metrics
from kernel import redis_client as kernel_redis
from kernel.errors import StackUnavailable
from kernel.messages import AlertEvent
from kernel.settings import Settings

log = logging.getLogger("marsad.dispatcher")

PRODUCE_TIMEOUT_S = 10.0


class Stopping(Exception):
    """Raised inside a pending step when the dispatcher stops: the step stays unfinished
    (uncommitted) and is taken up again after the restart."""


class OffsetTracker:
    """Offsets handed out but not finished, per partition; commits stop at the first
    unfinished one so that nothing unfinished is ever committed."""

    def __init__(self) -> None:
        self.lock = threading.Lock()
        self.pending: dict[TopicPartition, OrderedDict[int, bool]] = {}
        self.committed: dict[TopicPartition, int] = {}

    def add(self, tp: TopicPartition, offset: int) -> None:
        with self.lock:
            self.pending.setdefault(tp, OrderedDict())[offset] = False

    def done(self, tp: TopicPartition, offset: int) -> None:
        with self.lock:
            offsets = self.pending.get(tp)
            if offsets is not None and offset in offsets:
                offsets[offset] = True

    def in_flight(self) -> int:
        with self.lock:
            return sum(len(o) for o in self.pending.values())

    def committable(self) -> dict[TopicPartition, int]:
        """Next offset to commit per partition, where it moved since the last call."""
        out: dict[TopicPartition, int] = {}
        with self.lock:
            for tp, offsets in self.pending.items():
                last = None
                while offsets:
                    offset, finished = next(iter(offsets.items()))
                    if not finished:
                        break
                    offsets.popitem(last=False)
                    last = offset
                if last is not None:
                    out[tp] = last + 1
                    self.committed[tp] = last + 1
        return out

    def forget(self, partitions: list[TopicPartition]) -> None:
        with self.lock:
            for tp in partitions:
                self.pending.pop(tp, None)


@dataclass(frozen=True)
class Job:
    """Counts down the deliveries of one Kafka message; marks its offset done at zero."""

    tp: TopicPartition
    offset: int
    remaining: list[int]
    lock: threading.Lock
    tracker: OffsetTracker

    @classmethod
    def start(cls, tracker: OffsetTracker, tp: TopicPartition, offset: int, parts: int) -> Job:
        tracker.add(tp, offset)
        job = cls(tp, offset, [parts], threading.Lock(), tracker)
        if parts == 0:
            tracker.done(tp, offset)
        return job

    def finish_one(self) -> None:
        with self.lock:
            self.remaining[0] -= 1
            last = self.remaining[0] == 0
        if last:
            self.tracker.done(self.tp, self.offset)


def retry_delay(policy: RetryPolicy, attempts: int, retry_after_s: float | None, rng: random.Random) -> float:
    """Seconds to wait after the ``attempts``-th failed attempt: the policy's backoff, or
    the receiver's ``Retry-After`` when longer (up to the backoff maximum)."""
    try:
        delay = policy.backoff(attempts, rng)
    except OverflowError:  # multiplier ** attempts outgrew a float: the step is long at its cap
        delay = replace(policy, initial_s=policy.max_backoff_s).backoff(1, rng)
    if retry_after_s is not None:
        delay = max(delay, min(retry_after_s, policy.max_backoff_s))
    return delay


def gives_up(policy: RetryPolicy, attempts: int, age_at_next_attempt: float) -> bool:
    """Whether a delivery that failed ``attempts`` times goes to the dead-letter topic:
    only once it has had ``max_attempts`` attempts *and* its next one would come later
    than ``max_age`` after the first. Either limit alone would cut retries short: a fast
    backoff uses up its attempts within seconds of a receiver outage shorter than
    ``max_age``."""
    return attempts >= policy.max_attempts and age_at_next_attempt > policy.max_age_s


class Dispatcher:
    def __init__(
        self,
        settings: Settings,
        channels: ChannelSet,
        *,
        redis_client: redis.Redis | None = None,
        senders: dict[str, ChannelSender] | None = None,
        max_in_flight: int = 5000,
        commit_interval_s: float = 0.5,
        rng: random.Random | None = None,
    ) -> None:
        self.settings, self.channels = settings, channels
        self.redis = redis_client or kernel_redis.redis_client(settings)
        self.store = DispatchStore(self.redis, settings.redis_prefix)
        self.silences = SilenceStore(self.redis, settings.redis_prefix)
        self.senders = senders or {cid: ChannelSender(ch) for cid, ch in channels.channels.items()}
        # a channel's threads take new stories' alerts before updates (alerts/lanes.py)
        self.lanes = {cid: PriorityLanes(ch.concurrency, f"send-{cid}") for cid, ch in channels.channels.items()}
        self.tracker = OffsetTracker()
        self.max_in_flight, self.commit_interval_s = max_in_flight, commit_interval_s
        self.rng = rng or random.Random()
        self.stopping = threading.Event()
        self.delayed: list[tuple[float, int, DeliveryTask, Job]] = []
        self._sequence = itertools.count()
        self.consumer: KafkaConsumer | None = None
        self.producer: KafkaProducer | None = None
        self.paused = False
        self.revoked: queue.SimpleQueue[set[TopicPartition]] = queue.SimpleQueue()

    # --- set-up ---------------------------------------------------------------------
    def connect(self) -> None:
        try:
            self.redis.ping()
        except (redis.RedisError, OSError) as exc:
            raise kernel_redis.unreachable(self.settings, exc) from None
        kafka_clients.wait_for_kafka(self.settings, timeout_s=10)
        kafka_clients.ensure_topics(self.settings)
        self.producer = kafka_clients.producer(self.settings, "dispatcher", timeout_s=PRODUCE_TIMEOUT_S, linger_ms=2)
        self.consumer = kafka_clients.consumer(
            self.settings,
            "dispatcher",
            group_id=f"{self.settings.namespace}-dispatcher",
            auto_offset_reset="earliest",
            max_poll_records=200,
            # A crashed dispatcher's partitions move to a live one after 10 s, not 45 s.
            session_timeout_ms=10000,
            heartbeat_interval_ms=3000,
        )
        # Join the group only once this client's metadata knows the topics' partitions: a
        # join made with stale metadata gets an empty assignment that nothing corrects.
        for topic in (self.settings.topic_alerts, self.settings.topic_alerts_retry):
            deadline = time.monotonic() + 30
            while not self.consumer.partitions_for_topic(topic):
                if time.monotonic() > deadline:
                    raise StackUnavailable(f"topic {topic} has no partitions after 30s")
                time.sleep(0.2)
        self.consumer.subscribe(
            [self.settings.topic_alerts, self.settings.topic_alerts_retry], listener=_Rebalance(self)
        )

    # --- main loop --------------------------------------------------------------------
    def run(self) -> None:
        """Consume until ``stop()``; then finish running deliveries and commit."""
        metrics.declare_labels(self.channels.channels, metrics.ALERTS_FAILED, metrics.ALERTS_DEAD_LETTERED)
        self.connect()
        assert self.consumer is not None
        log.info("dispatching to channels %s", ", ".join(self.channels.channels))
        last_commit = time.monotonic()
        try:
            while not self.stopping.is_set():
                self._drop_revoked()
                self.finish_stuck_rebalance()
                self._release_due()
                self._apply_backpressure()
                batches = self.consumer.poll(timeout_ms=self._poll_timeout_ms())
                for tp, records in batches.items():
                    for record in records:
                        if self.stopping.is_set():
                            break
                        self._handle(tp, record)
                if time.monotonic() - last_commit >= self.commit_interval_s:
                    self.commit()
                    last_commit = time.monotonic()
        except Stopping:
            pass
        finally:
            self.shutdown()

    def stop(self) -> None:
        self.stopping.set()

    def _poll_timeout_ms(self) -> int:
        assert self.consumer is not None
        if not self.consumer.assignment() or self._group_settling():
            # Joining or rebalancing: give the group coordinator a long poll. With short
            # polls kafka-python 3 was seen to abandon and restart its JoinGroup under a
            # slow broker, never finishing the rebalance, until the member expired. A
            # rebalance also starts while partitions are still assigned (their revocation
            # comes with the rejoin), hence the coordinator's own state too.
            return 5000
        if self.delayed:
            until_due = self.delayed[0][0] - time.time()
            return int(max(0.0, min(0.2, until_due)) * 1000)
        return 200

    def _group_settling(self) -> bool:
        """Whether the consumer is (re)joining its group. Reads kafka-python's coordinator
        (not public API: checked defensively, False when it cannot tell)."""
        coordinator = getattr(self.consumer, "_coordinator", None)
        try:
            return bool(
                coordinator is not None
                and (coordinator.state != MemberState.STABLE or coordinator.rejoining or coordinator.need_rejoin())
            )
        except Exception:  # another kafka-python version: keep the short polls
            return False

    def finish_stuck_rebalance(self) -> bool:
        """Make the next poll finish a rebalance that kafka-python (3.0) left half done.

        Its join (JoinGroup, then SyncGroup) runs as a task that only a poll wanting to
        rejoin collects. When a poll times out with that task in flight, and the reason
        to rejoin is gone by then (a rejoin for changed topic metadata ends wanting as
        soon as the leader's assignment records that metadata), no later poll collects
        it: the member stays "rebalancing" with heartbeats off, its partitions are never
        fetched again and commits are refused. Seen at start-up, whose second join
        (for the metadata) met the short polls of pending retries: retries stopped and
        the failing channel's dead letters never came (issue 21). Asking for a rejoin
        lets the next (long) poll finish the join or make a new one."""
        coordinator = getattr(self.consumer, "_coordinator", None)
        if coordinator is None:
            return False
        try:
            stuck = bool(coordinator.rejoining and not coordinator.need_rejoin())
            if stuck:
                coordinator.request_rejoin()
        except Exception:  # another kafka-python version: nothing to repair here
            return False
        if stuck:
            log.warning("the group's rebalance was left unfinished by the Kafka client; rejoining")
        return stuck

    def _apply_backpressure(self) -> None:
        assert self.consumer is not None
        in_flight = self.tracker.in_flight()
        if not self.paused and in_flight >= self.max_in_flight:
            self.consumer.pause(*self.consumer.assignment())
            self.paused = True
            log.warning("pausing consumption: %d messages in flight", in_flight)
        elif self.paused and in_flight < self.max_in_flight // 2:
            self.consumer.resume(*self.consumer.paused())
            self.paused = False

    def commit(self) -> None:
        assert self.consumer is not None
        offsets = self.tracker.committable()
        if not offsets:
            return
        try:
            self.consumer.commit({tp: OffsetAndMetadata(off, "", -1) for tp, off in offsets.items()})
        except KafkaError as exc:
            # The offsets stay uncommitted; the worst case is a re-read, which is idempotent.
            log.warning("offset commit failed (%s); will retry", exc)
            with self.tracker.lock:
                for tp in offsets:
                    self.tracker.committed.pop(tp, None)
            return
        for tp in offsets:
            end = self.consumer.highwater(tp)
            if end is not None:
                metrics.CONSUMER_LAG.labels(tp.topic, str(tp.partition)).set(max(0, end - offsets[tp]))

    def shutdown(self) -> None:
        for lanes in self.lanes.values():
            lanes.shutdown()
        if self.consumer is not None:
            try:
                self.commit()
            finally:
                self.consumer.close(autocommit=False)
        if self.producer is not None:
            self.producer.close(timeout=5)
        for sender in self.senders.values():
            sender.close()

    # --- messages ---------------------------------------------------------------------
    def _handle(self, tp: TopicPartition, record) -> None:
        if tp.topic == self.settings.topic_alerts_retry:
            self._handle_retry(tp, record)
        else:
            self._until_done(lambda: self._handle_alert(tp, record), "alert")

    def _until_done(self, action: Callable[[], None], what: str) -> None:
        """Run ``action`` until Redis/Kafka let it finish (or we are stopping): an outage
        pauses the dispatcher instead of losing the message."""
        delay = 0.5
        while True:
            try:
                action()
                return
            except (redis.RedisError, KafkaError) as exc:
                if self.stopping.is_set():
                    raise Stopping from exc
                log.warning("%s: %s: %s; retrying in %.1fs", what, exc.__class__.__name__, exc, delay)
                self.stopping.wait(delay)
                delay = min(delay * 2, 10.0)

    def _handle_alert(self, tp: TopicPartition, record) -> None:
        try:
            event = AlertEvent.from_bytes(record.value)
        except (ValidationError, ValueError) as exc:
            metrics.STAGE_FAILED.labels("dispatch").inc()
            self._dead_letter_raw(tp, record, f"unreadable AlertEvent: {exc.__class__.__name__}")
            return
        now = time.time()
        silence = first_silence(self.silences.active(now), event, now)
        if silence is not None:
            metrics.ALERTS_SILENCED.labels(event.rule.id).inc()
            log.info("silenced rule=%s story=%s by silence %s", event.rule.id, event.story.id, silence.id)
            Job.start(self.tracker, tp, record.offset, 0)
            return
        decision = self.store.decide(event)
        if not decision.sends:
            if not decision.reused:
                metrics.ALERTS_THROTTLED.labels(event.rule.id).inc()
            Job.start(self.tracker, tp, record.offset, 0)
            return
        targets, unknown = self.channels.targets(event.notify)
        if unknown:
            log.error(
                "rule %s notifies unknown channel(s) %s; not in %s",
                event.rule.id,
                ", ".join(unknown),
                self.channels.path,
            )
        if not targets:
            log.error("alert %s of rule %s has no channel to go to", decision.alert_id, event.rule.id)
        job = Job.start(self.tracker, tp, record.offset, len(targets))
        assert decision.payload is not None
        for cid in targets:
            task = DeliveryTask(
                alert_id=decision.alert_id,
                channel=cid,
                rule_id=event.rule.id,
                payload=decision.payload,
                first_attempt_at=now,
                next_attempt_at=now,
                first_seen_at=event.first_seen_at,
            )
            self._submit(task, job)

    def _handle_retry(self, tp: TopicPartition, record) -> None:
        try:
            task = DeliveryTask.from_bytes(record.value)
        except (ValidationError, ValueError) as exc:
            reason = f"unreadable DeliveryTask: {exc.__class__.__name__}"
            self._until_done(lambda: self._dead_letter_raw(tp, record, reason), "retry")
            return
        job = Job.start(self.tracker, tp, record.offset, 1)
        if task.channel not in self.channels.channels:
            self._dead_letter_unknown_channel(task, job)
            return
        heapq.heappush(self.delayed, (task.next_attempt_at, next(self._sequence), task, job))

    def _dead_letter_unknown_channel(self, task: DeliveryTask, job: Job) -> None:
        """A retry for a channel that is no longer configured goes to the DLQ."""

        def give_up() -> None:
            self._dead_letter(task, f"channel {task.channel!r} is not in {self.channels.path}")

        self._until_done(give_up, "retry")
        job.finish_one()

    def _drop_revoked(self) -> None:
        """Forget the in-flight state of partitions a rebalance took away. A partition
        given straight back keeps its state: kafka-python keeps its fetch position, so
        what is waiting here would otherwise never be read again."""
        assert self.consumer is not None
        while not self.revoked.empty():
            revoked = self.revoked.get_nowait() - set(self.consumer.assignment())
            if not revoked:
                continue
            self.tracker.forget(list(revoked))
            self.delayed = [d for d in self.delayed if d[3].tp not in revoked]
            heapq.heapify(self.delayed)

    def _release_due(self) -> None:
        now = time.time()
        while self.delayed and self.delayed[0][0] <= now:
            _, _, task, job = heapq.heappop(self.delayed)
            self._submit(task, job)

    # --- delivery (channel threads) ---------------------------------------------------
    def _submit(self, task: DeliveryTask, job: Job) -> None:
        self.lanes[task.channel].submit(
            urgency_of(task.payload), lambda: self.deliver(task, job), group_of(task.rule_id, task.payload)
        )

    def deliver(self, task: DeliveryTask, job: Job) -> None:
        """One delivery (on its channel's thread); ``job`` counts down once it is settled."""
        try:
            self._until_done(lambda: self._attempt(task), f"delivery {task.alert_id} → {task.channel}")
        except Stopping:
            return
        except Exception:  # noqa: BLE001 — a bug must not strand the offset silently
            log.exception("delivery %s → %s failed unexpectedly; it stays uncommitted", task.alert_id, task.channel)
            return
        job.finish_one()

    def _attempt(self, task: DeliveryTask) -> None:
        channel = self.channels.channels[task.channel]
        if self.store.was_delivered(task.alert_id, task.channel):
            log.info("skipped %s → %s: already delivered (rule %s)", task.alert_id, task.channel, task.rule_id)
            return
        if self.stopping.is_set():
            raise Stopping  # not sent: left uncommitted, so it is re-read after the restart
        result = self.senders[task.channel].send(task.payload, task.alert_id)
        if result.ok:
            # The receiver has it: from here on only the record is retried, never the POST.
            self._until_done(
                lambda: self.store.mark_delivered(task.alert_id, task.channel, result.status),
                f"delivery record {task.alert_id} → {task.channel}",
            )
            metrics.ALERTS_DELIVERED.labels(task.channel).inc()
            if task.first_seen_at:
                metrics.E2E_LATENCY.labels(task.channel).observe(max(0.0, time.time() - task.first_seen_at))
            log.info(
                "delivered %s → %s (rule %s, attempt %d)", task.alert_id, task.channel, task.rule_id, task.attempt + 1
            )
            return
        metrics.ALERTS_FAILED.labels(task.channel).inc()
        self._after_failure(channel, task, result)

    def _after_failure(self, channel: Channel, task: DeliveryTask, result: SendResult) -> None:
        now = time.time()
        attempts = task.attempt + 1
        failed = task.model_copy(update={"attempt": attempts, "last_error": result.error})
        policy = channel.retry
        if not result.retryable:
            self._dead_letter(failed, f"refused: {result.error}")
            return
        delay = retry_delay(policy, attempts, result.retry_after_s, self.rng)
        if gives_up(policy, attempts, age_at_next_attempt=now + delay - task.first_attempt_at):
            age = now - task.first_attempt_at
            self._dead_letter(failed, f"{attempts} attempts in {age:.0f}s failed; last: {result.error}")
            return
        retry = failed.model_copy(update={"next_attempt_at": now + delay})
        self._produce(self.settings.topic_alerts_retry, retry.key, retry.to_bytes())
        metrics.ALERTS_RETRIED.labels(task.channel).inc()
        log.warning(
            "delivery %s → %s failed (%s); attempt %d in %.1fs",
            task.alert_id,
            task.channel,
            result.error,
            attempts + 1,
            delay,
        )

    def _dead_letter(self, task: DeliveryTask, reason: str) -> None:
        letter = DeadLetter(
            reason=reason, dead_lettered_at=time.time(), source_topic=self.settings.topic_alerts, task=task
        )
        self._produce(self.settings.topic_alerts_dlq, task.key, letter.to_bytes())
        metrics.ALERTS_DEAD_LETTERED.labels(task.channel).inc()
        log.error("dead-lettered %s → %s: %s", task.alert_id, task.channel, reason)

    def _dead_letter_raw(self, tp: TopicPartition, record, reason: str) -> None:
        raw = record.value.decode("utf-8", "replace") if isinstance(record.value, bytes) else str(record.value)
        letter = DeadLetter(reason=reason, dead_lettered_at=time.time(), source_topic=tp.topic, raw=raw[:100_000])
        self._produce(self.settings.topic_alerts_dlq, record.key or b"", letter.to_bytes())
        log.error("dead-lettered an unreadable message at %s[%d]@%d: %s", tp.topic, tp.partition, record.offset, reason)
        Job.start(self.tracker, tp, record.offset, 0)

    def _produce(self, topic: str, key: bytes, value: bytes) -> None:
        """Send and wait for the broker's acknowledgement (acks=all): durable or raises."""
        assert self.producer is not None
        self.producer.send(topic, key=key, value=value).get(timeout=PRODUCE_TIMEOUT_S)


class _Rebalance(ConsumerRebalanceListener):
    def __init__(self, dispatcher: Dispatcher) -> None:
        self.dispatcher = dispatcher

    def on_partitions_revoked(self, revoked) -> None:
        # This runs on kafka-python 3's IO thread, possibly while the main loop runs: it
        # only queues the revocation, and the main loop drops that partition's state.
        # Nothing is committed here (a blocking commit is refused on this thread); what
        # is uncommitted is read again by the next owner, and the delivery records make
        # that re-read send nothing twice.
        self.dispatcher.revoked.put(set(revoked))

    def on_partitions_assigned(self, assigned) -> None:
        log.info("assigned %s", ", ".join(f"{tp.topic}[{tp.partition}]" for tp in assigned))
