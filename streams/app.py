"""The Faust worker (`marsad worker`): agents move messages between topics; the stages
in between are ``streams/stage_metrics.py`` (counted and timed) over the pure functions of
``streams/pipeline.py``.

    <ns>.articles.raw ──process_articles──► <ns>.articles (normalized, deduplicated, retained)
                                        └─► <ns>.alerts   (one event per rule that fired)
    <ns>.rules (compacted) ──follow_rules──► the in-memory rule set (hot reload)

Every worker reads the whole rules topic itself (no consumer group), because every worker
needs every rule; articles are shared out by the consumer group, partition by partition.
"""

from __future__ import annotations

import asyncio
import gc
import logging
import time
from collections.abc import Sequence
from typing import cast

import faust
from aiokafka import TopicPartition
from aiokafka.errors import BrokerResponseError
from faust.exceptions import ProducerSendError

from kernel import metrics
from kernel.errors import MarsadError
from kernel.kafka import async_consumer, wait_for_kafka
from kernel.lag import start_lag_sampler
from kernel.log_limits import limit_repeated_lines
from kernel.messages import Article, RawArticle, RuleSetMessage
from kernel.redis_client import redis_client
from kernel.settings import Settings, get_settings
from streams import pipeline
from streams.clean import CleanArticle
from streams.dead_letters import RawDeadLetters, Rejected, Source, unpublishable_size
from streams.dedupe import DedupeConfig, DedupeDecision, Deduplicator, RedisDedupeStore, ReplaySafeDeduplicator
from streams.rules import CompiledRuleSet, load_ruleset, ruleset_from_message
from streams.rules.publish import read_latest_ruleset
from streams.stage_metrics import MeasuredStages

log = logging.getLogger("marsad.worker")

# Articles per batch, and how long a batch waits for more once the stream is idle: at a
# backlog batches fill at once; at a trickle an article waits at most this long.
BATCH_MAX = 64
BATCH_WAIT_S = 0.005
# The cyclic garbage collector's thresholds (Python's default is 700, 10, 10). An article
# allocates thousands of short-lived containers, so by default the collector ran ~250 young
# and ~2 full collections per 1,000 articles; the full ones walk the rule set, the clients
# and the stages' tables. Measured with gc callbacks on the worker: 4-5 % of its CPU,
# 0.4-0.5 s per 10 s, against under 1 % with these (docs/performance.md). Cycles are rare in
# the stages' garbage (reference counting frees the rest at once), so memory does not grow.
GC_THRESHOLDS = (50_000, 20, 10)


def faust_app(settings: Settings) -> faust.App:
    """The Faust app without agents: broker, producer and consumer options, and a data
    directory of its own (``settings.worker_data_dir``, created here), never the current
    directory, which need not be writable."""
    settings.worker_data_dir.mkdir(parents=True, exist_ok=True)
    return faust.App(
        f"{settings.namespace}-worker",
        broker=f"kafka://{settings.kafka_bootstrap}",
        store="memory://",
        datadir=settings.worker_data_dir,
        web_enabled=False,
        topic_partitions=settings.partitions,
        topic_replication_factor=1,
        topic_allow_declare=False,  # `marsad stack up` creates the topics explicitly
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        # Records as large as the broker takes (kernel.kafka's producers use the same).
        producer_max_request_size=settings.kafka_max_message_bytes,
        # A SIGKILLed worker's partitions move after this long (Faust's default: 60 s); the
        # survivors hear of the rebalance at their next heartbeat, so that is frequent too.
        broker_session_timeout=settings.worker_session_timeout_s,
        broker_heartbeat_interval=1.0,
        broker_commit_livelock_soft_timeout=60.0,
        # A few ms of linger lets the article and its alerts share produce requests: fewer
        # requests for the worker and the broker to handle (measured in bench_pipeline).
        producer_linger=0.005,
        logging_config=None,
    )


