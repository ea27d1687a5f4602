"""The live status of a run: per child its state, pid, restarts and, read from its own
/metrics, articles/s, consumer lag and alerts/s.

The rates come from counters every process already exports (``kernel/metrics.py``):

- connector: ``marsad_feed_items_total`` summed over the feeds (items published);
- worker: ``marsad_stage_processed_total{stage="normalize"}`` (articles taken in) and
  ``marsad_rule_matches_total`` summed over the rules of the rules files (alerts raised);
- dispatcher: ``marsad_alerts_delivered_total`` summed over the channels.

Consumer lag is sampled by the workers for both consumer groups
(``marsad_kafka_consumer_lag``): the raw topic's lag is the workers', the alerts topic's
the dispatcher's.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Iterable
from dataclasses import dataclass, field

import httpx
from rich.table import Table

from kernel.metrics import sample_value
from kernel.settings import Settings
from marsad.supervisor.supervisor import Child

RATE_WINDOW_S = 10.0


@dataclass(frozen=True)
class SeriesNames:
    """The series to read, named as served (the label values a run knows at start)."""

    feeds: tuple[str, ...]
    rules: tuple[str, ...]
    channels: tuple[str, ...]
    raw_topic: str
    alerts_topic: str
    partitions: int

    @classmethod
    def for_run(
        cls, settings: Settings, feeds: Iterable[str], rules: Iterable[str], channels: Iterable[str]
    ) -> SeriesNames:
        return cls(
            tuple(feeds), tuple(rules), tuple(channels), settings.topic_raw, settings.topic_alerts, settings.partitions
        )

    def articles(self, role: str) -> list[str]:
        if role == "connector":
            return [f'marsad_feed_items_total{{feed="{f}"}}' for f in self.feeds]
        if role == "worker":
            return ['marsad_stage_processed_total{stage="normalize"}']
        return []

    def alerts(self, role: str) -> list[str]:
        if role == "worker":
            return [f'marsad_rule_matches_total{{rule="{r}"}}' for r in self.rules]
        if role == "dispatcher":
            return [f'marsad_alerts_delivered_total{{channel="{c}"}}' for c in self.channels]
        return []

    def lag(self, topic: str) -> list[str]:
        return [f'marsad_kafka_consumer_lag{{topic="{topic}",partition="{p}"}}' for p in range(self.partitions)]


def total(exposition: str, series: list[str]) -> float | None:
    """The sum of the series present in ``exposition``; None when none is."""
    values = [v for s in series if (v := sample_value(exposition, s)) is not None]
    return sum(values) if values else None


@dataclass
class RateMeter:
    """A counter's rate over the last ``RATE_WINDOW_S`` seconds; a counter that went down
    (the process restarted) starts the window again."""

    samples: deque[tuple[float, float]] = field(default_factory=lambda: deque(maxlen=64))

    def add(self, at: float, value: float) -> None:
        if self.samples and value < self.samples[-1][1]:
            self.samples.clear()
        self.samples.append((at, value))
        while len(self.samples) > 2 and at - self.samples[1][0] >= RATE_WINDOW_S:
            self.samples.popleft()

    def rate(self) -> float | None:
        if len(self.samples) < 2:
            return None
        (t0, v0), (t1, v1) = self.samples[0], self.samples[-1]
        return (v1 - v0) / (t1 - t0) if t1 > t0 else None


@dataclass
class StatusRow:
    name: str
    state: str
    pid: int | None
    restarts: int
    uptime_s: float | None
    articles_per_s: float | None = None
    lag: float | None = None
    alerts_per_s: float | None = None


class StatusBoard:
    """Scrapes each child's /metrics and keeps the rates between calls of ``rows()``."""

    def __init__(self, series: SeriesNames, timeout_s: float = 0.5) -> None:
        self.series = series
        self.timeout_s = timeout_s
        self.meters: dict[tuple[str, str], RateMeter] = {}

    def scrape(self, child: Child) -> str | None:
        if child.spec.metrics_port is None or child.pid is None:
            return None
        try:
            return httpx.get(f"http://127.0.0.1:{child.spec.metrics_port}/metrics", timeout=self.timeout_s).text
        except httpx.HTTPError:
            return None

    def rate(self, name: str, kind: str, exposition: str | None, series: list[str], at: float) -> float | None:
        if exposition is None or not series:
            return None
        value = total(exposition, series)
        meter = self.meters.setdefault((name, kind), RateMeter())
        if value is not None:
            meter.add(at, value)
        return meter.rate()

    def rows(self, children: list[Child]) -> list[StatusRow]:
        now = time.monotonic()
        expositions = {c.spec.name: self.scrape(c) for c in children}
        # Any worker's sample of the lag will do: each samples both groups.
        worker_metrics = next(
            (e for c in children if c.spec.role == "worker" and (e := expositions[c.spec.name])), None
        )
        rows = []
        for child in children:
            spec, exposition = child.spec, expositions[child.spec.name]
            lag = None
            if worker_metrics is not None and spec.role in ("worker", "dispatcher"):
                topic = self.series.raw_topic if spec.role == "worker" else self.series.alerts_topic
                lag = total(worker_metrics, self.series.lag(topic))
            rows.append(
                StatusRow(
                    name=spec.name,
                    state=child.state(now),
                    pid=child.pid,
                    restarts=child.restarts,
                    uptime_s=now - child.started_at if child.pid is not None else None,
                    articles_per_s=self.rate(spec.name, "articles", exposition, self.series.articles(spec.role), now),
                    lag=lag,
                    alerts_per_s=self.rate(spec.name, "alerts", exposition, self.series.alerts(spec.role), now),
                )
            )
        return rows


def number(value: float | None, digits: int = 1) -> str:
    return "-" if value is None else f"{value:,.{digits}f}"


def duration(seconds: float | None) -> str:
    if seconds is None:
        return "-"
    minutes, secs = divmod(int(seconds), 60)
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m" if hours else f"{minutes}m{secs:02d}s"


STATE_STYLES = {"running": "green", "stopping": "yellow", "stopped": "dim"}


def status_table(rows: list[StatusRow], caption: str) -> Table:
    table = Table(title="marsad run", caption=caption, caption_justify="left")
    for column in ("process", "state", "pid", "restarts", "up"):
        table.add_column(column)
    for column in ("articles/s", "lag", "alerts/s"):
        table.add_column(column, justify="right")
    for row in rows:
        style = STATE_STYLES.get(row.state, "red")
        table.add_row(
            row.name,
            f"[{style}]{row.state}[/{style}]",
            str(row.pid or "-"),
            str(row.restarts),
            duration(row.uptime_s),
            number(row.articles_per_s),
            number(row.lag, 0),
            number(row.alerts_per_s, 2),
        )
    return table
