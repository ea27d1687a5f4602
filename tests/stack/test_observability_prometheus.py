"""Debian's Prometheus scraping the real connector, worker and dispatcher on the real stack:
every target is up, the key series exist with sensible values, the alerting rules load
and evaluate, and promtool accepts what each running process serves on /metrics."""

from __future__ import annotations

import subprocess
import time
from datetime import datetime
from pathlib import Path

import httpx
import pytest

from kernel.settings import Settings
from marsad.stack import free_port, prometheus_binary, render_prometheus_config
from tests.support.pipeline import DEMO_CHANNELS, Pipeline, seeds_setup, wait_until
from tests.support.prometheus import assert_promtool_metrics_clean, scrape

pytestmark = pytest.mark.stack

RULES = """
- id: invasion
  title: Invasion wording
  severity: high
  when:
    terms: [غزو]
"""

JOBS = ("marsad-connector", "marsad-worker", "marsad-dispatcher", "marsad-api")


class LocalPrometheus:
    """Prometheus with the local stack's rendered config, in a temp dir, on a free port."""

    def __init__(self, settings: Settings, workdir: Path) -> None:
        binary = prometheus_binary()
        if binary is None:
            pytest.fail("prometheus is missing: install Debian's `prometheus` package (make install)")
        self.port = free_port()
        config = workdir / "prometheus.yml"
        config.write_text(render_prometheus_config(settings))
        self.log = workdir / "prometheus.log"
        with open(self.log, "wb") as log:
            self.proc = subprocess.Popen(
                [
                    binary,
                    f"--config.file={config}",
                    f"--storage.tsdb.path={workdir / 'data'}",
                    f"--web.listen-address=127.0.0.1:{self.port}",
                ],
                stdout=log,
                stderr=subprocess.STDOUT,
                cwd=workdir,
            )
        self.api = httpx.Client(base_url=f"http://127.0.0.1:{self.port}", timeout=5)
        wait_until(self._ready, 30, "Prometheus to be ready")

    def _ready(self) -> bool:
        assert self.proc.poll() is None, f"prometheus exited:\n{self.log.read_text()[-3000:]}"
        try:
            return self.api.get("/-/ready").status_code == 200
        except httpx.HTTPError:
            return False

    def query(self, promql: str) -> list[dict]:
        answer = self.api.get("/api/v1/query", params={"query": promql}).json()
        assert answer["status"] == "success", answer
        return answer["data"]["result"]

    def value(self, promql: str) -> float | None:
        result = self.query(promql)
        return float(result[0]["value"][1]) if result else None

    def rule_groups(self) -> list[dict]:
        return self.api.get("/api/v1/rules").json()["data"]["groups"]

    def evaluated_since(self, moment: float) -> bool:
        """Whether every rule group has been evaluated after ``moment`` (a Unix time)."""
        return all(datetime.fromisoformat(group["lastEvaluation"]).timestamp() > moment for group in self.rule_groups())

    def targets(self) -> dict[str, str]:
        active = self.api.get("/api/v1/targets").json()["data"]["activeTargets"]
        return {t["labels"]["job"]: t["health"] for t in active}

    def stop(self) -> None:
        self.api.close()
        self.proc.terminate()
        try:
            self.proc.wait(timeout=20)
        except subprocess.TimeoutExpired:
            self.proc.kill()
            self.proc.wait()


@pytest.fixture()
def running_pipeline(stack: Settings, tmp_path: Path):
    with seeds_setup(stack, tmp_path, RULES) as setup:
        prom_dir = tmp_path / "prometheus"
        prom_dir.mkdir()
        prometheus = LocalPrometheus(setup.settings, prom_dir)
        try:
            with Pipeline(setup.settings, tmp_path, **setup.env) as pipe:
                pipe.start("worker", "worker")
                pipe.start("dispatcher", "dispatch", "--channels", str(DEMO_CHANNELS))
                pipe.start("connector", "connect", "--feeds", str(setup.feeds_yaml))
                pipe.start("api", "api")  # the console: its own metrics port, scraped as marsad-api
                yield setup.settings, pipe, prometheus, setup.receiver
        finally:
            prometheus.stop()


