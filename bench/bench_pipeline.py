"""Pipeline benchmarks on a private local stack (real Kafka, Redis, worker, dispatcher), on
the realistic workload: HTML news pages with chrome (``bench.workload``, 20 % near-duplicate
republications) through the real worker, matched against a realistic 1k-rule set
(``bench.rulesets`` when present, else the demo rules; ``pipeline.rules`` says how many).

- pipeline.rate_loop: the same normalize + dedupe + match functions in a plain loop (same
  Redis store), articles from memory;
- pipeline.rate_kafka: articles/s one worker process sustains draining a backlog on
  ``<ns>.articles.raw`` (goal ≥ 500); pipeline.kafka_vs_loop = rate_kafka / rate_loop
  (goal ≥ 0.8); pipeline.rate_kafka_while_producing: this process producing meanwhile;
  pipeline.worker_cpu_ms_per_article, pipeline.redis_cpu_ms_per_article and
  pipeline.articles_per_worker_cpu_s: the CPU the worker process (all threads) and the
  Redis server used per article during that drain, steadier than rates on a busy machine
  (pipeline.loop_cpu_ms_per_article: the plain loop's);
- pipeline.rate_kafka_2_workers and pipeline.scale_2_vs_1_workers: the same backlog drained
  by two worker processes (the raw topic has two partitions), and its ratio to one;
- pipeline.e2e_*: article produced → webhook received, through the worker and the dispatcher,
  at 50 articles/s and at 80 % of rate_kafka, and (``_within_channel``) at the article rate
  whose alerts fill 80 % of the busiest channel's limit (what the pipeline adds when no
  channel is the bottleneck). A 1k-rule watch list is kept by several desks: its rules are
  routed (``notify``) to DESKS webhook channels in turn, each with the demo channel's shipped
  settings and rate limit (50/s); pipeline.e2e_busiest_desk_alerts_per_s says what the
  busiest of them is asked for. Every alert the rules give (computed in this process on the
  same articles) is expected; an alert not delivered within the wait counts as a miss,
  i.e. +inf, and the percentiles are taken over all expected alerts (goal: p99 ≤ 300 ms at
  50/s); pipeline.e2e_p99_ms_one_channel: the same at 50/s with every rule on the demo's one
  channel (the whole watch list through one 50/s limit). The articles are the realistic mix
  (stories of several reports, 20 % republished copies), each from its outlet's feed: one
  alert is expected per (rule, story), as grouping sends it, from the story's first article;
  a quarter of the rules also alert again as their story reaches 3 and 10 sources
  (``bench.rulesets``), and pipeline.e2e_updates_per_article counts those deliveries (they
  share the channels' limits with the first alerts, which go first: ``alerts.lanes``);
- worker.rss_mb_10k_rules: resident memory of the running worker process (from
  /proc/<pid>/status) with a 10k-rule set loaded, after it matched articles.

Run alone: .venv/bin/python -m bench.bench_pipeline [--quick]
"""

from __future__ import annotations

import copy
import gc
import importlib
import math
import os
import secrets
import subprocess
import sys
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import httpx  # noqa: E402
import redis  # noqa: E402
import yaml  # noqa: E402
from kafka import KafkaProducer  # noqa: E402

from bench.bench_dedupe import prefill  # noqa: E402
from bench.workload import news_articles, raw_article  # noqa: E402
from kernel.kafka import ensure_topics, wait_for_group  # noqa: E402
from kernel.messages import RawArticle  # noqa: E402
from kernel.metrics import sample_value  # noqa: E402
from kernel.settings import DEMO_DIR, Settings  # noqa: E402
from marsad import stack  # noqa: E402
from streams.app import BATCH_MAX, GC_THRESHOLDS  # noqa: E402

if TYPE_CHECKING:
    from streams.rules import CompiledRuleSet

# key → (goal, "min" when higher is better / "max" when lower is better)
GOALS = {
    "pipeline.rate_kafka": (500.0, "min"),
    "pipeline.kafka_vs_loop": (0.8, "min"),
    "pipeline.e2e_p99_ms": (300.0, "max"),
    "worker.rss_mb_10k_rules": (300.0, "max"),
}

NEAR_DUPLICATE_SHARE = 0.2
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


# One client for every poll: httpx.get() builds a client (and its TLS context) per call,
# ≈ 14 ms of CPU each — at 10 polls a second that took a sixth of a core from the worker
# being measured on a two-core machine.
_METRICS_CLIENT = httpx.Client(timeout=2)


# ------------------------------------------------------------------------- inputs


