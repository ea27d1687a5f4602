"""The connector: poll feeds, publish each new item once, remember everything in the store.

One poll of one feed, in order:
  load state → conditional GET → (304 or same body: done) → parse (the items repeated from
  the feed's previous body are recognised, not parsed again: ``connectors.known_items``) →
  ids of items not yet seen → sanitize the HTML of those (only) → full text when configured
  → publish to Kafka and wait for acks → mark seen and save validators, body hash and the
  next poll time.
Validators and seen ids are saved only after Kafka acknowledged the items, so a failed
publish is retried on the next poll instead of being skipped as "not modified". A crash
between the ack and the save can re-publish a batch; the key (article id) lets the
stream's exact-duplicate stage drop it.
"""

from __future__ import annotations

import asyncio
import functools
import heapq
import logging
import signal
import sys
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from connectors.config import FeedConfig
from connectors.fetch import Fetcher, FetchLimits, FetchResult
from connectors.fulltext import fetch_full_text
from connectors.known_items import KnownItems, xml_reader
from connectors.parse import (
    ContentType,
    FeedItem,
    ItemBody,
    ParseBudgetExceeded,
    ParsedFeed,
    ParseLimits,
    items_by_id,
    parse_feed,
    primary_language,
)
from connectors.publisher import PartlyAcknowledged, Publisher
from connectors.scheduler import OutcomeKind, PollOutcome, jittered, next_schedule
from connectors.state import FeedState, RedisStateStore, StateStore
from kernel.errors import FeedParseError, FetchError, PublishError, StackUnavailable
from kernel.messages import RawArticle, article_id
from kernel.metrics import (
    FEED_ERRORS,
    FEED_FETCHES,
    FEED_ITEMS,
    FEED_ITEMS_DROPPED,
    FEED_LAST_SUCCESS,
    FEED_NOT_MODIFIED,
    declare_labels,
    serve_metrics,
)
from kernel.settings import Settings

log = logging.getLogger(__name__)

# Blocking; raises PublishError (PartlyAcknowledged naming the articles Kafka did take).
PublishFn = Callable[[Sequence[RawArticle]], None]
MAX_ERROR_CHARS = 500
FULL_TEXT_CONCURRENCY = 8
PARSE_BUDGET_S = 20.0  # Settings.feed_parse_timeout_s's default, for connectors built without settings


@dataclass
class PollReport:
    feed: str
    outcome: str  # new_items | no_new_items | not_modified | error | rate_limited
    published: int = 0
    items: int = 0  # items in the feed body (0 when not parsed)
    error: str | None = None
    error_kind: str | None = None
    next_poll_in: float = 0.0


async def parse_within_budget(result: FetchResult, limits: ParseLimits, known: KnownItems | None = None) -> ParsedFeed:
    """Parse a fetched body in a worker thread, given up on (ParseBudgetExceeded) when it
    outlasts ``limits.time_budget_s``: the poll goes on, and the thread stops itself at the
    same deadline between items. With ``known`` (the feed's previous ``item_keys``, empty
    at first), items repeated from then are not parsed again (``connectors.known_items``)."""
    parsing = asyncio.to_thread(
        parse_feed,
        result.body,
        base_url=result.url,
        content_type=result.content_type,
        limits=limits,
        read_xml=xml_reader(known),
    )
    if limits.time_budget_s is None:
        return await parsing
    try:
        return await asyncio.wait_for(parsing, timeout=limits.time_budget_s)
    except TimeoutError:
        raise ParseBudgetExceeded(f"parsing took longer than {limits.time_budget_s:g}s") from None


async def sanitize_within_budget(items: Sequence[FeedItem], limits: ParseLimits) -> None:
    """Sanitize the bodies of ``items`` (a poll's new items; parsing left them for first
    use) in a worker thread, within the same time budget as parsing."""

    def sanitize() -> list[ItemBody]:
        deadline = limits.deadline()
        bodies = []
        for item in items:
            limits.check(deadline)
            bodies.append(item.body)
        return bodies

    if not items:
        return
    sanitizing = asyncio.to_thread(sanitize)
    if limits.time_budget_s is None:
        await sanitizing
        return
    try:
        await asyncio.wait_for(sanitizing, timeout=limits.time_budget_s)
    except TimeoutError:
        raise ParseBudgetExceeded(f"sanitizing took longer than {limits.time_budget_s:g}s") from None


