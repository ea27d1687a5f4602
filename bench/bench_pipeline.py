"""Pipeline benchmarks on a private local stack (real Kafka, Redis, worker, dispatcher), on
the realistic workload: HTML news pages with chrome (``bench.workload``, 20 % near-duplicate
republications) through the real worker, matched against a realistic 1k-rule set
(``bench.rulesets`` when present, else the demo rules; ``pipeline.rules`` says how many).

- pipeline.rate_loop: the same normalize + dedupe + match functions in a plain loop (same
  Redis store), articles from memory;
- pipeline.rate_kafka: articles/s one worker process sustains draining a backlog on
  ``<ns>.articles.raw`` (goal ≥ 500); pipeline.kafka_vs_loop: the worker's rate over the
  loop's (goal ≥ 0.8), the median over PAIRS pairs of runs timed one right after the
  other (``_pairs_min``/``_max``: the pairs' lowest and highest); each rate the better of
  its engine's runs (pipeline.rate_*_runs_spread: the best over the worst);
  pipeline.loop_vs_worker_cpu: the same pairs compared in CPU per article;
  pipeline.rate_kafka_while_producing: this process producing meanwhile;
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
  50/s), after the stream's first E2E_WARM_UP_S seconds (reported as
  pipeline.e2e_p99_ms_warm_up*); pipeline.e2e_p99_ms_one_channel: the same at 50/s with
  every rule on the demo's one channel (the whole watch list through one 50/s limit). The articles are the realistic mix
  (stories of several reports, 20 % republished copies), each from its outlet's feed: one
  alert is expected per (rule, story), as grouping sends it, from the story's first article;
  a quarter of the rules also alert again as their story reaches 3 and 10 sources
  (``bench.rulesets``), and pipeline.e2e_updates_per_article counts those deliveries (they
  share the channels' limits with the first alerts, which go first: ``alerts.lanes``);
- worker.rss_mb_10k_rules: resident memory of the running worker process (from
  /proc/<pid>/status) with a 10k-rule set loaded, after it matched articles.

The stack's processes and the workload are in ``bench.pipeline_processes``, the e2e run in
``bench.e2e_latency``. Run alone: .venv/bin/python -m bench.bench_pipeline [--quick]
"""

from __future__ import annotations

import gc
import math
import statistics
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import redis  # noqa: E402

from bench.e2e_latency import DESKS, channel_rate, e2e_latency, write_desk_channels  # noqa: E402
from bench.pipeline_processes import (  # noqa: E402
    RuleFiles,
    cpu_s,
    namespace,
    prefilled,
    produce,
    rate_workload,
    redis_cpu_s,
    rss_mb,
    spawn,
    stop,
    wait_processed,
    write_rules,
)
from kernel.messages import RawArticle  # noqa: E402
from kernel.settings import DEMO_DIR, Settings  # noqa: E402
from marsad import stack  # noqa: E402
from streams.app import BATCH_MAX, GC_THRESHOLDS  # noqa: E402

# key → (goal, "min" when higher is better / "max" when lower is better)
GOALS = {
    "pipeline.rate_kafka": (500.0, "min"),
    "pipeline.kafka_vs_loop": (0.8, "min"),
    "pipeline.e2e_p99_ms": (300.0, "max"),
    "worker.rss_mb_10k_rules": (300.0, "max"),
}
# Loop and drain runs timed one right after the other, for kafka_vs_loop (paired_rates).
# Seven, not three: on this two-core machine one pair's ratio ranged 0.77-1.10 within a run, so
# the median of three moved by ±0.1 from run to run (0.976, then 0.792: docs/performance.md,
# "kafka_vs_loop over seven pairs"); seven pairs cost about five minutes more.
PAIRS = 7


# ------------------------------------------------------------------------- rates


def loop_rate(base: Settings, rules: RuleFiles, articles: list[RawArticle]) -> tuple[float, float]:
    """Articles/s of the stage functions in a plain loop, and their CPU per article (ms)."""
    from streams import pipeline
    from streams.dedupe import DedupeConfig, Deduplicator, RedisDedupeStore, ReplaySafeDeduplicator

    s = prefilled(base)
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