@dataclass(frozen=True)
class RuleFiles:
    rules: Path
    entities: Path | None
    count: int

    def env(self) -> dict[str, str]:
        """What a worker needs to load these rules."""
        out = {"MARSAD_RULES_PATH": str(self.rules)}
        if self.entities is not None:
            out["MARSAD_ENTITIES_PATH"] = str(self.entities)
        return out

    def load(self) -> CompiledRuleSet:
        """The rule set as the worker loads it."""
        from streams.rules import load_ruleset

        return load_ruleset(self.rules, self.entities)


def write_rules(directory: Path, n: int, desks: int = 0) -> RuleFiles:
    """A realistic ``n``-rule set (``bench.rulesets``, the match benchmark's) written under
    ``directory``; the demo rules when that module is missing. With ``desks``, rule i
    notifies channel ``desk-<i mod desks>`` (``write_desk_channels``)."""
    try:
        rulesets = importlib.import_module("bench.rulesets")
    except ModuleNotFoundError:
        demo = RuleFiles(DEMO_DIR / "rules", DEMO_DIR / "entities.yaml", 0)
        return RuleFiles(demo.rules, demo.entities, len(demo.load().rules))
    rules, entities = rulesets.ruleset(n)
    if desks:
        rules = [{**rule, "notify": [f"desk-{i % desks}"]} for i, rule in enumerate(rules)]
    name = f"{n}-desks" if desks else str(n)
    rules_path, entities_path = directory / f"rules-{name}.yaml", directory / f"entities-{name}.yaml"
    rules_path.write_text(yaml.safe_dump(rules, allow_unicode=True, sort_keys=False), encoding="utf-8")
    entities_path.write_text(yaml.safe_dump(entities, allow_unicode=True, sort_keys=False), encoding="utf-8")
    files = RuleFiles(rules_path, entities_path, 0)
    return RuleFiles(rules_path, entities_path, len(files.load().rules))


def rate_workload(n: int, seed: int) -> list[RawArticle]:
    return [raw_article(a) for a in news_articles(n, seed, near_duplicate_share=NEAR_DUPLICATE_SHARE)]


# ------------------------------------------------------------------------- processes


def _worker_processed(port: int) -> float:
    """marsad_stage_processed_total{stage="dedupe"} of a worker, from its /metrics: every
    article passes dedupe, duplicates do not reach match.

    Only that family, uncompressed: the whole page, gzipped, with the process collector's
    reads of /proc, cost ~6 % of the worker's CPU at this polling rate (py-spy, 1k rules),
    where Prometheus scrapes it once in 15 s."""
    try:
        text = _METRICS_CLIENT.get(
            f"http://127.0.0.1:{port}/metrics",
            params={"name[]": "marsad_stage_processed_total"},
            headers={"Accept-Encoding": "identity"},
        ).text
    except httpx.HTTPError:
        return -1
    return sample_value(text, 'marsad_stage_processed_total{stage="dedupe"}') or 0


