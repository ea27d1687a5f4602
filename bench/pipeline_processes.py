"""What the pipeline benchmarks share: the realistic rule files and workload, and the
processes of a private local stack (a worker or dispatcher spawned with its own settings,
its counters, CPU and memory read from outside, articles produced to its raw topic)."""

from __future__ import annotations

import importlib
import os
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

import httpx
import redis
import yaml
from kafka import KafkaProducer

from bench.bench_dedupe import NEAR_DUPLICATE_SHARE, prefill
from bench.workload import news_articles, raw_article
from kernel.kafka import ensure_topics
from kernel.messages import RawArticle
from kernel.metrics import sample_value
from kernel.settings import DEMO_DIR, Settings
from marsad import stack

if TYPE_CHECKING:
    from streams.rules import CompiledRuleSet

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


def worker_processed(port: int) -> float:
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


def spawn(settings: Settings, args: list[str], env_extra: dict[str, str], log: Path) -> subprocess.Popen[bytes]:
    env = dict(os.environ)
    env.update(settings.to_env())
    env.update(env_extra)
    with open(log, "ab") as out:
        return subprocess.Popen([sys.executable, "-m", "marsad", *args], env=env, stdout=out, stderr=subprocess.STDOUT)


def stop(proc: subprocess.Popen[bytes]) -> None:
    proc.terminate()
    try:
        proc.wait(timeout=20)
    except subprocess.TimeoutExpired:
        proc.kill()


def namespace(base: Settings) -> Settings:
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


# The prefilled store is computed once per Redis server and copied, server side, into each
# run's namespace: computing it took ≈ 50 s of this process's CPU for every run, so the two
# runs a ratio pairs (a plain loop and a drain) were timed a minute or more apart on a
# machine whose speed moves by tens of per cent within minutes (docs/performance.md).
_PREFILL_TEMPLATES: dict[str, str] = {}


def prefilled(base: Settings) -> Settings:
    """A namespace of its own whose dedupe store already holds PREFILLED articles (the same
    ones every time: one fill, copied)."""
    from streams.dedupe import RedisDedupeStore

    s = namespace(base)
    client = redis.Redis.from_url(s.redis_url)
    template = _PREFILL_TEMPLATES.get(s.redis_url)
    if template is None:
        template = f"prefill-{uuid.uuid4().hex[:6]}:"
        prefill(RedisDedupeStore(client, prefix=template), PREFILLED, seed=500, prefix="pre")
        _PREFILL_TEMPLATES[s.redis_url] = template
    copied = copy_keys(client, template, s.redis_prefix)
    if not copied:
        raise RuntimeError(f"the prefilled store under {template!r} is gone (expired or flushed)")
    return s


def copy_keys(client: redis.Redis, source_prefix: str, target_prefix: str) -> int:
    """Copy every key under ``source_prefix`` to the same name under ``target_prefix`` (with
    its time to live), on the server; how many were copied."""
    names = [name.decode() for name in client.scan_iter(match=f"{source_prefix}*", count=1000)]
    pipe = client.pipeline(transaction=False)
    for name in names:
        pipe.copy(name, target_prefix + name[len(source_prefix) :], replace=True)
    return sum(bool(done) for done in pipe.execute())


def cpu_s(pid: int) -> float:
    """CPU seconds (user + system, all threads) a process has used so far."""
    fields = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def redis_cpu_s(settings: Settings) -> float:
    """CPU seconds the stack's Redis server has used so far."""
    info = redis.Redis.from_url(settings.redis_url).info("cpu")
    return float(info["used_cpu_user"]) + float(info["used_cpu_sys"])


def rss_mb(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmRSS:"):
            return int(line.split()[1]) / 1024
    raise RuntimeError(f"no VmRSS for pid {pid}")


def produce(settings: Settings, articles: list[RawArticle]) -> None:
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all", linger_ms=5)
    try:
        for article in articles:
            producer.send(settings.topic_raw, key=article.id.encode(), value=article.to_bytes())
        producer.flush()
    finally:
        producer.close()


def wait_processed(ports: list[int], workers: list[subprocess.Popen[bytes]], count: int, timeout_s: float) -> float:
    """Poll the workers' processed counters until their sum reaches ``count``; the sum seen.

    Polled every 0.1 s: every scrape renders the worker's whole /metrics page on the
    worker's own event loop, so polling faster would slow down what is measured."""
    deadline = time.monotonic() + timeout_s
    while True:
        processed = sum(max(0.0, worker_processed(port)) for port in ports)
        if processed >= count:
            return processed
        if time.monotonic() > deadline or any(w.poll() is not None for w in workers):
            raise RuntimeError(f"workers processed {processed:.0f} of {count} articles")
        time.sleep(0.1)
