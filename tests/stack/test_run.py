"""`marsad run` on the real stack: a local feed in, signed alerts out at a receiver; a
child killed with SIGKILL is restarted (and counted) and nothing is lost; SIGINT stops
every child in order and exits 0."""

from __future__ import annotations

import os
import re
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import httpx
import pytest

from bench.generate import generate
from kernel.messages import AlertEvent, Article
from kernel.metrics import sample_value
from marsad.demo_feeds import DemoFeed, FeedItem, FeedServer, render, write_feeds_yaml
from marsad.stack import free_port
from tests.support.pipeline import DEMO_CHANNELS, read_topic, wait_until
from tests.support.stack import child_env, fresh_namespace

pytestmark = pytest.mark.stack

RULES = "id: invasion\ntitle: Invasion wording\nthrottle: 6h\nwhen:\n  terms: [غزو]\n"
PHASE = 60  # articles published before and after the worker is killed


def feed_of(articles) -> DemoFeed:
    items = [FeedItem(guid=a.id, link=a.url, title=a.title, body=a.content.replace("\n", "<br/>")) for a in articles]
    return DemoFeed("run-feed", "Run feed", "ar", "rss", items)


class RunProcess:
    """`marsad run` as a child; its output lines (no TTY: one line per state change) are
    collected as they come."""

    def __init__(self, args: list[str], env: dict[str, str]) -> None:
        self.proc = subprocess.Popen(
            [sys.executable, "-m", "marsad", "run", *args],
            env=env,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        self.lines: list[str] = []
        self.reader = threading.Thread(target=self.read, daemon=True)
        self.reader.start()

    def read(self) -> None:
        assert self.proc.stdout is not None
        for line in self.proc.stdout:
            self.lines.append(line.rstrip("\n"))

    def output(self) -> str:
        return "\n".join(self.lines)

    def events(self, pattern: str) -> list[re.Match[str]]:
        return [m for line in list(self.lines) if (m := re.search(pattern, line))]

    def pid_of(self, name: str) -> int:
        found = self.events(rf" {re.escape(name)}: (?:started|restarted) \(pid (\d+)")
        assert found, f"no pid for {name}:\n{self.output()}"
        return int(found[-1].group(1))


def alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().split(")")[-1].split()[0]
    except OSError:
        return False
    return state != "Z"


def restarts(port: int, process: str) -> float | None:
    text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=5).text
    return sample_value(text, f'marsad_process_restarts_total{{process="{process}"}}')


def test_run_supervises_restarts_and_stops_in_order(stack, tmp_path) -> None:
    settings = fresh_namespace(stack)
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    articles = generate(2 * PHASE, seed=20, with_term="غزو", term_every=3)
    feed = feed_of(articles[:PHASE])
    server = FeedServer([feed]).start()
    feeds_yaml = write_feeds_yaml([feed], server, tmp_path / "feeds.yaml")
    feeds_yaml.write_text(feeds_yaml.read_text().replace("{min: 5s, max: 60s}", "{min: 1s, max: 2s}"))
    from alerts.receiver import WebhookReceiver

    receiver = WebhookReceiver(secret="run-test-secret")
    receiver.start()
    metrics_port = free_port()
    env = child_env(
        settings,
        MARSAD_WEBHOOK_SECRET="run-test-secret",
        MARSAD_DEMO_RECEIVER_PORT=str(receiver.port),
    )
    args = ["--feeds", str(feeds_yaml), "--rules", str(rules), "--channels", str(DEMO_CHANNELS)]
    run = RunProcess([*args, "--workers", "1", "--metrics-port", str(metrics_port)], env)
    try:

        def delivered_urls() -> set[str]:
            return {d["article"]["url"] for d in receiver.deliveries}

        def state() -> str:
            logs = "\n".join(
                f"--- {p.name}\n{p.read_text(errors='replace')[-2000:]}"
                for p in (settings.home / "logs").glob("run-*.log")
            )
            return f"marsad run said:\n{run.output()}\n{logs}"

        wait_until(lambda: len(receiver.deliveries) >= 5, 180, "the first alerts", explain=state)
        assert run.events(r" console: started \(pid \d+\)"), run.output()
        assert httpx.get(f"http://127.0.0.1:{settings.api_port}/", timeout=5).status_code < 500

        # kill -9 of the worker: the supervisor notices, restarts it with backoff and counts it.
        worker_pid = run.pid_of("worker-1")
        os.kill(worker_pid, signal.SIGKILL)
        wait_until(
            lambda: run.events(r" worker-1: restarted \(pid \d+, restart 1\)"),
            60,
            "the worker's restart",
            explain=state,
        )
        assert run.events(r" worker-1: exited with code -9 after \d+s; restarting in 1s"), run.output()
        assert run.pid_of("worker-1") != worker_pid
        assert restarts(metrics_port, "worker-1") == 1
        assert restarts(metrics_port, "connector") == 0

        # More articles arrive after the restart: every one reaches the articles topic and
        # every alert is delivered, once.
        feed.items.extend(feed_of(articles[PHASE:]).items)
        server.bodies[f"/{feed.id}.xml"] = render(feed)
        expected_urls = {a.url for a in articles}

        def unique_urls() -> set[str]:
            return {Article.from_bytes(v).url for v in read_topic(settings, settings.topic_articles)}

        wait_until(lambda: unique_urls() >= expected_urls, 240, "every article processed", interval=2, explain=state)

        def stories_to_alert() -> set[tuple[str, str]]:
            return {
                (e.rule.id, e.story.id) for e in map(AlertEvent.from_bytes, read_topic(settings, settings.topic_alerts))
            }

        wait_until(
            lambda: {(d["rule"]["id"], d["story"]["id"]) for d in receiver.deliveries} >= stories_to_alert(),
            120,
            "every alert delivered",
            interval=2,
            explain=state,
        )
        with_term = {a.url for a in articles if "غزو" in a.content or "غزو" in a.title}
        alerted_stories = stories_to_alert()
        assert len(alerted_stories) >= 10
        time.sleep(3.0)
        twice = {key: n for key, n in receiver.keys.items() if n > 1}
        assert twice == {}, f"alerts delivered twice under one alert_id: {twice}"
        assert receiver.rejected == 0
        assert len(receiver.deliveries) == len(alerted_stories), "one delivery per (rule, story)"
        assert delivered_urls() <= with_term

        # Ctrl-C: every child stops, in order, and `marsad run` exits 0.
        pids = {name: run.pid_of(name) for name in ("connector", "worker-1", "dispatcher", "console")}
        run.proc.send_signal(signal.SIGINT)
        assert run.proc.wait(timeout=150) == 0, run.output()
        run.reader.join(timeout=5)
        stopped = [m.group(1) for m in run.events(r" ([\w-]+): stopped \(exit code (-?\d+)\)")]
        assert stopped == ["connector", "worker-1", "dispatcher", "console"], run.output()
        codes = {m.group(1): int(m.group(2)) for m in run.events(r" ([\w-]+): stopped \(exit code (-?\d+)\)")}
        # uvicorn ends by re-raising the SIGTERM it handled: -15 is its clean stop.
        assert codes == {"connector": 0, "worker-1": 0, "dispatcher": 0, "console": codes["console"]}, run.output()
        assert codes["console"] in (0, -signal.SIGTERM), run.output()
        assert not run.events("did not stop within"), "nothing had to be killed"
        assert not any(alive(pid) for pid in pids.values())
        assert not run.events("stopped the local stack"), "the stack was running before: it stays up"
    finally:
        if run.proc.poll() is None:
            run.proc.kill()
            run.proc.wait()
        receiver.stop()
        server.stop()