def build_article(
    feed: FeedConfig, parsed: ParsedFeed, item: FeedItem, aid: str, seen_at: float, full_text: str | None = None
) -> RawArticle:
    language = feed.language or primary_language(parsed.language)
    content_type: ContentType
    if full_text:
        content, content_type = full_text, "text/plain"
    else:
        content, content_type = item.content, item.content_type
    return RawArticle(
        id=aid,
        feed=feed.id,
        url=item.url,
        title=item.title,
        content=content,
        content_type=content_type,
        published=item.published,
        language=language,
        tags=list(feed.tags),
        first_seen_at=seen_at,
    )


class Connector:
    def __init__(
        self,
        feeds: Sequence[FeedConfig],
        store: StateStore,
        publish: PublishFn,
        fetcher: Fetcher,
        *,
        concurrency: int = 64,
        clock: Callable[[], float] = time.time,
        jitter: bool = True,
        parse_limits: ParseLimits = ParseLimits(time_budget_s=PARSE_BUDGET_S),
    ) -> None:
        self.feeds = list(feeds)
        self.parse_limits = parse_limits
        declare_labels([f.id for f in self.feeds], FEED_ITEMS_DROPPED)
        self.store = store
        self.publish = publish
        self.fetcher = fetcher
        self.concurrency = concurrency
        self.clock = clock
        self.jitter = jitter
        self._full_text_slots = asyncio.Semaphore(FULL_TEXT_CONCURRENCY)
        # feed id → the item keys of its last body parsed, so that the next changed body
        # parses only its new items; kept in memory only (a restart parses each feed whole once)
        self._known_items: dict[str, KnownItems] = {}

    # --- one feed -------------------------------------------------------------------------

    async def poll(self, feed: FeedConfig) -> PollReport:
        """Poll ``feed`` once. Never raises: every failure is recorded on the feed."""
        try:
            state = await self.store.load(feed.id)
        except Exception as exc:  # Redis down: skip this round, the feed stays due
            FEED_ERRORS.labels(feed.id, "state").inc()
            return PollReport(
                feed.id, "error", error=f"state store: {exc}", error_kind="state", next_poll_in=feed.poll.min
            )
        try:
            return await self._poll(feed, state)
        except Exception as exc:  # a bug must cost one poll of one feed, not the connector
            log.exception("poll of feed %s failed", feed.id)
            return await self._failed(feed, state, "internal", f"{type(exc).__name__}: {exc}")

    async def _poll(self, feed: FeedConfig, state: FeedState) -> PollReport:
        FEED_FETCHES.labels(feed.id).inc()
        try:
            result = await self.fetcher.fetch(feed.url, state.validators)
        except FetchError as exc:
            return await self._failed(feed, state, exc.kind, str(exc), exc.retry_after)
        if result.status != "ok":
            FEED_NOT_MODIFIED.labels(feed.id).inc()
            state.etag, state.last_modified = result.validators.etag, result.validators.last_modified
            return await self._succeeded(feed, state, "not_modified", 0, 0)
        parsed = await self._parse(feed, state, result, self._known_items.get(feed.id, {}))
        if isinstance(parsed, PollReport):
            return parsed
        if parsed.item_keys is None:
            self._known_items.pop(feed.id, None)
        else:
            self._known_items[feed.id] = parsed.item_keys
        if parsed.dropped_items:
            FEED_ITEMS_DROPPED.labels(feed.id).inc(parsed.dropped_items)
            log.warning(
                "feed %s: %d items beyond the cap of %d dropped (MARSAD_FEED_MAX_ITEMS)",
                feed.id,
                parsed.dropped_items,
                self.parse_limits.max_items,
            )
        if not parsed.items and parsed.problems:
            return await self._failed(feed, state, "parse", "no items recovered: " + "; ".join(parsed.problems)[:300])
        if parsed.problems:
            log.info(
                "feed %s: recovered %d items despite: %s", feed.id, len(parsed.items), "; ".join(parsed.problems)[:300]
            )

        by_id = items_by_id(feed.id, parsed)
        new_ids = await self.store.unseen(feed.id, list(by_id))
        if any(not by_id[aid].parsed for aid in new_ids):
            # An item parsed at an earlier poll was not published then (its publish
            # failed): read the body whole to have it.
            parsed = await self._parse(feed, state, result, None)
            if isinstance(parsed, PollReport):
                return parsed
            by_id = items_by_id(feed.id, parsed)
            new_ids = await self.store.unseen(feed.id, list(by_id))
        seen_at = self.clock()
        # Feeds list newest first; publish oldest first so that stories unfold in order.
        new_ids.reverse()
        try:
            await sanitize_within_budget([by_id[aid] for aid in new_ids], self.parse_limits)
        except ParseBudgetExceeded as exc:
            return await self._failed(feed, state, "parse_timeout", str(exc))
        full_texts = await self._full_texts(feed, [by_id[aid] for aid in new_ids])
        articles = [build_article(feed, parsed, by_id[aid], aid, seen_at, full_texts.get(aid)) for aid in new_ids]
        try:
            await asyncio.to_thread(self.publish, articles)
        except PublishError as exc:
            if isinstance(exc, PartlyAcknowledged):
                # Those are in Kafka: published again next poll they would be doubles.
                await self.store.mark_seen(feed.id, exc.acknowledged, seen_at)
            return await self._failed(feed, state, "publish", str(exc))
        await self.store.mark_seen(feed.id, list(by_id), seen_at)
        if articles:
            FEED_ITEMS.labels(feed.id).inc(len(articles))
        state.etag, state.last_modified = result.validators.etag, result.validators.last_modified
        state.body_hash = result.validators.body_hash
        state.items_total += len(articles)
        return await self._succeeded(
            feed, state, "new_items" if articles else "no_new_items", len(articles), len(parsed.items)
        )

    async def _parse(
        self, feed: FeedConfig, state: FeedState, result: FetchResult, known: KnownItems | None
    ) -> ParsedFeed | PollReport:
        """The parsed body, or the report of the failed poll when it cannot be parsed."""
        try:
            return await parse_within_budget(result, self.parse_limits, known)
        except ParseBudgetExceeded as exc:
            return await self._failed(feed, state, "parse_timeout", str(exc))
        except FeedParseError as exc:
            return await self._failed(feed, state, "parse", str(exc))

    async def _full_texts(self, feed: FeedConfig, items: list[FeedItem]) -> dict[str, str]:
        if not feed.full_text or not items:
            return {}

        async def one(item: FeedItem) -> tuple[str, str | None]:
            async with self._full_text_slots:
                return article_id(feed.id, item.key), await fetch_full_text(self.fetcher, item.url, feed.item_policy)

        results = await asyncio.gather(*(one(item) for item in items))
        return {aid: text for aid, text in results if text}

    # --- bookkeeping ------------------------------------------------------------------------

    def _delay(self, feed: FeedConfig, delay: float, retry_after: float | None) -> float:
        if not self.jitter or retry_after is not None:
            return delay
        return jittered(delay, feed.poll)

    async def _succeeded(
        self, feed: FeedConfig, state: FeedState, outcome: str, published: int, items: int
    ) -> PollReport:
        now = self.clock()
        schedule = next_schedule(state.interval, PollOutcome(outcome), feed.poll, 0)  # type: ignore[arg-type]
        delay = self._delay(feed, schedule.delay, None)
        state.interval, state.next_poll_at = schedule.interval, now + delay
        state.consecutive_errors = 0
        state.polls_total += 1
        state.last_status, state.last_success_at = outcome, now
        FEED_LAST_SUCCESS.labels(feed.id).set(now)
        await self.store.save(feed.id, state)
        return PollReport(feed.id, outcome, published=published, items=items, next_poll_in=delay)

    async def _failed(
        self, feed: FeedConfig, state: FeedState, kind: str, message: str, retry_after: float | None = None
    ) -> PollReport:
        now = self.clock()
        FEED_ERRORS.labels(feed.id, kind).inc()
        outcome: OutcomeKind = "rate_limited" if kind == "rate_limited" else "error"
        state.consecutive_errors += 1
        state.errors_total += 1
        state.polls_total += 1
        schedule = next_schedule(
            state.interval,
            PollOutcome(outcome, retry_after),
            feed.poll,
            state.consecutive_errors,
        )
        delay = self._delay(feed, schedule.delay, retry_after)
        state.interval, state.next_poll_at = schedule.interval, now + delay
        state.last_status = outcome
        state.last_error, state.last_error_kind, state.last_error_at = message[:MAX_ERROR_CHARS], kind, now
        log.warning("feed %s: %s (%s); next poll in %.0fs", feed.id, message[:200], kind, delay)
        try:
            await self.store.save(feed.id, state)
        except Exception as exc:
            log.warning("feed %s: state not saved: %s", feed.id, exc)
        return PollReport(feed.id, outcome, error=message, error_kind=kind, next_poll_in=delay)

    # --- many feeds ------------------------------------------------------------------------

    async def poll_all(self, feeds: Sequence[FeedConfig] | None = None) -> list[PollReport]:
        """Poll every feed once (ignoring schedules), ``concurrency`` at a time."""
        slots = asyncio.Semaphore(self.concurrency)

        async def one(feed: FeedConfig) -> PollReport:
            async with slots:
                return await self.poll(feed)

        return list(await asyncio.gather(*(one(f) for f in (feeds or self.feeds))))

    async def run(self, stop: asyncio.Event, *, drain_timeout_s: float = 20.0) -> None:
        """Poll each feed whenever it is due until ``stop`` is set, then let polls in
        flight finish (up to ``drain_timeout_s``)."""
        try:
            states = await self.store.load_many([f.id for f in self.feeds])
            first_due = {f.id: states[f.id].next_poll_at for f in self.feeds}
        except Exception as exc:
            log.warning("could not load feed schedules (%s); polling every feed now", exc)
            first_due = {f.id: 0.0 for f in self.feeds}
        by_id = {f.id: f for f in self.feeds}
        # (due time, feed id): a heap, so each wake-up costs O(log n) per feed, not a scan.
        due: list[tuple[float, str]] = [(first_due[f.id], f.id) for f in self.feeds]
        heapq.heapify(due)
        in_flight: dict[str, asyncio.Task[PollReport]] = {}
        slots = asyncio.Semaphore(self.concurrency)
        wake = asyncio.Event()  # a poll finished: its feed has a new due time

        async def one(feed: FeedConfig) -> PollReport:
            async with slots:
                if stop.is_set():
                    return PollReport(feed.id, "skipped")
                report = await self.poll(feed)
            heapq.heappush(due, (self.clock() + report.next_poll_in, feed.id))
            return report

        def finished(feed_id: str, _task: asyncio.Task[PollReport]) -> None:
            in_flight.pop(feed_id, None)
            wake.set()

        stopped = asyncio.create_task(stop.wait())
        while not stop.is_set():
            now = self.clock()
            while due and due[0][0] <= now:
                _when, feed_id = heapq.heappop(due)
                task = asyncio.create_task(one(by_id[feed_id]))
                in_flight[feed_id] = task
                task.add_done_callback(functools.partial(finished, feed_id))
            sleep = min(max(0.01, due[0][0] - now), 1.0) if due else 1.0
            woken = asyncio.create_task(wake.wait())
            await asyncio.wait([stopped, woken], timeout=sleep, return_when=asyncio.FIRST_COMPLETED)
            woken.cancel()
            wake.clear()
        stopped.cancel()
        if in_flight:
            _done, pending = await asyncio.wait(list(in_flight.values()), timeout=drain_timeout_s)
            for task in pending:
                task.cancel()


