"""`marsad connect` on the real stack (Kafka + Redis from the ``stack`` fixture): each item
exactly once on the raw topic, nothing re-published after a restart, only new items
later; clear, bounded failures when Kafka or Redis is down; `marsad feeds check`."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import orjson
import pytest

from kernel.messages import RawArticle, article_id
from marsad.stack import free_port
from tests.support.http_server import LocalServer, etag_route
from tests.support.pipeline import read_topic
from tests.support.stack import child_env, fresh_namespace

pytestmark = pytest.mark.stack


def rss(items: list[tuple[str, str]]) -> bytes:
    body = "".join(
        f"<item><guid isPermaLink='false'>{guid}</guid><title>{title}</title>"
        f"<link>https://stack.example/{guid}</link><description>&lt;p&gt;{title} body&lt;/p&gt;</description></item>"
        for guid, title in items
    )
    return f"<rss version='2.0'><channel><title>S</title>{body}</channel></rss>".encode()


def connect(settings, feeds_yaml: Path, *args: str, **env: str) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "marsad", "connect", "--feeds", str(feeds_yaml), *args],
        env=child_env(settings, **env),
        capture_output=True,
        text=True,
        timeout=120,
    )


def write_feeds(tmp_path: Path, url: str, local: Path) -> Path:
    path = tmp_path / "feeds.yaml"
    path.write_text(
        "feeds:\n"
        f"  - id: http-feed\n    url: {url}\n    language: ar\n    tags: [t1]\n    poll: {{min: 1s, max: 5s}}\n"
        f"  - id: file-feed\n    url: {local.name}\n",
        encoding="utf-8",
    )
    return path


def test_items_exactly_once_across_restarts(stack, tmp_path: Path) -> None:
    settings = fresh_namespace(stack)
    items = [("a1", "غزو أول"), ("a2", "Second")]
    routes = {"/feed.xml": etag_route(rss(items))}
    local = tmp_path / "local.xml"
    local.write_bytes(rss([("l1", "Local one")]))
    with LocalServer(routes) as server:
        feeds_yaml = write_feeds(tmp_path, server.url("/feed.xml"), local)
        first = connect(settings, feeds_yaml, "--once")
        assert first.returncode == 0, first.stderr
        raw = [RawArticle.from_bytes(v) for v in read_topic(settings, settings.topic_raw)]
        assert sorted(a.id for a in raw) == sorted(
            [article_id("http-feed", "a1"), article_id("http-feed", "a2"), article_id("file-feed", "l1")]
        )
        a1 = next(a for a in raw if a.id == article_id("http-feed", "a1"))
        assert (a1.feed, a1.title, a1.language, a1.tags, a1.url) == (
            "http-feed",
            "غزو أول",
            "ar",
            ["t1"],
            "https://stack.example/a1",
        )
        assert a1.content == "<p>غزو أول body</p>" and a1.first_seen_at > time.time() - 120

        # A restart re-polls (the http feed conditionally) and publishes nothing.
        second = connect(settings, feeds_yaml, "--once")
        assert second.returncode == 0, second.stderr
        assert len(read_topic(settings, settings.topic_raw)) == 3
        assert server.requests[-1][1].get("if-none-match")

        # A new item: only it is published.
        routes["/feed.xml"] = etag_route(rss([("a3", "Third")] + items), last_modified="Mon, 23 Nov 2026 00:00:00 GMT")
        third = connect(settings, feeds_yaml, "--once")
        assert third.returncode == 0, third.stderr
        raw = [RawArticle.from_bytes(v) for v in read_topic(settings, settings.topic_raw)]
        assert len(raw) == 4 and len({a.id for a in raw}) == 4
        assert [a.id for a in raw].count(article_id("http-feed", "a3")) == 1

        check = subprocess.run(
            [sys.executable, "-m", "marsad", "feeds", "check", "--feeds", str(feeds_yaml), "--json"],
            env=child_env(settings),
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert check.returncode == 0, check.stderr
        rows = {r["feed"]: r for r in map(orjson.loads, check.stdout.splitlines())}
        assert rows["http-feed"]["status"] == "ok" and rows["http-feed"]["source"] == "state"
        assert rows["http-feed"]["items_total"] == 3 and rows["file-feed"]["items_total"] == 1


def test_long_running_connector_publishes_new_items_and_stops_on_sigterm(stack, tmp_path: Path) -> None:
    import signal

    settings = fresh_namespace(stack)
    routes = {"/feed.xml": etag_route(rss([("b1", "One")]))}
    local = tmp_path / "local.xml"
    local.write_bytes(rss([]))
    with LocalServer(routes) as server:
        feeds_yaml = write_feeds(tmp_path, server.url("/feed.xml"), local)
        proc = subprocess.Popen(
            [sys.executable, "-m", "marsad", "connect", "--feeds", str(feeds_yaml)],
            env=child_env(settings),
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        try:
            deadline = time.monotonic() + 60
            while time.monotonic() < deadline and len(read_topic(settings, settings.topic_raw)) < 1:
                time.sleep(0.5)
            routes["/feed.xml"] = etag_route(
                rss([("b2", "Two"), ("b1", "One")]), last_modified="Mon, 23 Nov 2026 00:00:00 GMT"
            )
            while time.monotonic() < deadline and len(read_topic(settings, settings.topic_raw)) < 2:
                time.sleep(0.5)
            proc.send_signal(signal.SIGTERM)
            _out, err = proc.communicate(timeout=30)
        finally:
            if proc.poll() is None:
                proc.kill()
        assert proc.returncode == 0, err
        ids = [RawArticle.from_bytes(v).id for v in read_topic(settings, settings.topic_raw)]
        # exactly once each; order across partitions is not defined
        assert sorted(ids) == sorted([article_id("http-feed", "b1"), article_id("http-feed", "b2")])


def test_kafka_or_redis_down_fails_fast_with_one_line(stack, tmp_path: Path) -> None:
    settings = fresh_namespace(stack)
    local = tmp_path / "local.xml"
    local.write_bytes(rss([("c1", "One")]))
    feeds_yaml = write_feeds(tmp_path, local.as_uri(), local)
    for name, override in (
        ("Kafka", {"MARSAD_KAFKA_BOOTSTRAP": f"127.0.0.1:{free_port()}"}),
        ("Redis", {"MARSAD_REDIS_URL": f"redis://127.0.0.1:{free_port()}/0"}),
    ):
        started = time.monotonic()
        run = connect(settings, feeds_yaml, "--once", **override)
        elapsed = time.monotonic() - started
        assert run.returncode == 3, run.stderr
        assert run.stderr.startswith(f"marsad: error: {name} is not reachable"), run.stderr
        assert "Traceback" not in run.stderr and elapsed < 20, elapsed
