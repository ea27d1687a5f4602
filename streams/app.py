"""The Faust worker (`marsad worker`): agents move messages between topics and call the
pure functions of ``streams/pipeline.py``.

    <ns>.articles.raw ──process_articles──► <ns>.articles (normalized, deduplicated, retained)
                                        └─► <ns>.alerts   (one event per rule that fired)
    <ns>.rules (compacted) ──follow_rules──► the in-memory rule set (hot reload)

Every worker reads the whole rules topic itself (no consumer group), because every worker
needs every rule; articles are shared out by the consumer group, partition by partition.
"""

from __future__ import annotations

import asyncio
import dataclasses
import logging
import time

import faust
import orjson
import redis
from aiokafka import TopicPartition

from kernel import metrics
from kernel.errors import MarsadError
from kernel.kafka import async_consumer
from kernel.messages import Article, RawArticle, RuleSetMessage
from kernel.redis_client import redis_client
from kernel.settings import Settings, get_settings
from streams import pipeline
from streams.dedupe import DedupeDecision, Deduplicator, RedisDedupeStore
from streams.rules import CompiledRuleSet, load_ruleset, ruleset_from_message

log = logging.getLogger("marsad.worker")


class ReplaySafeDeduplicator:
    """Kafka delivers at least once: an article processed again after a crash must get
    the decision it got the first time, not be called a duplicate of itself."""

    def __init__(self, inner: Deduplicator, client: redis.Redis, prefix: str, ttl_s: int) -> None:
        self.inner, self.client, self.prefix, self.ttl_s = inner, client, prefix, ttl_s

    def process(self, article) -> DedupeDecision:
        key = f"{self.prefix}dedupe:decision:{article.id}"
        seen = self.client.get(key)
        if seen is not None:
            return DedupeDecision(**orjson.loads(seen))
        decision = self.inner.process(article)
        self.client.set(key, orjson.dumps(dataclasses.asdict(decision)), ex=self.ttl_s)
        return decision


def create_app(settings: Settings) -> faust.App:
    app = faust.App(
        f"{settings.namespace}-worker",
        broker=f"kafka://{settings.kafka_bootstrap}",
        store="memory://",
        web_enabled=False,
        topic_partitions=settings.partitions,
        topic_replication_factor=1,
        topic_allow_declare=False,  # `marsad stack up` creates the topics explicitly
        consumer_auto_offset_reset="earliest",
        producer_acks=-1,
        broker_commit_livelock_soft_timeout=60.0,
        # A few ms of linger lets the article and its alerts share produce requests: fewer
        # requests for the worker and the broker to handle (measured in bench_pipeline).
        producer_linger=0.005,
        logging_config=None,
    )
    raw_topic = app.topic(
        settings.topic_raw, key_type=bytes, value_type=bytes, value_serializer="raw", key_serializer="raw"
    )
    articles_topic = app.topic(
        settings.topic_articles, key_type=bytes, value_type=bytes, value_serializer="raw", key_serializer="raw"
    )
    alerts_topic = app.topic(
        settings.topic_alerts, key_type=bytes, value_type=bytes, value_serializer="raw", key_serializer="raw"
    )

    redis_conn = redis_client(settings, timeout_s=5.0)
    from streams.dedupe import DedupeConfig

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

    # Label children bound once: `.labels()` per message showed up in profiles.
    normalize_seconds, dedupe_seconds, match_seconds = (
        metrics.STAGE_DURATION.labels(stage) for stage in ("normalize", "dedupe", "match")
    )
    normalized, deduplicated, matched = (
        metrics.STAGE_PROCESSED.labels(stage) for stage in ("normalize", "dedupe", "match")
    )

    @app.agent(raw_topic, concurrency=settings.worker_concurrency)
    async def process_articles(stream):
        # One agent for the three stages: a second Kafka hop between dedupe and match
        # cost more CPU than matching itself (measured: 156 → see bench/bench_pipeline.py).
        async for key, value in stream.items():
            started = time.perf_counter()
            try:
                raw = RawArticle.from_bytes(value)
                clean = pipeline.normalize(raw)
            except Exception:
                # A message that cannot be parsed or cleaned is counted and logged, never
                # retried forever: it would block its whole partition.
                metrics.STAGE_FAILED.labels("normalize").inc()
                log.exception("could not normalize message key=%r", key)
                continue
            normalize_seconds.observe(time.perf_counter() - started)
            normalized.inc()
            t1 = time.perf_counter()
            # Redis being away is not the article's fault: wait for it rather than drop.
            article, decision = await _retry_while_redis_is_down(pipeline.dedupe, raw, clean, deduplicator)
            dedupe_seconds.observe(time.perf_counter() - t1)
            deduplicated.inc()
            if decision.duplicate_of is not None:
                metrics.DUPLICATES.labels("near" if decision.kind == "near" else "exact").inc()
                log.info(
                    "duplicate %s of %s (%s, %.2f)",
                    raw.id,
                    decision.duplicate_of,
                    decision.kind,
                    decision.similarity or 1.0,
                )
                continue
            if decision.story_id == raw.id:
                metrics.STORIES.inc()
            await articles_topic.send(key=raw.id.encode(), value=article.to_bytes())
            await _match_and_send(article)

    async def _match_and_send(article: Article) -> None:
        started = time.perf_counter()
        try:
            events = pipeline.match(article, rules.current)
        except Exception:
            metrics.STAGE_FAILED.labels("match").inc()
            log.exception("could not match article %s", article.id)
            return
        match_seconds.observe(time.perf_counter() - started)
        matched.inc()
        for event in events:
            metrics.RULE_MATCHES.labels(event.rule.id).inc()
            await alerts_topic.send(key=pipeline.alert_key(event), value=event.to_bytes())

    @app.task
    async def follow_rules() -> None:
        await _follow_rules(settings, rules, rules_offset)

    @app.task
    async def serve_metrics() -> None:
        from kernel.lag import start_lag_sampler

        metrics.serve_metrics(settings.worker_metrics_port, "worker")
        start_lag_sampler(settings, [f"{settings.namespace}-worker", f"{settings.namespace}-dispatcher"])

    return app


async def _retry_while_redis_is_down(fn, *args):
    """Call ``fn`` (it talks to Redis synchronously); on a connection error wait with
    capped exponential backoff and try again, for as long as it takes.

    ``fn`` runs on the event loop itself: its Redis round trips take well under a
    millisecond, and handing every article to a thread cost more CPU (submit, wake-ups,
    GIL hand-offs) than the waits it hid. A hung Redis blocks the loop for at most the
    client's socket timeout (5 s), far inside the 60 s consumer session timeout."""
    delay = 0.2
    while True:
        try:
            return fn(*args)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            metrics.STAGE_FAILED.labels("dedupe").inc()
            log.warning("Redis unavailable (%s); retrying in %.1fs", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)


def load_initial_ruleset(settings: Settings) -> tuple[CompiledRuleSet, int]:
    """The latest valid rule set on the rules topic, else the rules files of the settings;
    and the rules-topic offset to follow from.

    Read before the agents start, so that a restarted worker never matches with stale
    file rules while it catches up with the topic."""
    from streams.rules.publish import read_latest_ruleset

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
    from kernel.kafka import wait_for_kafka

    wait_for_kafka(settings, timeout_s=20)
    logging.basicConfig(level=settings.log_level, format="[%(asctime)s] %(levelname)s %(name)s: %(message)s")
    app = create_app(settings)
    worker = faust.Worker(app, loglevel=settings.log_level, quiet=True, redirect_stdouts=False)
    worker.execute_from_commandline()
