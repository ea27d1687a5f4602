"""The worker's three stages, each counting what it processed and what failed, and timing
itself: the ``marsad_stage_*{stage="normalize"|"dedupe"|"match"}`` series (dashboards and
alerting rules read them), plus duplicates, new stories and rule matches.

``streams/app.py`` only moves messages: raw bytes in, ``MeasuredStages`` in between,
articles and alerts out. The stage logic itself is ``streams/pipeline.py``.
"""

from __future__ import annotations

import asyncio
import logging
import time
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import ParamSpec, TypeVar

import orjson
import redis
from pydantic import ValidationError

from kernel import metrics
from kernel.messages import AlertEvent, Article, RawArticle
from streams import pipeline
from streams.clean import CleanArticle
from streams.dead_letters import Rejected
from streams.dedupe import DedupeDecision, Deduplicator, ReplaySafeDeduplicator

log = logging.getLogger("marsad.worker")

P = ParamSpec("P")
T = TypeVar("T")


class StageMetrics:
    """One stage's processed and failed counters and its duration histogram.

    The label children are bound once: ``.labels()`` per message showed up in profiles."""

    __slots__ = ("failed", "processed", "seconds")

    def __init__(self, stage: str) -> None:
        self.processed = metrics.STAGE_PROCESSED.labels(stage)
        self.failed = metrics.STAGE_FAILED.labels(stage)
        self.seconds = metrics.STAGE_DURATION.labels(stage)

    def done(self, started: float) -> None:
        """One message finished the stage; ``started`` is its ``time.perf_counter()``."""
        self.seconds.observe(time.perf_counter() - started)
        self.processed.inc()

    def done_many(self, started: float, count: int) -> None:
        """``count`` messages finished the stage together, each taking its share."""
        if count:
            share = (time.perf_counter() - started) / count
            for _ in range(count):
                self.seconds.observe(share)
            self.processed.inc(count)