def _spawn(settings: Settings, args: list[str], env_extra: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(settings.to_env())
    env.update(env_extra)
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-m", "marsad", *args], env=env, stdout=out, stderr=subprocess.STDOUT)


def _stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def _namespace(base: Settings) -> Settings:
    s = base.model_copy(
        update={
            "namespace": f"b{uuid.uuid4().hex[:6]}",
            "worker_metrics_port": stack.free_port(),
            "dispatcher_metrics_port": stack.free_port(),
            "connector_metrics_port": stack.free_port(),
        }
    )
    ensure_topics(s)
    return s


# A running worker's dedupe store holds what it saw: the rates are measured against a store
# already holding this many articles (the worker keeps up to 200k; the dedupe bench gives
# the rate at 100k and 1M), not an empty one.
PREFILLED = 20_000


def _prefilled(base: Settings) -> Settings:
    """A namespace of its own whose dedupe store already holds PREFILLED articles."""
    from streams.dedupe import RedisDedupeStore

    s = _namespace(base)
    prefill(
        RedisDedupeStore(redis.Redis.from_url(s.redis_url), prefix=s.redis_prefix), PREFILLED, seed=500, prefix="pre"
    )
    return s


def _cpu_s(pid: int) -> float:
    """CPU seconds (user + system, all threads) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _redis_cpu_s(settings: Settings) -> float:
    """CPU seconds the stack's Redis server has used so far."""
    info = redis.Redis.from_url(settings.redis_url).info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def _rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def _produce(settings: Settings, articles: list[RawArticle]) -> None:
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all", linger_ms=5)
    try:
        for article in articles:
            producer.send(settings.topic_raw, key=article.id.encode(), value=article.to_bytes())
        producer.flush()
    finally:
        producer.close()


def _wait_processed(ports: list[int], workers: list[subprocess.Popen[bytes]], count: int, timeout_s: float) -> float:
    """Poll the workers' processed counters until their sum reaches ``count``; the sum seen.

    Polled every 0.1 s: every scrape renders the worker's whole /metrics page on the
    worker's own event loop, so polling faster would slow down what is measured."""
    deadline = time.monotonic() + timeout_s
    while True:
        processed = sum(max(0.0, _worker_processed(port)) for port in ports)
        if processed >= count:
            return processed
        if time.monotonic() > deadline or any(w.poll() is not None for w in workers):
            raise RuntimeError(f"workers processed {processed:.0f} of {count} articles")
        time.sleep(0.1)


# ------------------------------------------------------------------------- rates


def loop_rate(base: Settings, rules: RuleFiles, articles: list[RawArticle]) -> tuple[float, float]:
    """Articles/s of the stage functions in a plain loop, and their CPU per article (ms)."""
    from streams import pipeline
    from streams.dedupe import DedupeConfig, Deduplicator, RedisDedupeStore, ReplaySafeDeduplicator

    s = _prefilled(base)
    client = redis.Redis.from_url(s.redis_url)
    config = DedupeConfig()
    dedup = ReplaySafeDeduplicator(
        Deduplicator(RedisDedupeStore(client, prefix=s.redis_prefix), config),
        client,
        s.redis_prefix,
        int(config.window_seconds),
    )
    ruleset = rules.load()
    thresholds = gc.get_threshold()
    gc.set_threshold(*GC_THRESHOLDS)  # as the worker runs
    try:
        started, cpu_started = time.perf_counter(), time.process_time()
        # in the worker's batches, with the replay guard's Redis work batched as it does
        # (streams/app.py takes up to BATCH_MAX messages a poll)
        for at in range(0, len(articles), BATCH_MAX):
            batch = [(raw, pipeline.normalize(raw)) for raw in articles[at : at + BATCH_MAX]]
            for result in pipeline.dedupe_many(batch, dedup):
                if isinstance(result, Exception):
                    raise result
                article, decision = result
                pipeline.match_decided(article, decision, ruleset)  # as the worker: a copy too
        cpu_ms = (time.process_time() - cpu_started) * 1000 / len(articles)
    finally:
        gc.set_threshold(*thresholds)
    return len(articles) / (time.perf_counter() - started), cpu_ms


@dataclass(frozen=True)
class Drain:
    rate: float  # articles/s drained
    while_producing: float  # articles/s while this process produced as many again
    worker_cpu_ms: float  # worker process CPU per article (all threads), ms
    redis_cpu_ms: float  # Redis server CPU per article, ms


def drain_rate(base: Settings, rules: RuleFiles, articles: list[RawArticle], logs: Path, *, workers: int = 1) -> Drain:
    """Articles/s ``workers`` worker processes sustain draining a backlog of ``articles``,
    timed from the first 5 % (start-up, group join and first fetch excluded) to the last,
    with the CPU the workers and Redis used meanwhile (steadier than the rate on a busy
    machine); and the rate while this process produces as many again (``workers == 1``).
    The dedupe store holds PREFILLED articles first."""
    s = _prefilled(base)
    n = len(articles)
    _produce(s, articles)
    ports = [s.worker_metrics_port] + [stack.free_port() for _ in range(workers - 1)]
    procs = [
        _spawn(
            s.model_copy(update={"worker_metrics_port": port}),
            ["worker"],
            rules.env(),
            logs / f"bench-worker-{workers}-{i}.log",
        )
        for i, port in enumerate(ports)
    ]
    try:
        first = _wait_processed(ports, procs, max(1, n // 20), 180)
        started = time.perf_counter()
        cpu_started = sum(_cpu_s(p.pid) for p in procs)
        redis_started = _redis_cpu_s(s)
        last = _wait_processed(ports, procs, n, 900)
        drained = (last - first) / (time.perf_counter() - started)
        worker_cpu = (sum(_cpu_s(p.pid) for p in procs) - cpu_started) * 1000 / (last - first)
        redis_cpu = (_redis_cpu_s(s) - redis_started) * 1000 / (last - first)
        while_producing = math.nan
        if workers == 1:
            more = rate_workload(n, seed=12)
            started = time.perf_counter()
            _produce(s, more)
            _wait_processed(ports, procs, 2 * n, 900)
            while_producing = n / (time.perf_counter() - started)
        return Drain(drained, while_producing, worker_cpu, redis_cpu)
    finally:
        for proc in procs:
            _stop(proc)


def worker_rss(base: Settings, rules: RuleFiles, logs: Path) -> float:
    """RSS of the running worker with ``rules`` loaded, after it matched 200 articles."""
    s = _namespace(base)
    articles = rate_workload(200, seed=31)
    worker = _spawn(s, ["worker"], rules.env(), logs / "bench-worker-rss.log")
    try:
        _produce(s, articles)
        _wait_processed([s.worker_metrics_port], [worker], len(articles), 300)
        return _rss_mb(worker.pid)
    finally:
        _stop(worker)


# ------------------------------------------------------------------------- latency


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

    s = _namespace(base)
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
    worker = _spawn(s, ["worker"], env, logs / f"bench-e2e-{tag}-worker.log")
    dispatcher = _spawn(s, ["dispatch", "--channels", str(channels)], env, logs / f"bench-e2e-{tag}-dispatcher.log")
    producer = KafkaProducer(bootstrap_servers=s.kafka_bootstrap, acks="all", linger_ms=0)
    try:
        wait_for_group(s, f"{s.namespace}-worker", 120)
        wait_for_group(s, f"{s.namespace}-dispatcher", 120)
        _warm_up(producer, s, first_article, lambda: bool(receiver.deliveries))
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
        _stop(worker)
        _stop(dispatcher)
        receiver.stop()


def _warm_up(producer: KafkaProducer, s: Settings, article: RawArticle, arrived: Callable[[], bool]) -> None:
    """Until one alert went all the way through (the warm-up article is the first of the
    list; when the rules leave it silent, the wait just ends after 30 s)."""
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


# ------------------------------------------------------------------------- run


def run(quick: bool = False) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as tmp:
        home = Path(tmp)
        base = stack.isolated_settings(home, "bench", partitions=2, kafka_heap="768m")
        stack.up(base, quiet=True)
        logs = home / "logs"
        logs.mkdir(exist_ok=True)
        try:
            rules = write_rules(home, 1000)
            n = 1000 if quick else 3000
            articles = rate_workload(n, seed=11)
            rate_loop, loop_cpu_ms = loop_rate(base, rules, articles)
            out = {
                "pipeline.rules": float(rules.count),
                "pipeline.rate_loop": rate_loop,
                "pipeline.loop_cpu_ms_per_article": loop_cpu_ms,
            }
            one = drain_rate(base, rules, articles, logs)
            drained = one.rate
            out["pipeline.rate_kafka"] = drained
            out["pipeline.rate_kafka_while_producing"] = one.while_producing
            out["pipeline.kafka_vs_loop"] = drained / out["pipeline.rate_loop"]
            out["pipeline.worker_cpu_ms_per_article"] = one.worker_cpu_ms
            out["pipeline.redis_cpu_ms_per_article"] = one.redis_cpu_ms
            out["pipeline.articles_per_worker_cpu_s"] = 1000 / one.worker_cpu_ms
            two = drain_rate(base, rules, articles, logs, workers=2).rate
            out["pipeline.rate_kafka_2_workers"] = two
            out["pipeline.scale_2_vs_1_workers"] = two / drained
            seconds = 10.0 if quick else 30.0
            desk_rules, desk_channels = write_rules(home, 1000, DESKS), write_desk_channels(home, DESKS)
            out["pipeline.e2e_desks"] = float(DESKS)
            out.update(e2e_latency(base, desk_rules, desk_channels, 50.0, seconds, logs, "50"))
            capacity_80 = max(1.0, 0.8 * drained)
            out.update(e2e_latency(base, desk_rules, desk_channels, capacity_80, seconds, logs, "80pct"))
            # What the pipeline adds when no channel is the bottleneck: articles offered so
            # that the busiest desk's deliveries (first alerts and updates) fill 80 % of its
            # rate limit.
            fits = 0.8 * channel_rate() / out["pipeline.e2e_busiest_desk_deliveries_per_article"]
            out.update(
                e2e_latency(base, desk_rules, desk_channels, min(fits, capacity_80), seconds, logs, "within_channel")
            )
            # The whole watch list through the demo's one channel (the former layout).
            one_channel = DEMO_DIR / "channels.yaml"
            out.update(e2e_latency(base, rules, one_channel, 50.0, seconds, logs, "one_channel"))
            big_rules = write_rules(home, 10_000)
            out["worker.rules_for_rss"] = float(big_rules.count)
            out["worker.rss_mb_10k_rules"] = worker_rss(base, big_rules, logs)
            return out
        except Exception:
            for log in logs.glob("*.log"):
                sys.stderr.write(f"--- {log.name}\n{log.read_text(errors='replace')[-3000:]}\n")
            raise
        finally:
            stack.down(base, quiet=True)


if __name__ == "__main__":
    for key, value in run(quick="--quick" in sys.argv).items():
        print(f"{key:40s} {value:12.2f}")
