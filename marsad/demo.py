"""`marsad demo`: the main job on the local stack with the bundled sample feeds.

Starts a local feed server and a signature-checking webhook receiver, runs the real
worker and dispatcher as processes, polls every feed once with the real connector, prints
each alert as it is delivered and a summary, and exits 0 only when exactly the expected
alerts arrived (deploy/demo/articles.yaml says which).
"""

from __future__ import annotations

import os
import secrets
import signal
import statistics
import subprocess
import sys
import time
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from rich.console import Console
from rich.markup import escape
from rich.table import Table

from alerts.receiver import WebhookReceiver
from kernel.errors import MarsadError, StackUnavailable
from kernel.kafka import (
    admin_client,
    ensure_topics,
    read_to_end,
    topic_specs,
    wait_for_group,
    wait_for_kafka,
)
from kernel.messages import Article, RawArticle
from kernel.redact import safe_url
from kernel.settings import DEMO_DIR, Settings, get_settings
from marsad import stack
from marsad.demo_feeds import FeedServer, load_demo_feeds, write_feeds_yaml

console = Console(highlight=False)
SEVERITY_COLOURS = {"critical": "bold red", "high": "red", "medium": "yellow", "low": "cyan", "info": "blue"}


@dataclass
class DemoOutcome:
    ok: bool
    articles: int = 0
    published: int = 0
    alerts: int = 0
    missing: list[tuple[str, str]] = field(default_factory=list)
    unexpected: list[tuple[str, str]] = field(default_factory=list)
    latencies_ms: list[float] = field(default_factory=list)
    reason: str = ""


def _spawn(args: list[str], env: dict[str, str], log_path: Path) -> subprocess.Popen:
    log_path.parent.mkdir(parents=True, exist_ok=True)
    log = open(log_path, "ab")
    return subprocess.Popen(
        [sys.executable, "-m", "marsad", *args],
        env=env,
        stdout=log,
        stderr=subprocess.STDOUT,
        stdin=subprocess.DEVNULL,
    )


def _stop(proc: subprocess.Popen | None) -> None:
    if proc is None or proc.poll() is not None:
        return
    proc.send_signal(signal.SIGTERM)
    try:
        proc.wait(timeout=15)
    except subprocess.TimeoutExpired:
        proc.kill()
        proc.wait()


def _print_alert(payload: dict, latency_ms: float | None) -> None:
    rule = payload["rule"]
    article = payload["article"]
    colour = SEVERITY_COLOURS.get(rule.get("severity", "medium"), "white")
    lat = f"{latency_ms:.0f} ms" if latency_ms is not None else "?"
    console.print(
        f"[{colour}]● {escape(rule.get('severity', '').upper())}[/{colour}] "
        f"[bold]{escape(rule['id'])}[/bold] — {escape(article.get('title', ''))} "
        f"[dim]({escape(article.get('feed', ''))}, story sources {payload['story'].get('sources')}, {lat})[/dim]"
    )
    outlets = payload["story"].get("outlets") or []
    if outlets and not payload.get("evidence"):
        # a story rule has no words to show: the sites that carried the story are its evidence
        names = ", ".join(o["name"] for o in outlets)
        console.print(
            f"    [dim]outlets[/dim] {escape(names)} [dim]first seen {escape(str(payload['story'].get('first_seen')))}, "
            f"last seen {escape(str(payload['story'].get('last_seen')))}[/dim]"
        )
    for ev in payload.get("evidence", []):
        value = f" = {ev['value']:,}" if isinstance(ev.get("value"), (int, float)) else ""
        console.print(
            f"    [dim]{escape(ev['leaf'])}[/dim] «{escape(ev['text'])}»{value} [dim]@{ev['start']}-{ev['end']}[/dim]"
        )


def _raw_articles(s: Settings) -> list[RawArticle]:
    return [RawArticle.from_bytes(v) for v in read_to_end(s, s.topic_raw)]