def create_app(settings: Settings) -> faust.App:
    """The worker's app: the article agent and the rules follower (reads the rules topic
    first, see ``load_initial_ruleset``)."""
    app = faust_app(settings)
    raw_topic, articles_topic, alerts_topic, raw_dlq_topic = (
        app.topic(name, key_type=bytes, value_type=bytes, value_serializer="raw", key_serializer="raw")
        for name in (settings.topic_raw, settings.topic_articles, settings.topic_alerts, settings.topic_raw_dlq)
    )

    redis_conn = redis_client(settings, timeout_s=5.0)
    dedupe_config = DedupeConfig()
    deduplicator = ReplaySafeDeduplicator(
        Deduplicator(RedisDedupeStore(redis_conn, prefix=settings.redis_prefix), dedupe_config),
        redis_conn,
        settings.redis_prefix,
        ttl_s=int(dedupe_config.window_seconds),
    )
    initial_rules, rules_offset = load_initial_ruleset(settings)
    rules = pipeline.RuleSetHolder(initial_rules)
    _publish_ruleset_metrics(rules.current)
    stages = MeasuredStages(deduplicator, rules)

    async def send_dead_letter(key: bytes | None, value: bytes, headers: list[tuple[str, bytes]]) -> None:
        refused = await send_or_reject(raw_dlq_topic, key, value, headers)
        if refused is not None:
            log.error("could not dead-letter message key=%r: %s", key, refused.error)

    dead_letters = RawDeadLetters(send_dead_letter, settings.kafka_max_message_bytes)

    async def normalized(event: faust.EventT[bytes], source: Source) -> tuple[RawArticle, CleanArticle] | None:
        """The article and its clean text, or None once the message is dead-lettered."""
        key, value = event.key, event.value
        outcome = stages.normalize_or_reject(key, value)
        if isinstance(outcome, Rejected):
            await dead_letters.put(key, value, source, outcome)
            return None
        raw, clean = outcome
        # Before dedupe: a decision must never be stored for an article that is not published.
        too_large = unpublishable_size(raw, clean, settings.kafka_max_message_bytes)
        if too_large is not None:
            await dead_letters.put(key, value, source, too_large)
            return None
        return outcome

    async def publish(event: faust.EventT[bytes], source: Source, article: Article, decision: DedupeDecision) -> None:
        copy = decision.duplicate_of is not None
        # A copy is not published. Story rules see it (its outlet counts for the story); a
        # near copy, which may say more than its original, every rule (pipeline.match_copy).
        refused = None if copy else await send_or_reject(articles_topic, article.id.encode(), article.to_bytes())
        if refused is None:
            for alert in stages.match(article, decision):
                refused = await send_or_reject(alerts_topic, pipeline.alert_key(alert), alert.to_bytes())
                if refused is not None:
                    break
        if refused is not None:
            # Replaying it gets the stored decision again and publishes what is missing.
            await dead_letters.put(event.key, event.value, source, refused)

    async def unprocessable(event: faust.EventT[bytes], source: Source, exc: Exception) -> None:
        # Whatever a bug does to one message, it is dead-lettered, not lost.
        log.error(
            "message %s:%d:%d could not be processed",
            source.topic,
            source.partition,
            source.offset,
            exc_info=exc,
        )
        rejected = Rejected("unprocessable", f"{type(exc).__name__}: {exc}")
        await dead_letters.put(event.key, event.value, source, rejected)

    async def process_batch(events: Sequence[faust.EventT[bytes]]) -> None:
        accepted: list[tuple[faust.EventT[bytes], Source, RawArticle, CleanArticle]] = []
        for event in events:
            message = event.message
            source = Source(message.topic, message.partition, message.offset)
            try:
                article = await normalized(event, source)
            except Exception as exc:
                await unprocessable(event, source, exc)
                continue
            if article is not None:
                accepted.append((event, source, *article))
        if not accepted:
            return
        try:
            results = await stages.dedupe_many([(raw, clean) for _, _, raw, clean in accepted])
        except Exception as exc:
            results = [exc] * len(accepted)
        for (event, source, _, _), result in zip(accepted, results):
            try:
                if isinstance(result, Exception):
                    raise result
                await publish(event, source, *result)
            except Exception as exc:
                await unprocessable(event, source, exc)

    # One actor taking batches: dedupe decides them in offset order (two actors would
    # share the messages out between them), on its own thread (stage_metrics), while
    # Kafka fetches and sends go on; the events are acknowledged after their batch.
    @app.agent(raw_topic, concurrency=1)
    async def process_articles(stream: faust.StreamT[bytes]) -> None:
        # One agent for the three stages: a second Kafka hop between dedupe and match
        # cost more CPU than matching itself (measured with bench/bench_pipeline.py).
        # StreamT does not declare take_events; faust.Stream, which the agent gets, has it.
        batches = cast(faust.Stream[bytes], stream).take_events(BATCH_MAX, within=BATCH_WAIT_S)
        async for events in batches:
            await process_batch(events)

    @app.task
    async def follow_rules() -> None:
        await _follow_rules(settings, rules, rules_offset)

    @app.task
    async def serve_metrics() -> None:
        metrics.serve_metrics(settings.worker_metrics_port, "worker")
        start_lag_sampler(settings, [f"{settings.namespace}-worker", f"{settings.namespace}-dispatcher"])

    return app


