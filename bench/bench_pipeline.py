"""Pipeline benchmarks on a private local stack (real Kafka, Redis, worker, dispatcher):

- pipeline.rate_loop / pipeline.rate_kafka / pipeline.kafka_vs_loop: sustained articles/s
  through Kafka and the Faust worker (draining a backlog), against the same normalize +
  dedupe + match functions in a plain loop (same Redis store); also
  pipeline.rate_kafka_while_producing (this process producing at the same time);
- pipeline.e2e_p50_ms / e2e_p99_ms: article on <ns>.articles.raw → webhook received, at
  50 articles/s offered load (every article alerts).
"""

from __future__ import annotations

import os
import secrets
import statistics
import subprocess
import sys
import tempfile
import time
import uuid
from pathlib import Path

import httpx
import redis
from kafka import KafkaProducer

from bench.generate import generate
from kernel.kafka import ensure_topics, wait_for_group
from kernel.metrics import sample_value
from kernel.settings import DEMO_DIR, Settings
from marsad import stack

RULES = """
- id: invasion
  title: Invasion wording
  severity: high
  throttle: 0s
  when:
    terms: [غزو, اجتياح]
- id: troops
  title: Troop counts
  when:
    quantity: {unit: troops, min: 50000}
- id: energy-strike
  title: Energy strikes
  when:
    all:
      - terms: [الإضراب]
      - terms: [النفط, الغاز]
"""


# One client for every poll: httpx.get() builds a client (and its TLS context) per call,
# ≈ 14 ms of CPU each — at 10 polls a second that took a sixth of a core from the worker
# being measured on a two-core machine.
_METRICS_CLIENT = httpx.Client(timeout=2)


def _worker_processed(settings: Settings) -> float:
    """marsad_stage_processed_total{stage="match"} of the worker, from its /metrics."""
    try:
        text = _METRICS_CLIENT.get(f"http://127.0.0.1:{settings.worker_metrics_port}/metrics").text
    except httpx.HTTPError:
        return -1
    return sample_value(text, 'marsad_stage_processed_total{stage="match"}') or 0


def _spawn(settings: Settings, args: list[str], env_extra: dict[str, str], log: Path) -> subprocess.Popen:
    env = dict(os.environ)
    env.update(settings.to_env())
    env.update(env_extra)
    return subprocess.Popen(
        [sys.executable, "-m", "marsad", *args], env=env, stdout=open(log, "ab"), stderr=subprocess.STDOUT
    )


def _stop(proc: subprocess.Popen) -> None:
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


def loop_rate(base: Settings, rules_path: Path, n: int) -> float:
    from streams import pipeline
    from streams.dedupe import DedupeConfig, Deduplicator, RedisDedupeStore, ReplaySafeDeduplicator
    from streams.rules import load_ruleset

    s = _namespace(base)
    client = redis.Redis.from_url(s.redis_url)
    config = DedupeConfig()
    dedup = ReplaySafeDeduplicator(
        Deduplicator(RedisDedupeStore(client, prefix=s.redis_prefix), config),
        client,
        s.redis_prefix,
        int(config.window_seconds),
    )
    ruleset = load_ruleset(rules_path)
    articles = generate(n, seed=11, with_term="غزو", term_every=3)
    started = time.perf_counter()
    for raw in articles:
        clean = pipeline.normalize(raw)
        article, decision = pipeline.dedupe(raw, clean, dedup)
        if decision.duplicate_of is None:
            pipeline.match(article, ruleset)
    return n / (time.perf_counter() - started)


def _wait_processed(settings: Settings, worker: subprocess.Popen, count: int, timeout_s: float, log: Path) -> float:
    """Poll the worker's processed counter until it reaches ``count``; the value seen.

    Polled every 0.1 s: every scrape renders the worker's whole /metrics page on the
    worker's own event loop, so polling faster would slow down what is measured."""
    deadline = time.monotonic() + timeout_s
    while True:
        processed = _worker_processed(settings)
        if processed >= count:
            return processed
        if time.monotonic() > deadline or worker.poll() is not None:
            raise RuntimeError(f"worker processed {processed:.0f} of {count} articles; see {log}")
        time.sleep(0.1)


