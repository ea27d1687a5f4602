"""`marsad run`'s supervision without the stack: backoff, rates, start and stop order,
restarts counted in ``marsad_process_restarts_total``."""

from __future__ import annotations

import os
import time
from pathlib import Path

from kernel import metrics
from kernel.settings import Settings
from marsad.supervisor.backoff import RestartBackoff
from marsad.supervisor.specs import ProcessSpec, build_specs, stop_sequence
from marsad.supervisor.status import RateMeter, SeriesNames, total
from marsad.supervisor.supervisor import Supervisor


def test_backoff_doubles_up_to_its_cap_and_forgives_a_stable_run() -> None:
    backoff = RestartBackoff(initial_s=1, max_s=8, stable_s=60)
    assert [backoff.next_delay(ran_for_s=2) for _ in range(5)] == [1, 2, 4, 8, 8]
    assert backoff.next_delay(ran_for_s=120) == 1
    assert backoff.next_delay(ran_for_s=1) == 2


def test_rate_meter_survives_a_counter_reset() -> None:
    meter = RateMeter()
    assert meter.rate() is None
    for second, value in enumerate([0, 10, 20, 30]):
        meter.add(100.0 + second, value)
    assert meter.rate() == 10
    meter.add(104.0, 3)  # the child restarted: its counter starts again
    assert meter.rate() is None
    meter.add(105.0, 8)
    assert meter.rate() == 5


def test_series_totals_read_each_process_exposition() -> None:
    series = SeriesNames.for_run(Settings(namespace="x", partitions=2), ["a", "b"], ["r1"], ["hook"])
    exposition = (
        'marsad_feed_items_total{feed="a"} 3.0\nmarsad_feed_items_total{feed="b"} 4.0\n'
        'marsad_kafka_consumer_lag{partition="1",topic="x.articles.raw"} 7.0\n'
        'marsad_kafka_consumer_lag{partition="0",topic="x.alerts"} 2.0\n'
    )
    assert total(exposition, series.articles("connector")) == 7
    assert total(exposition, series.lag("x.articles.raw")) == 7
    assert total(exposition, series.lag("x.alerts")) == 2
    assert total(exposition, series.alerts("dispatcher")) is None


def test_specs_start_consumers_first_and_stop_the_connector_first(tmp_path: Path) -> None:
    settings = Settings(home=tmp_path, worker_metrics_port=9102)
    specs = build_specs(settings, workers=3, console=True, receiver_port=18090)
    names = [s.name for s in specs]
    assert names == ["receiver", "worker-1", "worker-2", "worker-3", "dispatcher", "console", "connector"]
    ports = [s.metrics_port for s in specs if s.role == "worker"]
    assert ports[0] == 9102 and len(set(ports)) == 3
    assert len({s.env["MARSAD_WORKER_DATA_DIR"] for s in specs if s.role == "worker"}) == 3
    order = [[s.name for s in group] for group in stop_sequence(specs)]
    assert order == [["connector"], ["worker-1", "worker-2", "worker-3"], ["dispatcher"], ["console"], ["receiver"]]
    assert "console" not in [s.name for s in build_specs(settings, console=False)]


def test_a_child_that_exits_is_restarted_and_counted(tmp_path: Path) -> None:
    events: list[tuple[str, str]] = []
    quick = ProcessSpec("connector", "connector", ("init", "--help"))
    supervisor = Supervisor([quick], dict(os.environ), tmp_path, lambda n, m: events.append((n, m)))
    before = metrics.PROCESS_RESTARTS.labels("connector")._value.get()
    supervisor.start()
    deadline = time.monotonic() + 30
    while supervisor.children[0].restarts < 2 and time.monotonic() < deadline:
        supervisor.tick()
        time.sleep(0.05)
    supervisor.stop()
    assert supervisor.children[0].restarts == 2
    assert metrics.PROCESS_RESTARTS.labels("connector")._value.get() - before == 2
    messages = [m for _, m in events]
    assert any("exited with code 0" in m and "restarting in 1s" in m for m in messages)
    assert any("restarting in 2s" in m for m in messages), "the second restart waits longer"
    assert (tmp_path / "run-connector.log").read_text().count("Usage:") >= 2


def test_stop_signals_each_role_in_order_and_waits(tmp_path: Path) -> None:
    events: list[tuple[str, str]] = []
    serve = ("feeds", "serve", str(tmp_path), "--port", "0")
    specs = [
        ProcessSpec("worker-1", "worker", serve),
        ProcessSpec("dispatcher", "dispatcher", serve),
        ProcessSpec("connector", "connector", serve),
    ]
    supervisor = Supervisor(specs, dict(os.environ), tmp_path, lambda n, m: events.append((n, m)))
    supervisor.start()

    def serving(name: str) -> bool:
        log = tmp_path / f"run-{name}.log"
        return log.exists() and "serving" in log.read_text()

    # Stopped only once each child has installed its SIGTERM handler (it says "serving").
    deadline = time.monotonic() + 60
    while not all(serving(s.name) for s in specs) and time.monotonic() < deadline:
        time.sleep(0.1)
    supervisor.tick()
    assert all(c.state(time.monotonic()) == "running" for c in supervisor.children)
    codes = supervisor.stop()
    assert codes == [0, 0, 0], "stopped by SIGTERM, not killed"
    stopped = [n for n, m in events if m.startswith("stopped")]
    assert stopped == ["connector", "worker-1", "dispatcher"]
    signalled = [n for n, m in events if m.startswith("stopping")]
    assert signalled == stopped
    supervisor.tick()  # after stop(), nothing is restarted
    assert all(c.pid is None and c.restarts == 0 for c in supervisor.children)