# --- process edges: `marsad connect` and `marsad feeds check` ------------------------------


async def run_connector(
    settings: Settings, feeds: Sequence[FeedConfig], *, once: bool, limits: FetchLimits | None = None
) -> int:
    """Connect to Redis and Kafka (StackUnavailable within ~15 s when either is down),
    then poll once or until SIGTERM/SIGINT; flush and close. Returns the exit code."""
    store = await RedisStateStore.connect(settings, timeout_s=3.0)
    # kafka-python logs every refused bootstrap attempt; StackUnavailable says it in one line.
    kafka_log = logging.getLogger("kafka")
    kafka_log.setLevel(logging.CRITICAL)
    try:
        publisher = await asyncio.to_thread(Publisher, settings, timeout_s=10.0)
    except BaseException:
        await store.close()
        raise
    kafka_log.setLevel(logging.WARNING)
    try:
        serve_metrics(settings.connector_metrics_port, "connector")
    except OSError as exc:
        log.warning("metrics endpoint on port %s not started: %s", settings.connector_metrics_port, exc)
    try:
        async with Fetcher(limits) as fetcher:
            connector = Connector(
                feeds, store, publisher.publish, fetcher, parse_limits=settings_parse_limits(settings)
            )
            if once:
                reports = await connector.poll_all()
                return _summarize(reports)
            stop = asyncio.Event()
            loop = asyncio.get_running_loop()
            for sig in (signal.SIGTERM, signal.SIGINT):
                loop.add_signal_handler(sig, stop.set)
            log.info("polling %d feeds; publishing to %s", len(feeds), settings.topic_raw)
            await connector.run(stop)
            log.info("stopping: flushing the producer")
            return 0
    finally:
        await asyncio.to_thread(publisher.close)
        await store.close()


