"""Helpers for end-to-end tests: run the real worker, dispatcher and connector as
processes against the test session's stack, with a local feed server and a
signature-verifying webhook receiver."""

from __future__ import annotations

import html
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from alerts.receiver import WebhookReceiver
from kernel.kafka import read_to_end
from kernel.settings import DEMO_DIR, Settings
from marsad.demo_feeds import DemoFeed, FeedItem, FeedServer, write_feeds_yaml
from tests.support.stack import child_env, fresh_namespace, seed_files


def seed_feed(feed_id: str = "seeds") -> DemoFeed:
    """The five seed articles as items of one RSS feed: title = first line, body = every
    line of the file as an HTML paragraph (what a full-text extractor gives)."""
    items = []
    for path in seed_files():
        text = path.read_text(encoding="utf-8")
        lines = [line for line in text.splitlines() if line.strip()]
        body = "\n".join(f"<p>{html.escape(line)}</p>" for line in lines)
        items.append(FeedItem(guid=path.stem, link=f"https://seeds.example/{path.stem}", title=lines[0], body=body))
    return DemoFeed(feed_id, "Seeds", "ar", "rss", items)


class Pipeline:
    """The real processes of one test, stopped (SIGTERM) on exit."""

    def __init__(self, settings: Settings, tmp: Path, **env: str) -> None:
        self.settings, self.tmp, self.env = settings, tmp, child_env(settings, **env)
        self.procs: dict[str, subprocess.Popen] = {}

    def start(self, name: str, *args: str) -> subprocess.Popen:
        log = open(self.tmp / f"{name}.log", "ab")
        proc = subprocess.Popen(
            [sys.executable, "-m", "marsad", *args],
            env=self.env,
            stdout=log,
            stderr=subprocess.STDOUT,
        )
        self.procs[name] = proc
        return proc

    def run(self, *args: str, timeout: float = 120) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, "-m", "marsad", *args],
            env=self.env,
            capture_output=True,
            text=True,
            timeout=timeout,
        )

    def log(self, name: str) -> str:
        return (self.tmp / f"{name}.log").read_text(errors="replace")

    def stop(self, name: str, sig: int = signal.SIGTERM) -> None:
        proc = self.procs.pop(name, None)
        if proc and proc.poll() is None:
            proc.send_signal(sig)
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
                proc.wait()

    def __enter__(self) -> Pipeline:
        return self

    def __exit__(self, *exc) -> None:
        for name in list(self.procs):
            self.stop(name)


def serve_feeds(feeds: list[DemoFeed], tmp: Path) -> tuple[FeedServer, Path]:
    server = FeedServer(feeds).start()
    return server, write_feeds_yaml(feeds, server, tmp / "feeds.yaml")


@dataclass
class SeedsSetup:
    settings: Settings
    feeds_yaml: Path
    receiver: WebhookReceiver
    env: dict[str, str]  # for Pipeline(settings, tmp, **env)


@contextmanager
def seeds_setup(stack: Settings, tmp: Path, rules_yaml: str) -> Iterator[SeedsSetup]:
    """What every "seeds through the real pipeline" test starts from: a fresh namespace,
    the rules written to a file, the seed feed served over HTTP and a webhook receiver
    that checks signatures; stopped again afterwards."""
    settings = fresh_namespace(stack)
    rules = tmp / "rules.yaml"
    rules.write_text(rules_yaml, encoding="utf-8")
    server, feeds_yaml = serve_feeds([seed_feed()], tmp)
    secret = secrets.token_hex(16)
    receiver = WebhookReceiver(secret=secret)
    receiver.start()
    env = {
        "MARSAD_RULES_PATH": str(rules),
        "MARSAD_FEEDS_PATH": str(feeds_yaml),
        "MARSAD_WEBHOOK_SECRET": secret,
        "MARSAD_DEMO_RECEIVER_PORT": str(receiver.port),
    }
    try:
        yield SeedsSetup(settings, feeds_yaml, receiver, env)
    finally:
        receiver.stop()
        server.stop()


def read_topic(settings: Settings, topic: str) -> list[bytes]:
    return read_to_end(settings, topic)


def wait_until(
    predicate: Callable[[], bool],
    timeout_s: float,
    what: str,
    interval: float = 0.2,
    explain: Callable[[], str] | None = None,
) -> None:
    """Poll ``predicate``; on timeout fail with ``what`` and, if given, ``explain()`` (the
    state a rare failure needs to be understood after the processes are gone)."""
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if predicate():
            return
        time.sleep(interval)
    details = f"\n{explain()}" if explain else ""
    raise AssertionError(f"timed out after {timeout_s:.0f}s waiting for {what}{details}")


DEMO_CHANNELS = DEMO_DIR / "channels.yaml"