class MeasuredStages:
    """normalize → dedupe → match for the worker's agent, each stage measured.

    A message that cannot be parsed, cleaned or matched is counted and logged, never
    retried: it would block its whole partition. Redis being away is not the article's
    fault: dedupe waits for it rather than drop the article."""

    def __init__(self, deduplicator: Deduplicator | ReplaySafeDeduplicator, rules: pipeline.RuleSetHolder) -> None:
        self.deduplicator = deduplicator
        # One thread decides batches in the order they come (decisions depend on what was
        # stored before), while the event loop goes on with Kafka and the other stages.
        self.dedupe_thread = ThreadPoolExecutor(max_workers=1, thread_name_prefix="dedupe")
        self.rules = rules
        self.normalize_metrics = StageMetrics("normalize")
        self.dedupe_metrics = StageMetrics("dedupe")
        self.match_metrics = StageMetrics("match")
        self.exact_duplicates = metrics.DUPLICATES.labels("exact")
        self.near_duplicates = metrics.DUPLICATES.labels("near")

    def normalize(self, key: bytes | None, value: bytes) -> tuple[RawArticle, CleanArticle] | None:
        """The raw article of a message and its clean text; None (counted, logged) when the
        message cannot be read or cleaned."""
        outcome = self.normalize_or_reject(key, value)
        return None if isinstance(outcome, Rejected) else outcome

    def normalize_or_reject(self, key: bytes | None, value: bytes) -> tuple[RawArticle, CleanArticle] | Rejected:
        """The raw article of a message and its clean text, or why there is none (counted,
        logged): the message is not JSON, not a RawArticle, or cleaning it failed."""
        started = time.perf_counter()
        try:
            raw = RawArticle.from_bytes(value)
        except orjson.JSONDecodeError as exc:
            return self._rejected(key, Rejected("unreadable", f"not JSON: {exc}"))
        except ValidationError as exc:
            return self._rejected(key, Rejected("invalid", f"not a RawArticle: {exc}"))
        except Exception as exc:
            return self._rejected(key, Rejected("invalid", f"{type(exc).__name__}: {exc}"))
        try:
            clean = pipeline.normalize(raw)
        except Exception as exc:
            log.exception("could not normalize article %s", raw.id)
            return self._rejected(key, Rejected("unprocessable", f"{type(exc).__name__}: {exc}"))
        self.normalize_metrics.done(started)
        return raw, clean

    def _rejected(self, key: bytes | None, rejected: Rejected) -> Rejected:
        self.normalize_metrics.failed.inc()
        log.error("could not normalize message key=%r: %s", key, rejected.error[:300])
        return rejected

    async def dedupe(self, raw: RawArticle, clean: CleanArticle) -> tuple[Article, DedupeDecision]:
        """The article and its duplicate decision; waits while Redis is unreachable."""
        started = time.perf_counter()
        article, decision = await retry_while_redis_is_down(
            self.dedupe_metrics, pipeline.dedupe, raw, clean, self.deduplicator
        )
        self.dedupe_metrics.done(started)
        self._count(raw, decision)
        return article, decision

    async def dedupe_many(
        self, batch: Sequence[tuple[RawArticle, CleanArticle]]
    ) -> list[tuple[Article, DedupeDecision] | Exception]:
        """``dedupe`` for a batch, in order, on the dedupe thread (the replay guard's reads
        and writes batched: ``ReplaySafeDeduplicator.process_many``); an article whose
        decision failed gets its exception. Waits while Redis is unreachable."""
        started = time.perf_counter()
        loop = asyncio.get_running_loop()

        def decide() -> list[tuple[Article, DedupeDecision] | Exception]:
            return pipeline.dedupe_many(batch, self.deduplicator)

        delay = 0.2
        while True:
            try:
                results = await loop.run_in_executor(self.dedupe_thread, decide)
                break
            except (redis.ConnectionError, redis.TimeoutError) as exc:
                self.dedupe_metrics.failed.inc()
                log.warning("Redis unavailable (%s); retrying in %.1fs", exc, delay)
                await asyncio.sleep(delay)
                delay = min(delay * 2, 5.0)
        self.dedupe_metrics.done_many(started, sum(1 for r in results if not isinstance(r, Exception)))
        for (raw, _), result in zip(batch, results):
            if isinstance(result, Exception):
                self.dedupe_metrics.failed.inc()
            else:
                self._count(raw, result[1])
        return results

    def _count(self, raw: RawArticle, decision: DedupeDecision) -> None:
        if decision.duplicate_of is not None:
            (self.near_duplicates if decision.kind == "near" else self.exact_duplicates).inc()
            log.info(
                "duplicate %s of %s (%s, %.2f)",
                raw.id,
                decision.duplicate_of,
                decision.kind,
                decision.similarity or 1.0,
            )
        elif decision.story_id == raw.id:
            metrics.STORIES.inc()

    def match(self, article: Article, decision: DedupeDecision | None = None) -> list[AlertEvent]:
        """Alert events of the rules the article fires with the current rule set, as dedupe
        ``decision`` says it is (``pipeline.match_decided``); none (counted, logged) when
        matching fails."""
        started = time.perf_counter()
        try:
            events = pipeline.match_decided(article, decision, self.rules.current)
        except Exception:
            self.match_metrics.failed.inc()
            log.exception("could not match article %s", article.id)
            return []
        self.match_metrics.done(started)
        for event in events:
            metrics.RULE_MATCHES.labels(event.rule.id).inc()
        return events


async def retry_while_redis_is_down(stage: StageMetrics, fn: Callable[P, T], *args: P.args, **kwargs: P.kwargs) -> T:
    """Call ``fn`` (it talks to Redis synchronously); on a connection error count a stage
    failure, wait with capped exponential backoff and try again, for as long as it takes.

    ``fn`` runs on the event loop itself: its Redis round trips take well under a
    millisecond, and handing every article to a thread cost more CPU (submit, wake-ups,
    GIL hand-offs) than the waits it hid. A hung Redis blocks the loop for at most the
    client's socket timeout (5 s), inside the consumer session timeout (10 s by default,
    ``MARSAD_WORKER_SESSION_TIMEOUT_S``, never below 6 s)."""
    delay = 0.2
    while True:
        try:
            return fn(*args, **kwargs)
        except (redis.ConnectionError, redis.TimeoutError) as exc:
            stage.failed.inc()
            log.warning("Redis unavailable (%s); retrying in %.1fs", exc, delay)
            await asyncio.sleep(delay)
            delay = min(delay * 2, 5.0)
