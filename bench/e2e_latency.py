"""End-to-end latency on a private local stack: articles offered to the raw topic at a
steady rate, alerts received by a webhook receiver in this process, through a worker and a
dispatcher (``bench.bench_pipeline`` says what the figures are and their goal)."""

from __future__ import annotations

import copy
import gc
import math
import secrets
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml
from kafka import KafkaProducer

from bench.pipeline_processes import RuleFiles, namespace, rate_workload, spawn, stop
from kernel.kafka import wait_for_group
from kernel.messages import RawArticle
from kernel.settings import DEMO_DIR, Settings

if TYPE_CHECKING:
    from streams.rules import CompiledRuleSet

# How long alerts may still arrive after the last article was produced; later is a miss.
E2E_DRAIN_S = 30.0
# The stream's first seconds, offered at the measured rate but not measured: a worker that
# just started fills its tables (words, keys, stems) and the broker compiles its code, so
# its first seconds run slower than a running pipeline (measured: p50 245 ms in the first 2 s,
# 20-40 ms after). Their latencies are still reported (`pipeline.e2e_p99_ms_warm_up`).
E2E_WARM_UP_S = 5.0
E2E_SEEDS = {"50": 50, "80pct": 80, "within_channel": 81, "one_channel": 50}
# Desks that share the 1k-rule watch list in the e2e runs, each with its own webhook channel:
# a thousand watch rules are the work of several desks (politics, military, economy, ...),
# each alerted on its own channel, not one endpoint taking every alert of the newsroom.
DESKS = 8


@dataclass(frozen=True)
class ExpectedAlerts:
    """The alerts the worker should send for a list of articles: one per (rule, story), the
    story as the same functions tell it in this process, due from its first article."""

    first_article: dict[tuple[str, str], str]  # (rule id, story id) -> first article's id
    story_of: dict[str, str]  # article id -> story id

    def opened_by(self, article_ids: set[str]) -> ExpectedAlerts:
        """Only the groups that ``article_ids`` open."""
        first = {group: a for group, a in self.first_article.items() if a in article_ids}
        return ExpectedAlerts(first, self.story_of)

    def group_of(self, article_id: str, rule_id: str) -> tuple[str, str] | None:
        """The expected group a delivered alert belongs to (None: not an expected one)."""
        story = self.story_of.get(article_id)
        return None if story is None else (rule_id, story)


def expected_alerts(ruleset: CompiledRuleSet, articles: list[RawArticle]) -> ExpectedAlerts:
    """Every alert the worker should send for ``articles``: the same functions with an
    in-memory dedupe store; a rule is expected once per story. A delivery counts for the
    group of its article's story here, so that a worker that reads the two partitions in
    another order (and opens a story with another of its articles) is still matched; its
    latency is then counted from the group's first article, i.e. never shorter."""
    from streams import pipeline
    from streams.dedupe import DedupeConfig, Deduplicator, InMemoryDedupeStore

    dedup = Deduplicator(InMemoryDedupeStore(), DedupeConfig())
    first: dict[tuple[str, str], str] = {}
    story_of: dict[str, str] = {}
    for raw in articles:
        article, decision = pipeline.dedupe(raw, pipeline.normalize(raw), dedup)
        story_of[article.id] = article.story.id
        # a copy's match alerts only for a rule that never fired on its story: the same
        # first-wins rule as setdefault
        for event in pipeline.match_decided(article, decision, ruleset):
            first.setdefault((event.rule.id, article.story.id), article.id)
    return ExpectedAlerts(first, story_of)


def _demo_channels() -> dict[str, Any]:
    data: dict[str, Any] = yaml.safe_load((DEMO_DIR / "channels.yaml").read_text(encoding="utf-8"))
    return data


def channel_rate() -> float:
    """The demo channel's shipped rate limit: the alerts per second it delivers at most."""
    return float(next(c["rate_per_second"] for c in _demo_channels()["channels"] if c.get("default")))


def write_desk_channels(directory: Path, desks: int) -> Path:
    """A channels file with ``desks`` webhook channels ``desk-0`` ..., each the demo channel
    as shipped (the same receiver, secret, timeout, retries and rate limit)."""
    shipped = _demo_channels()
    demo = next(c for c in shipped["channels"] if c.get("default"))
    channels = [{**copy.deepcopy(demo), "id": f"desk-{k}", "default": k == 0} for k in range(desks)]
    path = directory / f"channels-{desks}-desks.yaml"
    path.write_text(yaml.safe_dump({**shipped, "channels": channels}, sort_keys=False), encoding="utf-8")
    return path