def _delete_topics(s: Settings) -> None:
    try:
        client = admin_client(s, timeout_s=5)
        try:
            client.delete_topics([t.name for t in topic_specs(s)])
        finally:
            client.close()
    except Exception:  # cleanup only: a leftover demo topic is harmless
        pass


def run_demo(settings: Settings, *, start_stack: bool = False, timeout_s: float = 120.0) -> DemoOutcome:
    started_stack = False
    if start_stack and not all(c.healthy for c in stack.status(settings)):
        stack.up(settings)
        started_stack = True
    try:
        wait_for_kafka(settings, timeout_s=10)
    except StackUnavailable as exc:
        raise StackUnavailable(f"{exc}. Start it with `marsad stack up` (or run `make demo`).") from exc
    if not stack.redis_healthy(settings):
        raise StackUnavailable(
            f"Redis is not reachable at {safe_url(settings.redis_url)}; start it with `marsad stack up`"
        )

    run_id = f"demo{time.strftime('%Y%m%d%H%M%S')}{uuid.uuid4().hex[:4]}"
    s = settings.model_copy(
        update={
            "namespace": run_id,
            "connector_metrics_port": stack.free_port(),
            "worker_metrics_port": stack.free_port(),
            "dispatcher_metrics_port": stack.free_port(),
        }
    )
    run_dir = settings.home / "demo" / run_id
    run_dir.mkdir(parents=True, exist_ok=True)
    ensure_topics(s)
    feeds = load_demo_feeds()
    server = FeedServer(feeds).start()
    secret = secrets.token_hex(16)
    arrivals: dict[str, float] = {}

    def record_arrival(payload: dict[str, Any]) -> None:
        arrivals.setdefault(payload["alert_id"], time.time())

    receiver = WebhookReceiver(secret=secret, on_delivery=record_arrival)
    receiver.start()
    env = dict(os.environ)
    env.update(s.to_env())
    env.update({"MARSAD_WEBHOOK_SECRET": secret, "MARSAD_DEMO_RECEIVER_PORT": str(receiver.port)})
    feeds_yaml = write_feeds_yaml(feeds, server, run_dir / "feeds.yaml")
    logs = settings.home / "logs"
    worker = dispatcher = None
    console.print(
        f"[bold]Marsad demo[/bold] run {run_id}: {sum(len(f.items) for f in feeds)} items in {len(feeds)} feeds"
    )
    try:
        worker = _spawn(["worker"], env, logs / f"{run_id}-worker.log")
        dispatcher = _spawn(
            ["dispatch", "--channels", str(DEMO_DIR / "channels.yaml")], env, logs / f"{run_id}-dispatcher.log"
        )
        # Poll the feeds only once both consumer groups own their partitions, so that the
        # latencies printed are the pipeline's, not the processes' start-up.
        for group in (f"{run_id}-worker", f"{run_id}-dispatcher"):
            try:
                wait_for_group(s, group, timeout_s=90)
            except StackUnavailable as exc:
                return DemoOutcome(False, reason=f"{exc}; see the logs in {logs}")
        connector = subprocess.run(
            [sys.executable, "-m", "marsad", "connect", "--feeds", str(feeds_yaml), "--once"],
            env=env,
            capture_output=True,
            text=True,
            timeout=120,
        )
        if connector.returncode != 0:
            return DemoOutcome(False, reason=f"connector failed: {connector.stderr.strip()[-800:]}")
        return _watch(s, feeds, receiver, arrivals, worker, dispatcher, timeout_s)
    finally:
        _stop(worker)
        _stop(dispatcher)
        receiver.stop()
        server.stop()
        _delete_topics(s)
        if started_stack:
            stack.down(settings, quiet=True)
            console.print("[dim]stopped the local stack this demo started[/dim]")
        console.print(
            f"[dim]metrics while running: connector :{s.connector_metrics_port}/metrics, "
            f"worker :{s.worker_metrics_port}/metrics, dispatcher :{s.dispatcher_metrics_port}/metrics; "
            f"logs in {logs}[/dim]"
        )