def settings_parse_limits(settings: Settings) -> ParseLimits:
    return ParseLimits(max_items=settings.feed_max_items, time_budget_s=settings.feed_parse_timeout_s)


def _summarize(reports: list[PollReport]) -> int:
    published = sum(r.published for r in reports)
    failed = [r for r in reports if r.outcome in ("error", "rate_limited")]
    for report in failed:
        print(f"marsad connect: feed {report.feed}: {report.error_kind}: {report.error}", file=sys.stderr)
    unchanged = sum(1 for r in reports if r.outcome in ("not_modified", "no_new_items"))
    print(
        f"polled {len(reports)} feeds: {published} new items published, {unchanged} without new items, "
        f"{len(failed)} failed",
        file=sys.stderr,
    )
    # Items that could not be published are lost to this run: that is a failure of the run.
    return 1 if any(r.error_kind in ("publish", "state") for r in failed) else 0


@dataclass
class FeedHealth:
    feed: str
    status: str  # ok | failing | never polled
    source: str  # state (from Redis) | live (fetched now)
    last_success_at: float | None = None
    consecutive_errors: int = 0
    errors_total: int = 0
    items_total: int = 0
    next_poll_at: float | None = None
    last_error: str | None = None
    last_error_kind: str | None = None
    items_now: int | None = None  # items in the feed when fetched live