async def send_or_reject(
    topic: faust.TopicT, key: bytes | None, value: bytes, headers: list[tuple[str, bytes]] | None = None
) -> Rejected | None:
    """Hand a record to the producer; None once it is queued (Faust commits the offset only
    after the queued sends were acknowledged). A record the broker would refuse for good
    (too large: checked by the producer against the same limit) is rejected; anything
    else (Kafka away, a full buffer) is retried with capped backoff, as Redis is."""
    delay = 0.2
    while True:
        try:
            await topic.send(key=key, value=value, headers=headers)
            return None
        except ProducerSendError as exc:
            cause = exc.__cause__ or exc
            if isinstance(cause, BrokerResponseError) and not cause.retriable:
                return Rejected("unpublishable", f"{topic.get_topic_name()}: {cause}")
            log.warning("could not send to %s (%s); retrying in %.1fs", topic.get_topic_name(), cause, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


def load_initial_ruleset(settings: Settings) -> tuple[CompiledRuleSet, int]:
    """The latest valid rule set on the rules topic, else the rules files of the settings;
    and the rules-topic offset to follow from.

    Read before the agents start, so that a restarted worker never matches with stale
    file rules while it catches up with the topic."""
    published = read_latest_ruleset(settings)
    if published.ruleset is not None:
        log.info("rule set %s from %s", published.ruleset.version, settings.topic_rules)
        return published.ruleset, published.next_offset
    entities = settings.entities_path if settings.entities_path.exists() else None
    return load_ruleset(settings.rules_path, entities), published.next_offset


def _publish_ruleset_metrics(ruleset: CompiledRuleSet) -> None:
    metrics.RULESET_VERSION.info({"version": ruleset.version})
    metrics.RULESET_RULES.set(len(ruleset.rules))
    metrics.RULESET_LOADED_AT.set(time.time())


async def _follow_rules(settings: Settings, holder: pipeline.RuleSetHolder, from_offset: int) -> None:
    """Apply every rule set published to the compacted rules topic after ``from_offset``
    (what came before was read at start-up)."""
    consumer = async_consumer(
        settings,
        "rules-follower",
        group_id=None,
        auto_offset_reset="earliest",
        fetch_max_bytes=32 * 1024 * 1024,
        max_partition_fetch_bytes=32 * 1024 * 1024,
    )
    await consumer.start()
    try:
        partition = TopicPartition(settings.topic_rules, 0)
        consumer.assign([partition])
        consumer.seek(partition, from_offset)
        while True:
            batch = await consumer.getmany(partition, timeout_ms=1000)
            for message in batch.get(partition, []):
                _apply_ruleset_message(message.value, holder)
    finally:
        await consumer.stop()


def _apply_ruleset_message(value: bytes | None, holder: pipeline.RuleSetHolder) -> None:
    if not value:
        return
    try:
        ruleset = ruleset_from_message(RuleSetMessage.from_bytes(value))
    except (MarsadError, ValueError) as exc:
        # An invalid set never replaces the running one.
        metrics.RULESET_REJECTED.inc()
        log.error("rule set refused, the running set stays in force: %s", exc)
        return
    if ruleset.version == holder.current.version:
        return
    holder.replace(ruleset)
    _publish_ruleset_metrics(ruleset)
    log.info("rule set %s applied: %d rules", ruleset.version, len(ruleset.rules))


def run_worker(settings: Settings | None = None) -> None:
    """Run the worker until SIGTERM/SIGINT."""
    settings = settings or get_settings()
    gc.set_threshold(*GC_THRESHOLDS)
    wait_for_kafka(settings, timeout_s=20)
    logging.basicConfig(level=settings.log_level, format="[%(asctime)s] %(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
    worker = LimitedLogWorker(app, loglevel=settings.log_level, quiet=True, redirect_stdouts=False)
    worker.log_repeat_interval_s = settings.log_repeat_interval_s
    worker.execute_from_commandline()


class LimitedLogWorker(faust.Worker):
    """A Faust worker whose log shows a repeated line once per interval with a count (the
    Kafka clients repeat a refused connection many times a second while Kafka is down)."""

    log_repeat_interval_s = 10.0

    def on_setup_root_logger(self, logger: logging.Logger, level: int) -> None:
        super().on_setup_root_logger(logger, level)
        # Faust replaces the root handlers when it starts: limit the ones it installed.
        limit_repeated_lines(logger, self.log_repeat_interval_s)