def busiest_desk_share(channel_of: dict[str, str], expected: ExpectedAlerts) -> float:
    """The share of the expected alerts that the busiest channel is asked to deliver
    (``channel_of``: rule id → the channels it notifies)."""
    by_channel: dict[str, int] = {}
    for rule_id, _ in expected.first_article:
        key = channel_of.get(rule_id, "")
        by_channel[key] = by_channel.get(key, 0) + 1
    return max(by_channel.values()) / max(1, len(expected.first_article))


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``values``; +inf entries are misses."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def e2e_latency(
    base: Settings, rules: RuleFiles, channels: Path, rate: float, seconds: float, logs: Path, tag: str
) -> dict[str, float]:
    from alerts.lanes import Urgency, urgency_of
    from alerts.receiver import WebhookReceiver

    s = namespace(base)
    secret = secrets.token_hex(16)
    n = max(1, int(rate * seconds))
    n_warm = max(1, int(rate * E2E_WARM_UP_S))
    # The realistic mix (stories of several reports, 20 % republished copies), as offered;
    # first-seen times are rewritten at send time, ids stay. The first article opens the
    # path (its alert is awaited alone); the next n_warm are the stream's unmeasured start.
    articles = rate_workload(1 + n_warm + n, seed=E2E_SEEDS[tag])
    first_article, stream = articles[0], articles[1:]
    warming = {raw.id for raw in stream[:n_warm]}
    ruleset = rules.load()
    everything = expected_alerts(ruleset, articles)
    expected = everything.opened_by({raw.id for raw in stream[n_warm:]})
    warm_up = everything.opened_by(warming)
    arrivals: dict[tuple[str, str], float] = {}
    channel_of = {rule.id: ",".join(rule.notify) for rule in ruleset.rules}
    deliveries: dict[str, int] = {}  # by channel, every delivery (updates of a group too)
    updates = [0]  # deliveries that tell a story's spread (escalations), not a first alert

    def on_delivery(payload: dict[str, Any]) -> None:
        rule_id = payload["rule"]["id"]
        channel = channel_of.get(rule_id, "")
        deliveries[channel] = deliveries.get(channel, 0) + 1
        updates[0] += urgency_of(payload) is Urgency.UPDATE
        group = everything.group_of(payload["article"]["id"], rule_id)
        if group is not None:
            arrivals.setdefault(group, time.time())

    receiver = WebhookReceiver(secret=secret, on_delivery=on_delivery)
    receiver.start()
    env = {
        **rules.env(),
        "MARSAD_WEBHOOK_SECRET": secret,
        "MARSAD_DEMO_RECEIVER_PORT": str(receiver.port),
    }
    worker = spawn(s, ["worker"], env, logs / f"bench-e2e-{tag}-worker.log")
    dispatcher = spawn(s, ["dispatch", "--channels", str(channels)], env, logs / f"bench-e2e-{tag}-dispatcher.log")
    producer = KafkaProducer(bootstrap_servers=s.kafka_bootstrap, acks="all", linger_ms=0)
    try:
        wait_for_group(s, f"{s.namespace}-worker", 120)
        wait_for_group(s, f"{s.namespace}-dispatcher", 120)
        _open_path(producer, s, first_article, lambda: bool(receiver.deliveries))
        deliveries.clear()
        updates[0] = 0
        # The receiver stamps arrivals in this process: a collection of this process's heap
        # (every workload and rule set the bench built) would stamp them late.
        gc.disable()
        try:
            sent_at = _offer(producer, s, stream, rate)
            groups = {**warm_up.first_article, **expected.first_article}
            deadline = time.monotonic() + E2E_DRAIN_S
            while not groups.keys() <= arrivals.keys() and time.monotonic() < deadline:
                time.sleep(0.1)
        finally:
            gc.enable()

        def latencies_of(opened: ExpectedAlerts) -> list[float]:
            return [
                (arrivals[group] - sent_at[first]) * 1000 if group in arrivals else math.inf
                for group, first in opened.first_article.items()
            ]

        latencies = latencies_of(expected)
        delivered = sum(1 for v in latencies if math.isfinite(v))
        if not latencies:
            raise RuntimeError("the rules expected no alert on the e2e articles")
        suffix = "" if tag == "50" else f"_{tag}"
        per_article = len(latencies) / n
        return {
            f"pipeline.e2e_p50_ms{suffix}": percentile(latencies, 0.5),
            f"pipeline.e2e_p99_ms{suffix}": percentile(latencies, 0.99),
            f"pipeline.e2e_p99_ms_warm_up{suffix}": (
                percentile(latencies_of(warm_up), 0.99) if warm_up.first_article else math.nan
            ),
            f"pipeline.e2e_delivered_ratio{suffix}": delivered / len(latencies),
            f"pipeline.e2e_expected_alerts{suffix}": float(len(latencies)),
            f"pipeline.e2e_alerts_per_article{suffix}": per_article,
            f"pipeline.e2e_offered_per_s{suffix}": rate,
            f"pipeline.e2e_busiest_desk_alerts_per_s{suffix}": busiest_desk_share(channel_of, expected)
            * per_article
            * rate,
            # what the busiest channel was asked to send, updates of a group included
            f"pipeline.e2e_busiest_desk_deliveries_per_article{suffix}": max(deliveries.values(), default=0)
            / len(stream),
            f"pipeline.e2e_updates_per_article{suffix}": updates[0] / len(stream),
        }
    finally:
        producer.close()
        stop(worker)
        stop(dispatcher)
        receiver.stop()


def _open_path(producer: KafkaProducer, s: Settings, article: RawArticle, arrived: Callable[[], bool]) -> None:
    """Send ``article`` alone and wait until one alert went all the way through (the
    groups joined, the channels connected); when the rules leave it silent, the wait just
    ends after 30 s. The warm-up stream (E2E_WARM_UP_S) comes after it."""
    producer.send(s.topic_raw, key=article.id.encode(), value=article.to_bytes()).get(30)
    deadline = time.monotonic() + 30
    while not arrived() and time.monotonic() < deadline:
        time.sleep(0.1)


def _offer(producer: KafkaProducer, s: Settings, articles: list[RawArticle], rate: float) -> dict[str, float]:
    sent_at: dict[str, float] = {}
    started = time.perf_counter()
    for i, raw in enumerate(articles):
        delay = started + i / rate - time.perf_counter()
        if delay > 0:
            time.sleep(delay)
        now = time.time()
        sent_at[raw.id] = now
        raw = raw.model_copy(update={"first_seen_at": now})
        producer.send(s.topic_raw, key=raw.id.encode(), value=raw.to_bytes())
    producer.flush()
    return sent_at