def kafka_rate(base: Settings, rules_path: Path, n: int, logs: Path) -> dict[str, float]:
    """Articles/s through Kafka and the Faust worker, two ways:

    - ``pipeline.rate_kafka``: the worker drains a backlog of ``n`` articles already on
      ``<ns>.articles.raw``, timed from the first 5 % (start-up, group join and first fetch
      excluded) to the last. This is its sustained rate, the figure compared with the
      plain loop, which also reads its articles from memory.
    - ``pipeline.rate_kafka_while_producing``: this process produces another ``n`` while
      the worker runs. kafka-python spends ≈ 1.2 ms of CPU per message here, and on a
      2-core machine the producer, the broker and Redis share the worker's cores, so this
      figure measures the machine as much as the worker; reported for comparison.
    """
    s = _namespace(base)
    log = logs / "bench-worker.log"
    producer = KafkaProducer(bootstrap_servers=s.kafka_bootstrap, acks="all", linger_ms=5, enable_idempotence=True)
    worker = None
    try:
        for article in generate(n, seed=12, with_term="غزو", term_every=3):
            producer.send(s.topic_raw, key=article.id.encode(), value=article.to_bytes())
        producer.flush()
        worker = _spawn(s, ["worker"], {"MARSAD_RULES_PATH": str(rules_path)}, log)
        skip = max(1, n // 20)
        first = _wait_processed(s, worker, skip, 120, log)
        started = time.perf_counter()
        last = _wait_processed(s, worker, n, 600, log)
        drained = (last - first) / (time.perf_counter() - started)

        payloads = [(a.id.encode(), a.to_bytes()) for a in generate(n, seed=14, with_term="غزو", term_every=3)]
        started = time.perf_counter()
        for key, value in payloads:
            producer.send(s.topic_raw, key=key, value=value)
        producer.flush()
        _wait_processed(s, worker, 2 * n, 600, log)
        while_producing = n / (time.perf_counter() - started)
        return {"pipeline.rate_kafka": drained, "pipeline.rate_kafka_while_producing": while_producing}
    finally:
        producer.close()
        if worker is not None:
            _stop(worker)


def e2e_latency(base: Settings, rules_path: Path, rate: float, seconds: float, logs: Path) -> dict[str, float]:
    from alerts.receiver import WebhookReceiver

    s = _namespace(base)
    secret = secrets.token_hex(16)
    arrivals: dict[str, float] = {}
    receiver = WebhookReceiver(
        secret=secret, on_delivery=lambda payload: arrivals.setdefault(payload["article"]["id"], time.time())
    )
    receiver.start()
    env = {
        "MARSAD_RULES_PATH": str(rules_path),
        "MARSAD_WEBHOOK_SECRET": secret,
        "MARSAD_DEMO_RECEIVER_PORT": str(receiver.port),
    }
    # The demo channel's rate limit (50/s) would measure the limiter, not the pipeline.
    channels = logs / "bench-channels.yaml"
    channels.write_text(
        (DEMO_DIR / "channels.yaml").read_text().replace("rate_per_second: 50", "rate_per_second: 1000")
    )
    worker = _spawn(s, ["worker"], env, logs / "bench-e2e-worker.log")
    dispatcher = _spawn(s, ["dispatch", "--channels", str(channels)], env, logs / "bench-e2e-dispatcher.log")
    producer = KafkaProducer(bootstrap_servers=s.kafka_bootstrap, acks="all", enable_idempotence=True)
    try:
        wait_for_group(s, f"{s.namespace}-worker", 120)
        wait_for_group(s, f"{s.namespace}-dispatcher", 120)
        # warm up until one alert went all the way through
        warm = generate(1, seed=98, with_term="غزو")[0]
        producer.send(s.topic_raw, key=warm.id.encode(), value=warm.to_bytes()).get(30)
        deadline = time.monotonic() + 120
        while not receiver.deliveries:
            if time.monotonic() > deadline:
                raise RuntimeError("no alert reached the receiver during warm-up")
            time.sleep(0.1)
        n = int(rate * seconds)
        articles = generate(n, seed=13, with_term="غزو")
        sent_at: dict[str, float] = {}
        started = time.perf_counter()
        for i, raw in enumerate(articles):
            target = started + i / rate
            delay = target - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            now = time.time()
            raw = raw.model_copy(update={"first_seen_at": now})
            sent_at[raw.id] = now
            producer.send(s.topic_raw, key=raw.id.encode(), value=raw.to_bytes())
        producer.flush()
        # Until every article's first alert arrived (several rules fire on one article, so
        # counting deliveries would stop before the last articles' alerts are in).
        deadline = time.monotonic() + 60
        while not sent_at.keys() <= arrivals.keys() and time.monotonic() < deadline:
            time.sleep(0.1)
        latencies = sorted(
            (received_at - sent_at[article_id]) * 1000
            for article_id, received_at in arrivals.items()
            if article_id in sent_at
        )
        if not latencies:
            raise RuntimeError("no alert delivered")
        p99 = latencies[min(len(latencies) - 1, int(0.99 * len(latencies)))]
        return {
            "pipeline.e2e_p50_ms": statistics.median(latencies),
            "pipeline.e2e_p99_ms": p99,
            "pipeline.e2e_delivered_ratio": len(latencies) / n,
            "pipeline.e2e_offered_per_s": rate,
        }
    finally:
        producer.close()
        _stop(worker)
        _stop(dispatcher)
        receiver.stop()


def run(quick: bool = False) -> dict[str, float]:
    with tempfile.TemporaryDirectory(prefix="marsad-bench-") as tmp:
        home = Path(tmp)
        base = stack.isolated_settings(home, "bench", partitions=2, kafka_heap="768m")
        stack.up(base, quiet=True)
        rules_path = home / "rules.yaml"
        rules_path.write_text(RULES, encoding="utf-8")
        logs = home / "logs"
        logs.mkdir(exist_ok=True)
        try:
            n = 1000 if quick else 4000
            loop = loop_rate(base, rules_path, n)
            out = {"pipeline.rate_loop": loop, **kafka_rate(base, rules_path, n, logs)}
            out["pipeline.kafka_vs_loop"] = out["pipeline.rate_kafka"] / loop
            out.update(e2e_latency(base, rules_path, 50.0, 10.0 if quick else 30.0, logs))
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
