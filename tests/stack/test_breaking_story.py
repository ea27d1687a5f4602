"""Breaking-story alerts end to end on the real stack: local feeds → connector → Kafka →
worker (dedupe with Redis, the shipped `breaking-story` rule) → dispatcher → signed
webhook. A synthetic burst (one story by six outlets in ten minutes, among unrelated
traffic and a story with six feeds but two outlets) gives exactly one alert.

The burst comes into a running stream (150 earlier articles of one site), as it would in
production. Into an empty stream the connector's arrival order decides whether the six
reports end in one story: a story's own reports make its words look common while the
stream knows only a dozen articles (docs/dedupe.md, "Limit: a cold stream depends on
arrival order"); shuffled, the fire split in 27 of 60 orders cold and in 0 of 60 after
150 articles, and this test failed that way once in a loaded CI run."""

from __future__ import annotations

import secrets
import time

import pytest

from alerts.receiver import WebhookReceiver
from bench.generate import generate
from kernel.kafka import producer
from kernel.messages import AlertEvent, Article
from tests.support.breaking_story import FIRE_OUTLETS, burst_articles, burst_feeds
from tests.support.pipeline import DEMO_CHANNELS, Pipeline, read_topic, serve_feeds, wait_until
from tests.support.stack import REPO_ROOT, fresh_namespace

pytestmark = pytest.mark.stack

WARM_UP = 150


def test_a_burst_gives_exactly_one_breaking_alert(stack, tmp_path) -> None:
    settings = fresh_namespace(stack)
    rules = tmp_path / "rules"
    rules.mkdir()
    (rules / "breaking.yaml").write_bytes((REPO_ROOT / "deploy/demo/rules/breaking.yaml").read_bytes())
    server, feeds_yaml = serve_feeds(burst_feeds(), tmp_path)
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
        with Pipeline(settings, tmp_path, **env) as pipe:
            pipe.start("worker", "worker")
            pipe.start("dispatcher", "dispatch", "--channels", str(DEMO_CHANNELS))

            def articles() -> list[Article]:
                return [Article.from_bytes(v) for v in read_topic(settings, settings.topic_articles)]

            # the stream before the burst: one site's everyday articles (one outlet, so none
            # of their stories is breaking), all through the worker first
            sender = producer(settings, "breaking-story-test")
            for raw in generate(WARM_UP, seed=21):
                sender.send(settings.topic_raw, key=raw.id.encode(), value=raw.to_bytes())
            sender.flush(timeout=30)
            sender.close()
            wait_until(lambda: len(articles()) >= WARM_UP, 120, "the earlier articles on the articles topic")
            connect = pipe.run("connect", "--feeds", str(feeds_yaml), "--once")
            assert connect.returncode == 0, connect.stderr
            total = WARM_UP + len(burst_articles())
            # every original is through the worker (the train's copies are dropped)
            wait_until(lambda: len(articles()) >= total - 4, 120, "the burst's originals on the articles topic")
            wait_until(lambda: len(receiver.deliveries) >= 1, 60, "the breaking alert")
            time.sleep(5)  # room for an alert that should not come
            deliveries = list(receiver.deliveries)
            events = [AlertEvent.from_bytes(v) for v in read_topic(settings, settings.topic_alerts)]
            worker_log = pipe.log("worker")
    finally:
        receiver.stop()
        server.stop()

    assert len(deliveries) == 1, [(d["rule"]["id"], d["article"]["url"]) for d in deliveries]
    [payload] = deliveries
    assert payload["rule"]["id"] == "breaking-story"
    # the alert is on the fire story, names at least five of its outlets, and the first and
    # last seen times of the story
    story = payload["story"]
    names = [o["name"] for o in story["outlets"]]
    assert len(names) >= 5 and set(names) <= set(FIRE_OUTLETS), names
    assert story["first_seen"] == story["outlets"][0]["first_seen"]
    assert story["last_seen"] == story["outlets"][-1]["first_seen"]
    assert payload["article"]["url"].startswith("https://fire")
    # matches after the first fold into its group; nothing else matched
    assert events and {e.story.id for e in events} == {story["id"]}, worker_log[-2000:]