def test_prometheus_scrapes_every_process_with_sensible_values(running_pipeline) -> None:
    settings, pipe, prometheus, receiver = running_pipeline

    def alive() -> None:
        for name, proc in pipe.procs.items():
            assert proc.poll() is None, f"{name} exited:\n{pipe.log(name)[-3000:]}"

    def all_up() -> bool:
        alive()
        return all(prometheus.value(f'up{{job="{job}"}}') == 1 for job in JOBS)

    wait_until(all_up, 90, "every target up in Prometheus", interval=1)
    # The alerts read at the end must come from an evaluation that saw every target up: the
    # rules are evaluated every 5 s on their own clock, and a fast run gets there sooner.
    every_target_up_at = time.time()
    assert prometheus.targets() == {job: "up" for job in JOBS}

    # Traffic: the five seed items flow through; each one fires the invasion rule.
    def seen(promql: str, minimum: float) -> bool:
        alive()
        value = prometheus.value(promql)
        return value is not None and value >= minimum

    wait_until(lambda: seen("sum(marsad_feed_fetches_total)", 1), 60, "feed fetches", interval=1)
    wait_until(
        lambda: seen('sum(marsad_stage_processed_total{stage="normalize"})', 5), 90, "5 normalized articles", interval=1
    )
    wait_until(lambda: seen("sum(marsad_alerts_delivered_total)", 5), 120, "5 delivered alerts", interval=1)
    wait_until(
        lambda: seen("sum(marsad_end_to_end_latency_seconds_count)", 5),
        30,
        "end-to-end latency observations",
        interval=1,
    )

    assert prometheus.value('sum(marsad_feed_items_total{feed="seeds"})') == 5
    assert prometheus.value('marsad_feed_last_success_timestamp_seconds{feed="seeds"}') > time.time() - 600
    assert prometheus.value('sum(marsad_stage_processed_total{stage="match"})') == 5
    assert prometheus.value('sum(marsad_rule_matches_total{rule="invasion"})') == 5
    assert prometheus.value("max(marsad_ruleset_rules)") == 1
    assert prometheus.value("sum(marsad_stage_failed_total)") in (None, 0.0)
    assert len(receiver.deliveries) == 5
    # Every alert travelled from the connector's first sighting to the webhook in < 5 min.
    p99 = prometheus.value("histogram_quantile(0.99, sum by (le) (marsad_end_to_end_latency_seconds_bucket))")
    assert p99 is not None and 0 < p99 <= 300

    roles = {r["metric"]["role"]: r["metric"]["job"] for r in prometheus.query("marsad_build_info")}
    assert roles == {
        "connector": "marsad-connector",
        "worker": "marsad-worker",
        "dispatcher": "marsad-dispatcher",
        "api": "marsad-api",
    }

    # The alerting rules are loaded and evaluate without errors against the real series.
    rules = [rule for group in prometheus.rule_groups() for rule in group["rules"]]
    assert len(rules) == 10
    wait_until(
        lambda: prometheus.evaluated_since(every_target_up_at), 30, "a rule evaluation after every target was up"
    )
    wait_until(
        lambda: all(r["health"] == "ok" for g in prometheus.rule_groups() for r in g["rules"]),
        30,
        "every alerting rule evaluated with health ok",
        interval=1,
    )
    # Pending or firing: either means the rule's condition held at the last evaluation.
    active = prometheus.api.get("/api/v1/alerts").json()["data"]["alerts"]
    names = {a["labels"]["alertname"] for a in active}
    assert not names & {"MarsadProcessDown", "MarsadWorkerAbsent", "MarsadAlertsDeadLettered"}, active

    # promtool accepts what each real process serves.
    for port in (settings.connector_metrics_port, settings.worker_metrics_port, settings.dispatcher_metrics_port):
        assert_promtool_metrics_clean(scrape(port))

    # The sampler reads the real Faust group's commits: the raw topic it consumes, caught up.
    from kernel.lag import LagSampler

    sampler = LagSampler(settings, [f"{settings.namespace}-worker"])
    try:
        wait_until(
            lambda: sampler.sample()
            == {(topic, partition): 0 for topic in (settings.topic_raw,) for partition in range(settings.partitions)},
            60,
            "the worker group's committed offsets to reach the end of the raw topic",
            interval=1,
        )
    finally:
        sampler.close()

    # Consumer lag as Prometheus sees it: the worker process runs the sampler for its group.
    wait_until(
        lambda: prometheus.value(f'max(marsad_kafka_consumer_lag{{job="marsad-worker", topic="{settings.topic_raw}"}})')
        == 0,
        60,
        "the worker's consumer lag on the raw topic to be reported as 0",
        interval=1,
    )


# What each real process serves once it has done some work, and how to start it alone.
PROCESS_READY = {
    "worker": "marsad_ruleset_rules 1.0",
    "dispatcher": 'marsad_build_info{role="dispatcher"',
    "connector": 'marsad_feed_fetches_total{feed="seeds"}',
}


@pytest.mark.parametrize("role", sorted(PROCESS_READY))
def test_promtool_accepts_a_running_process_metrics(role: str, stack: Settings, tmp_path: Path) -> None:
    """Each real `marsad` process on its own: its /metrics passes `promtool check metrics`."""
    with seeds_setup(stack, tmp_path, RULES) as setup:
        settings = setup.settings
        command = {
            "worker": ("worker",),
            "dispatcher": ("dispatch", "--channels", str(DEMO_CHANNELS)),
            "connector": ("connect", "--feeds", str(setup.feeds_yaml)),
        }[role]
        port = getattr(settings, f"{role}_metrics_port")
        with Pipeline(settings, tmp_path, **setup.env) as pipe:
            proc = pipe.start(role, *command)

            def serving() -> bool:
                assert proc.poll() is None, f"{role} exited:\n{pipe.log(role)[-3000:]}"
                try:
                    return PROCESS_READY[role] in scrape(port, timeout_s=0.5)
                except httpx.HTTPError:
                    return False

            wait_until(serving, 60, f"the {role}'s /metrics", interval=0.5)
            exposition = scrape(port)
    assert f'marsad_build_info{{role="{role}"' in exposition
    assert_promtool_metrics_clean(exposition)