def health_from_state(feed_id: str, state: FeedState) -> FeedHealth:
    status = "failing" if state.consecutive_errors else "ok"
    return FeedHealth(
        feed=feed_id,
        status=status,
        source="state",
        last_success_at=state.last_success_at,
        consecutive_errors=state.consecutive_errors,
        errors_total=state.errors_total,
        items_total=state.items_total,
        next_poll_at=state.next_poll_at or None,
        last_error=state.last_error,
        last_error_kind=state.last_error_kind,
    )


async def live_health(
    feed: FeedConfig, fetcher: Fetcher, limits: ParseLimits = ParseLimits(time_budget_s=PARSE_BUDGET_S)
) -> FeedHealth:
    """Fetch and parse ``feed`` now (nothing is published or stored)."""
    try:
        result = await fetcher.fetch(feed.url)
        parsed = await parse_within_budget(result, limits)
    except FetchError as exc:
        return FeedHealth(
            feed.id, "failing", "live", consecutive_errors=1, last_error=str(exc), last_error_kind=exc.kind
        )
    except FeedParseError as exc:
        kind = "parse_timeout" if isinstance(exc, ParseBudgetExceeded) else "parse"
        return FeedHealth(feed.id, "failing", "live", consecutive_errors=1, last_error=str(exc), last_error_kind=kind)
    if not parsed.items and parsed.problems:
        return FeedHealth(
            feed.id,
            "failing",
            "live",
            consecutive_errors=1,
            last_error_kind="parse",
            last_error="no items recovered: " + "; ".join(parsed.problems)[:300],
        )
    return FeedHealth(
        feed.id,
        "ok",
        "live",
        last_success_at=time.time(),
        items_now=len(parsed.items),
        last_error="; ".join(parsed.problems)[:300] or None,
    )


async def check_feeds(
    settings: Settings, feeds: Sequence[FeedConfig], limits: FetchLimits | None = None
) -> tuple[list[FeedHealth], str | None]:
    """Health of every feed from its Redis state; feeds never polled (or all of them when
    Redis is unreachable) are fetched now. Returns (health, note about Redis or None)."""
    states: dict[str, FeedState] = {}
    note = None
    try:
        store = await RedisStateStore.connect(settings, timeout_s=3.0)
    except StackUnavailable as exc:
        note = f"{exc} — showing live fetches instead"
    else:
        try:
            states = await store.load_many([f.id for f in feeds])
        finally:
            await store.close()
    out: dict[str, FeedHealth] = {}
    live = [f for f in feeds if f.id not in states or states[f.id].polls_total == 0]
    for feed in feeds:
        if feed not in live:
            out[feed.id] = health_from_state(feed.id, states[feed.id])
    if live:
        async with Fetcher(limits) as fetcher:
            parse_limits = settings_parse_limits(settings)
            for health in await asyncio.gather(*(live_health(f, fetcher, parse_limits) for f in live)):
                out[health.feed] = health
    return [out[f.id] for f in feeds], note
