"""Fault injection on the real stack: a run of generated articles while the connector,
the worker and the dispatcher are SIGKILLed and restarted, Kafka and Redis are restarted
and the webhook receiver is down for a while, with an oversized article and poison
messages among them. Afterwards nothing is lost (the oversized article is published, the
poison is dead-lettered with its reason) and no alert is delivered twice under one alert_id.

CI runs 2,000 articles; MARSAD_LONG_TESTS=1 (`make test-long`) runs 10,000.
"""

from __future__ import annotations

import os
import secrets
import signal
import time
from collections import Counter

import pytest

from bench.generate import generate
from kernel import kafka as kafka_clients
from kernel.messages import DEAD_LETTER_HEADER, AlertEvent, Article, RawArticle, RawDeadLetter
from marsad import stack as local_stack
from marsad.demo_feeds import DemoFeed, FeedItem
from tests.support.pipeline import DEMO_CHANNELS, Pipeline, read_topic, serve_feeds, wait_until
from tests.support.stack import fresh_namespace

pytestmark = pytest.mark.stack

LONG = os.environ.get("MARSAD_LONG_TESTS") == "1"
N_ARTICLES = 10_000 if LONG else 2_000
N_FEEDS = 20
RULES = "id: invasion\ntitle: Invasion wording\nthrottle: 6h\nwhen:\n  terms: [غزو]\n"


def _feeds() -> list[DemoFeed]:
    articles = generate(N_ARTICLES, seed=21, with_term="غزو", term_every=4)
    feeds = []
    for f in range(N_FEEDS):
        items = [
            FeedItem(guid=a.id, link=a.url, title=a.title, body=a.content.replace("\n", "<br/>"))
            for a in articles[f::N_FEEDS]
        ]
        feeds.append(DemoFeed(f"gen-{f:02d}", f"Generated {f}", "ar", "rss", items))
    return feeds


def _unique_articles(settings) -> set[str]:
    return {Article.from_bytes(v).id for v in read_topic(settings, settings.topic_articles)}


def _stories_to_alert(settings) -> set[tuple[str, str]]:
    return {
        (e.rule.id, e.story.id) for e in (AlertEvent.from_bytes(v) for v in read_topic(settings, settings.topic_alerts))
    }


# 9 MB, the size that crashed the worker once (issue 16): more than a producer's default
# request size, less than the broker's message.max.bytes.
BIG_ARTICLE = RawArticle(
    id="big-article",
    feed="direct",
    url="https://big.example/a",
    title="تقرير مطول عن الغزو",
    content="<p>" + "تحدث المسؤولون عن الغزو والحدود والقوات في تقرير مطول. " * 160_000 + "</p>",
    first_seen_at=time.time(),
)
POISON = {b"poison-unreadable": b"this is not json {", b"poison-invalid": b'{"id": "x", "version": "1"}'}


def _publish_big_article_and_poison(settings) -> None:
    producer = kafka_clients.producer(settings, "fault-test")
    try:
        producer.send(settings.topic_raw, key=BIG_ARTICLE.id.encode(), value=BIG_ARTICLE.to_bytes()).get(timeout=30)
        for key, value in POISON.items():
            producer.send(settings.topic_raw, key=key, value=value).get(timeout=30)
    finally:
        producer.close()


def _dead_letter_reasons(settings) -> dict[bytes, str]:
    reasons = {}
    for record in kafka_clients.read_records(settings, settings.topic_raw_dlq):
        header = dict(record.headers)[DEAD_LETTER_HEADER]
        reasons[record.key] = RawDeadLetter.from_bytes(header).reason
    return reasons


def test_nothing_lost_nothing_doubled_under_faults(stack, tmp_path) -> None:
    settings = fresh_namespace(stack)
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES, encoding="utf-8")
    feeds = _feeds()
    server, feeds_yaml = serve_feeds(feeds, tmp_path)
    feeds_yaml.write_text(feeds_yaml.read_text().replace("{min: 5s, max: 60s}", "{min: 1s, max: 3s}"))
    secret = secrets.token_hex(16)
    from alerts.receiver import WebhookReceiver

    receiver = WebhookReceiver(secret=secret)
    receiver.start()
    env = {
        "MARSAD_RULES_PATH": str(rules),
        "MARSAD_WEBHOOK_SECRET": secret,
        "MARSAD_DEMO_RECEIVER_PORT": str(receiver.port),
    }
    try:
        with Pipeline(settings, tmp_path, **env) as pipe:

            def start(name: str) -> None:
                args = {
                    "connector": ("connect", "--feeds", str(feeds_yaml)),
                    "worker": ("worker",),
                    "dispatcher": ("dispatch", "--channels", str(DEMO_CHANNELS)),
                }[name]
                pipe.start(name, *args)

            for name in ("worker", "dispatcher", "connector"):
                start(name)
            wait_until(lambda: len(receiver.deliveries) >= 5, 120, "the first deliveries")
            _publish_big_article_and_poison(settings)

            for name in ("connector", "worker", "dispatcher"):
                pipe.stop(name, signal.SIGKILL)
                time.sleep(1.0)
                start(name)
                time.sleep(4.0)

            receiver.set_down(True)
            time.sleep(6.0)
            receiver.set_down(False)

            assert local_stack.stop_component(settings, "redis")
            time.sleep(2.0)
            local_stack.start_redis(settings)

            assert local_stack.stop_component(settings, "kafka")
            time.sleep(2.0)
            local_stack.start_kafka(settings, quiet=True)

            wait_until(
                lambda: len(_unique_articles(settings)) >= N_ARTICLES + 1,
                600 if LONG else 300,
                f"all {N_ARTICLES} articles on {settings.topic_articles}",
                interval=3.0,
            )
            wait_until(
                lambda: {(d["rule"]["id"], d["story"]["id"]) for d in receiver.deliveries}
                >= _stories_to_alert(settings),
                180,
                "every alert delivered",
                interval=2.0,
            )
            time.sleep(3.0)
            for name in ("worker", "dispatcher", "connector"):
                assert pipe.procs[name].poll() is None, f"{name} died:\n{pipe.log(name)[-3000:]}"
    finally:
        receiver.stop()
        server.stop()

    articles = _unique_articles(settings)
    assert len(articles) == N_ARTICLES + 1, f"{N_ARTICLES + 1 - len(articles)} articles lost"
    assert BIG_ARTICLE.id in articles
    assert _dead_letter_reasons(settings) == {b"poison-unreadable": "unreadable", b"poison-invalid": "invalid"}
    to_alert = _stories_to_alert(settings)
    delivered = {(d["rule"]["id"], d["story"]["id"]) for d in receiver.deliveries}
    assert to_alert - delivered == set(), "alerts lost"
    twice = {k: n for k, n in Counter(receiver.keys).items() if n > 1}
    assert twice == {}, f"alerts delivered twice under one alert_id: {twice}"
    assert receiver.rejected == 0