def drain_rate(
    base: Settings,
    rules: RuleFiles,
    articles: list[RawArticle],
    logs: Path,
    *,
    workers: int = 1,
    while_producing: bool = True,
) -> Drain:
    """Articles/s ``workers`` worker processes sustain draining a backlog of ``articles``,
    timed from the first 5 % (start-up, group join and first fetch excluded) to the last,
    with the CPU the workers and Redis used meanwhile (steadier than the rate on a busy
    machine); and, when ``while_producing`` (one worker), the rate while this process
    produces as many again. The dedupe store holds PREFILLED articles first."""
    s = prefilled(base)
    n = len(articles)
    produce(s, articles)
    ports = [s.worker_metrics_port] + [stack.free_port() for _ in range(workers - 1)]
    procs = [
        spawn(
            s.model_copy(update={"worker_metrics_port": port}),
            ["worker"],
            rules.env(),
            logs / f"bench-worker-{workers}-{i}.log",
        )
        for i, port in enumerate(ports)
    ]
    try:
        first = wait_processed(ports, procs, max(1, n // 20), 180)
        started = time.perf_counter()
        cpu_started = sum(cpu_s(p.pid) for p in procs)
        redis_started = redis_cpu_s(s)
        last = wait_processed(ports, procs, n, 900)
        drained = (last - first) / (time.perf_counter() - started)
        worker_cpu = (sum(cpu_s(p.pid) for p in procs) - cpu_started) * 1000 / (last - first)
        redis_cpu = (redis_cpu_s(s) - redis_started) * 1000 / (last - first)
        producing_rate = math.nan
        if while_producing and workers == 1:
            more = rate_workload(n, seed=12)
            started = time.perf_counter()
            produce(s, more)
            wait_processed(ports, procs, 2 * n, 900)
            producing_rate = n / (time.perf_counter() - started)
        return Drain(drained, producing_rate, worker_cpu, redis_cpu)
    finally:
        for proc in procs:
            stop(proc)


def paired_rates(base: Settings, rules: RuleFiles, articles: list[RawArticle], logs: Path) -> dict[str, float]:
    """The plain loop's and one worker's rates on ``articles``, timed in PAIRS, their
    ratio, and the CPU per article of the worker's best drain."""
    # Each pair's two runs follow each other (loop first, then drain first, …) and
    # kafka_vs_loop is the median of the pairs' ratios: on this shared two-core machine a
    # slow spell of minutes moved one code's CPU per article by up to 70 %
    # (docs/performance.md), and it should fall on both runs of a pair, not on one
    # engine. Each rate is its engine's best run: a slow spell only ever slows a run down.
    loops: list[tuple[float, float]] = []
    drains: list[Drain] = []
    for pair in range(PAIRS):
        first_loop = pair % 2 == 0
        if not first_loop:
            drains.append(drain_rate(base, rules, articles, logs, while_producing=False))
        loops.append(loop_rate(base, rules, articles))
        if first_loop:
            drains.append(drain_rate(base, rules, articles, logs, while_producing=pair == 0))
    ratios = [drain.rate / loop[0] for loop, drain in zip(loops, drains)]
    rate_loop, loop_cpu_ms = max(loops)
    one = max(drains, key=lambda d: d.rate)
    out = {
        "pipeline.rules": float(rules.count),
        "pipeline.rate_loop": rate_loop,
        "pipeline.rate_loop_runs_spread": rate_loop / min(rate for rate, _ in loops),
        "pipeline.loop_cpu_ms_per_article": loop_cpu_ms,
    }
    out["pipeline.rate_kafka"] = one.rate
    out["pipeline.rate_kafka_runs_spread"] = one.rate / min(d.rate for d in drains)
    out["pipeline.rate_kafka_while_producing"] = drains[0].while_producing
    out["pipeline.kafka_vs_loop"] = statistics.median(ratios)
    out["pipeline.kafka_vs_loop_pairs_min"] = min(ratios)
    out["pipeline.kafka_vs_loop_pairs_max"] = max(ratios)
    # The same comparison in CPU per article (the loop's over the worker's, pair by
    # pair): what the wiring costs in work, whatever the process waited for.
    out["pipeline.loop_vs_worker_cpu"] = statistics.median(
        loop[1] / drain.worker_cpu_ms for loop, drain in zip(loops, drains)
    )
    out["pipeline.worker_cpu_ms_per_article"] = one.worker_cpu_ms
    out["pipeline.redis_cpu_ms_per_article"] = one.redis_cpu_ms
    out["pipeline.articles_per_worker_cpu_s"] = 1000 / one.worker_cpu_ms
    return out


def worker_rss(base: Settings, rules: RuleFiles, logs: Path) -> float:
    """RSS of the running worker with ``rules`` loaded, after it matched 200 articles."""
    s = namespace(base)
    articles = rate_workload(200, seed=31)
    worker = spawn(s, ["worker"], rules.env(), logs / "bench-worker-rss.log")
    try:
        produce(s, articles)
        wait_processed([s.worker_metrics_port], [worker], len(articles), 300)
        return rss_mb(worker.pid)
    finally:
        stop(worker)


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
            out = paired_rates(base, rules, articles, logs)
            drained = out["pipeline.rate_kafka"]
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