def _watch(s, feeds, receiver, arrivals, worker, dispatcher, timeout_s: float) -> DemoOutcome:
    by_url = {(f.id, i.link): i for f in feeds for i in f.items}
    # A republished copy and its original count as one: whichever arrives first alerts; so
    # do the reports of one story for a story rule: whichever the worker sees when it breaks.
    canonical = {
        i.guid: i.expect.get("duplicate_of") or i.expect.get("story_of") or i.guid for f in feeds for i in f.items
    }
    expected = {(rule, i.guid) for f in feeds for i in f.items for rule in i.expect.get("alert", [])}
    raw = {a.id: a for a in _raw_articles(s)}
    seen: set[tuple[str, str]] = set()
    latencies: list[float] = []
    printed = 0
    deadline = time.monotonic() + timeout_s
    settle_until: float | None = None
    while time.monotonic() < deadline:
        for proc, name in ((worker, "worker"), (dispatcher, "dispatcher")):
            if proc.poll() is not None:
                return DemoOutcome(False, reason=f"the {name} exited with code {proc.returncode}; see its log")
        deliveries = list(receiver.deliveries)
        for payload in deliveries[printed:]:
            article = payload["article"]
            if article["id"] not in raw:
                raw.update({a.id: a for a in _raw_articles(s)})
            first_seen = raw[article["id"]].first_seen_at if article["id"] in raw else None
            received = arrivals.get(payload["alert_id"])
            latency = (received - first_seen) * 1000 if first_seen and received else None
            if latency is not None:
                latencies.append(latency)
            _print_alert(payload, latency)
            item = by_url.get((article.get("feed"), article.get("url")))
            seen.add((payload["rule"]["id"], canonical[item.guid] if item else article["id"]))
        printed = len(deliveries)
        if expected <= seen and settle_until is None:
            settle_until = time.monotonic() + 3.0  # wait a little for unexpected extras
        if settle_until is not None and time.monotonic() >= settle_until:
            break
        time.sleep(0.02)
    articles = len({Article.from_bytes(v).id for v in read_to_end(s, s.topic_articles)})
    outcome = DemoOutcome(
        ok=False,
        articles=articles,
        published=len(raw),
        alerts=printed,
        missing=sorted(expected - seen),
        unexpected=sorted(seen - expected),
        latencies_ms=latencies,
    )
    outcome.ok = not outcome.missing and not outcome.unexpected
    if outcome.missing:
        outcome.reason = f"{len(outcome.missing)} expected alert(s) did not arrive within {timeout_s:.0f}s"
    elif outcome.unexpected:
        outcome.reason = f"{len(outcome.unexpected)} alert(s) arrived that the sample data does not expect"
    return outcome


def print_summary(outcome: DemoOutcome) -> None:
    table = Table(title="Marsad demo summary", show_header=False)
    table.add_row("items published by the connector", str(outcome.published))
    table.add_row("articles after dedupe", str(outcome.articles))
    table.add_row("duplicates dropped", str(max(0, outcome.published - outcome.articles)))
    table.add_row("alerts delivered (signature verified)", str(outcome.alerts))
    if outcome.latencies_ms:
        lat = sorted(outcome.latencies_ms)
        p95 = lat[min(len(lat) - 1, int(round(0.95 * (len(lat) - 1))))]
        table.add_row("latency first sighting → delivery, p50 / p95", f"{statistics.median(lat):.0f} ms / {p95:.0f} ms")
    for rule, item in outcome.missing:
        table.add_row("[red]missing[/red]", f"{rule} on {item}")
    for rule, item in outcome.unexpected:
        table.add_row("[red]unexpected[/red]", f"{rule} on {item}")
    console.print(table)
    if outcome.ok:
        console.print("[green]every expected alert arrived, and nothing else[/green]")
    else:
        console.print(f"[red]demo failed: {outcome.reason}[/red]")


def demo_command(start_stack: bool, timeout_s: float) -> None:
    outcome = run_demo(get_settings(), start_stack=start_stack, timeout_s=timeout_s)
    print_summary(outcome)
    if not outcome.ok:
        raise MarsadError(outcome.reason)
