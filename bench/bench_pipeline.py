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
- pipeline.e2e_*: article produced → webhook received, through the worker and the dispatcher
  with the demo channel's shipped rate limit (50/s), at 50 articles/s and at 80 % of
  rate_kafka, and (``_within_channel``) at the article rate whose alerts fill 80 % of the
  channel's limit (what the pipeline adds when the channel is not the bottleneck). Every
  alert the rules give (computed in this process on the same articles) is
  expected; an alert not delivered within the wait counts as a miss, i.e. +inf, and the
  percentiles are taken over all expected alerts (goal: p99 ≤ 300 ms at 50/s);
- worker.rss_mb_10k_rules: resident memory of the running worker process (from
  /proc/<pid>/status) with a 10k-rule set loaded, after it matched articles.

Run alone: .venv/bin/python -m bench.bench_pipeline [--quick]
"""

from __future__ import annotations

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

from bench.workload import BenchArticle, news_articles, raw_article  # noqa: E402
from kernel.kafka import ensure_topics, wait_for_group  # noqa: E402
from kernel.messages import RawArticle  # noqa: E402
from kernel.metrics import sample_value  # noqa: E402
from kernel.settings import DEMO_DIR, Settings  # noqa: E402
from marsad import stack  # noqa: E402

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
E2E_SEEDS = {"50": 50, "80pct": 80, "within_channel": 81}


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


def write_rules(directory: Path, n: int) -> RuleFiles:
    """A realistic ``n``-rule set (``bench.rulesets``, the match benchmark's) written under
    ``directory``; the demo rules when that module is missing."""
    try:
        rulesets = importlib.import_module("bench.rulesets")
    except ModuleNotFoundError:
        demo = RuleFiles(DEMO_DIR / "rules", DEMO_DIR / "entities.yaml", 0)
        return RuleFiles(demo.rules, demo.entities, len(demo.load().rules))
    rules, entities = rulesets.ruleset(n)
    rules_path, entities_path = directory / f"rules-{n}.yaml", directory / f"entities-{n}.yaml"
    rules_path.write_text(yaml.safe_dump(rules, allow_unicode=True, sort_keys=False), encoding="utf-8")
    entities_path.write_text(yaml.safe_dump(entities, allow_unicode=True, sort_keys=False), encoding="utf-8")
    files = RuleFiles(rules_path, entities_path, 0)
    return RuleFiles(rules_path, entities_path, len(files.load().rules))


def rate_workload(n: int, seed: int) -> list[RawArticle]:
    return [raw_article(a) for a in news_articles(n, seed, near_duplicate_share=NEAR_DUPLICATE_SHARE)]


def distinct_stories(n: int, seed: int) -> list[BenchArticle]:
    """``n`` articles of ``n`` different stories: each alert opens its own (rule, story)
    group, so the dispatcher must deliver every one of them."""
    out: dict[str, BenchArticle] = {}
    for article in news_articles(3 * n, seed):
        out.setdefault(article.story, article)
    return list(out.values())[:n]


# ------------------------------------------------------------------------- processes


def _worker_processed(port: int) -> float:
    """marsad_stage_processed_total{stage="dedupe"} of a worker, from its /metrics: every
    article passes dedupe, duplicates do not reach match."""
    try:
        text = _METRICS_CLIENT.get(f"http://127.0.0.1:{port}/metrics").text
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

    s = _namespace(base)
    client = redis.Redis.from_url(s.redis_url)
    config = DedupeConfig()
    dedup = ReplaySafeDeduplicator(
        Deduplicator(RedisDedupeStore(client, prefix=s.redis_prefix), config),
        client,
        s.redis_prefix,
        int(config.window_seconds),
    )
    ruleset = rules.load()
    started, cpu_started = time.perf_counter(), time.process_time()
    for raw in articles:
        clean = pipeline.normalize(raw)
        article, decision = pipeline.dedupe(raw, clean, dedup)
        if decision.duplicate_of is None:
            pipeline.match(article, ruleset)
    cpu_ms = (time.process_time() - cpu_started) * 1000 / len(articles)
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
    machine); and the rate while this process produces as many again (``workers == 1``)."""
    s = _namespace(base)
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


def expected_alerts(rules: RuleFiles, articles: list[RawArticle]) -> set[tuple[str, str]]:
    """(article id, rule id) of every alert the worker should send for ``articles``: the same
    functions with an in-memory dedupe store; a rule is expected once per story."""
    from streams import pipeline
    from streams.dedupe import DedupeConfig, Deduplicator, InMemoryDedupeStore

    dedup = Deduplicator(InMemoryDedupeStore(), DedupeConfig())
    ruleset = rules.load()
    expected: set[tuple[str, str]] = set()
    groups: set[tuple[str, str]] = set()
    for raw in articles:
        article, decision = pipeline.dedupe(raw, pipeline.normalize(raw), dedup)
        if decision.duplicate_of is not None:
            continue
        for event in pipeline.match(article, ruleset):
            if (event.rule.id, article.story.id) not in groups:
                groups.add((event.rule.id, article.story.id))
                expected.add((article.id, event.rule.id))
    return expected


def channel_rate() -> float:
    """The demo channel's shipped rate limit: the alerts per second it delivers at most."""
    channels = yaml.safe_load((DEMO_DIR / "channels.yaml").read_text(encoding="utf-8"))["channels"]
    return float(next(c["rate_per_second"] for c in channels if c.get("default")))


def percentile(values: list[float], q: float) -> float:
    """The ``q`` quantile (nearest rank) of ``values``; +inf entries are misses."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, math.ceil(q * len(ordered)) - 1))]


def e2e_latency(
    base: Settings, rules: RuleFiles, rate: float, seconds: float, logs: Path, tag: str
) -> dict[str, float]:
    from alerts.receiver import WebhookReceiver

    s = _namespace(base)
    secret = secrets.token_hex(16)
    arrivals: dict[tuple[str, str], float] = {}

    def on_delivery(payload: dict[str, Any]) -> None:
        arrivals.setdefault((payload["article"]["id"], payload["rule"]["id"]), time.time())

    receiver = WebhookReceiver(secret=secret, on_delivery=on_delivery)
    receiver.start()
    env = {
        **rules.env(),
        "MARSAD_WEBHOOK_SECRET": secret,
        "MARSAD_DEMO_RECEIVER_PORT": str(receiver.port),
    }
    n = max(1, int(rate * seconds))
    # Offered first-seen times are rewritten at send time; ids stay.
    articles = [raw_article(a) for a in distinct_stories(n + 1, seed=E2E_SEEDS[tag])]
    warm, articles = articles[0], articles[1:]
    expected = expected_alerts(rules, articles)
    worker = _spawn(s, ["worker"], env, logs / f"bench-e2e-{tag}-worker.log")
    channels = str(DEMO_DIR / "channels.yaml")  # shipped rate limits, unchanged
    dispatcher = _spawn(s, ["dispatch", "--channels", channels], env, logs / f"bench-e2e-{tag}-dispatcher.log")
    producer = KafkaProducer(bootstrap_servers=s.kafka_bootstrap, acks="all", linger_ms=0)
    try:
        wait_for_group(s, f"{s.namespace}-worker", 120)
        wait_for_group(s, f"{s.namespace}-dispatcher", 120)
        _warm_up(producer, s, warm, lambda: bool(receiver.deliveries) or bool(arrivals))
        sent_at = _offer(producer, s, articles, rate)
        deadline = time.monotonic() + E2E_DRAIN_S
        while not expected <= arrivals.keys() and time.monotonic() < deadline:
            time.sleep(0.1)
        latencies = [(arrivals[key] - sent_at[key[0]]) * 1000 if key in arrivals else math.inf for key in expected]
        delivered = sum(1 for v in latencies if math.isfinite(v))
        if not latencies:
            raise RuntimeError("the rules expected no alert on the e2e articles")
        suffix = "" if tag == "50" else f"_{tag}"
        return {
            f"pipeline.e2e_p50_ms{suffix}": percentile(latencies, 0.5),
            f"pipeline.e2e_p99_ms{suffix}": percentile(latencies, 0.99),
            f"pipeline.e2e_delivered_ratio{suffix}": delivered / len(latencies),
            f"pipeline.e2e_expected_alerts{suffix}": float(len(latencies)),
            f"pipeline.e2e_alerts_per_article{suffix}": len(latencies) / len(articles),
            f"pipeline.e2e_offered_per_s{suffix}": rate,
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
            out.update(e2e_latency(base, rules, 50.0, seconds, logs, "50"))
            capacity_80 = max(1.0, 0.8 * drained)
            out.update(e2e_latency(base, rules, capacity_80, seconds, logs, "80pct"))
            # What the pipeline adds when the channel is not the bottleneck: articles offered
            # so that their alerts fill 80 % of the channel's rate limit.
            fits = 0.8 * channel_rate() / out["pipeline.e2e_alerts_per_article"]
            out.update(e2e_latency(base, rules, min(fits, capacity_80), seconds, logs, "within_channel"))
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
