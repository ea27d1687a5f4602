"""Alert delivery on the real stack: a real dispatcher process, real Kafka and Redis,
signature-verifying receivers. AlertEvents are produced straight to the alerts topic."""

from __future__ import annotations

import secrets
import signal
import time
import urllib.request
from pathlib import Path

import orjson
import pytest
from kafka import KafkaProducer

from alerts.receiver import WebhookReceiver
from alerts.tasks import DeadLetter
from kernel.messages import AlertEvent
from kernel.metrics import sample_value
from kernel.settings import Settings
from tests.support.alerts import event
from tests.support.pipeline import Pipeline, read_topic, wait_until
from tests.support.stack import fresh_namespace

pytestmark = pytest.mark.stack

FAST_RETRY = "{max_attempts: %d, max_age: %s, initial: 100ms, max: 500ms}"


def channels_file(
    tmp: Path,
    channels: list[tuple[str, WebhookReceiver, str]],
    attempts: int = 30,
    rate: float = 200,
    max_age: str = "10m",
) -> Path:
    """channels.yaml with one webhook per (id, receiver, secret env var), all default. A
    delivery is given up once it has had ``attempts`` attempts and is ``max_age`` old."""
    lines = ["channels:"]
    for cid, receiver, secret_env in channels:
        lines += [
            f"  - id: {cid}",
            "    type: webhook",
            f"    url: {receiver.url}",
            f"    secret_env: {secret_env}",
            f"    rate_per_second: {rate}",
            "    timeout: 2s",
            "    default: true",
            "    allow_networks: [loopback]",
            f"    retry: {FAST_RETRY % (attempts, max_age)}",
        ]
    path = tmp / "channels.yaml"
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def produce(settings: Settings, events: list[AlertEvent]) -> None:
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    try:
        for e in events:
            producer.send(settings.topic_alerts, key=f"{e.rule.id}:{e.story.id}".encode(), value=e.to_bytes())
        producer.flush(timeout=10)
    finally:
        producer.close()


def distinct_alerts(n: int, rule: str = "troops", at: float | None = None) -> list[AlertEvent]:
    at = time.time() if at is None else at
    return [event(rule=rule, story=f"story-{i}", article=f"article-{i}", at=at) for i in range(n)]


def metric(settings: Settings, name: str, labels: str) -> float:
    text = (
        urllib.request.urlopen(f"http://127.0.0.1:{settings.dispatcher_metrics_port}/metrics", timeout=5)
        .read()
        .decode()
    )
    return sample_value(text, f"{name}{{{labels}}}") or 0.0


@pytest.fixture()
def ns(stack) -> Settings:
    return fresh_namespace(stack)


def test_receiver_down_then_up_delivers_every_alert_once(ns: Settings, tmp_path: Path) -> None:
    secret = secrets.token_hex(16)
    receiver = WebhookReceiver(secret=secret).start()
    receiver.set_down(True)
    path = channels_file(tmp_path, [("hook", receiver, "HOOK_SECRET")])
    alerts = distinct_alerts(12)
    try:
        with Pipeline(ns, tmp_path, HOOK_SECRET=secret) as pipe:
            pipe.start("dispatcher", "dispatch", "--channels", str(path))
            produce(ns, alerts)
            wait_until(lambda: receiver.failed >= 24, 60, "every alert to fail at least twice")
            assert receiver.deliveries == []
            receiver.set_down(False)
            wait_until(lambda: len(receiver.deliveries) == 12, 60, "all 12 alerts after the receiver is up")
            time.sleep(1.5)  # nothing more may arrive
            assert receiver.raw_count == 12 and set(receiver.keys.values()) == {1}
            assert receiver.rejected == 0
            assert {d["story"]["id"] for d in receiver.deliveries} == {f"story-{i}" for i in range(12)}
            assert metric(ns, "marsad_alerts_delivered_total", 'channel="hook"') == 12
            assert metric(ns, "marsad_alerts_retried_total", 'channel="hook"') >= 24
            assert metric(ns, "marsad_end_to_end_latency_seconds_count", 'channel="hook"') == 12
            # A restarted dispatcher finds everything committed or recorded: no re-send.
            pipe.stop("dispatcher")
            pipe.start("dispatcher", "dispatch", "--channels", str(path))
            time.sleep(4)
            assert receiver.raw_count == 12
    finally:
        receiver.stop()


def test_sigkill_mid_batch_then_restart_delivers_all_none_twice(ns: Settings, tmp_path: Path) -> None:
    secret = secrets.token_hex(16)
    receiver = WebhookReceiver(secret=secret).start()
    path = channels_file(tmp_path, [("hook", receiver, "HOOK_SECRET")], rate=25)
    alerts = distinct_alerts(80)
    try:
        with Pipeline(ns, tmp_path, HOOK_SECRET=secret) as pipe:
            pipe.start("dispatcher", "dispatch", "--channels", str(path))
            produce(ns, alerts)
            wait_until(lambda: len(receiver.deliveries) >= 20, 60, "20 deliveries before the kill")
            pipe.stop("dispatcher", signal.SIGKILL)
            killed_at = len(receiver.deliveries)
            assert killed_at < 80, "the kill must land mid-batch"
            pipe.start("dispatcher", "dispatch", "--channels", str(path))
            wait_until(lambda: len(receiver.deliveries) == 80, 90, "all 80 alerts after the restart")
            time.sleep(2)
    finally:
        receiver.stop()
    keys = receiver.keys
    assert len(receiver.deliveries) == 80 and len(keys) == 80
    assert {d["story"]["id"] for d in receiver.deliveries} == {f"story-{i}" for i in range(80)}
    # Only a send whose 2xx came back in the instant before SIGKILL may arrive again; the
    # channel's 4 delivery threads bound how many were in that instant.
    repeats = sum(n - 1 for n in keys.values())
    assert repeats <= 4 and max(keys.values()) <= 2, keys.most_common(5)


def test_failing_channel_dead_letters_while_other_delivers_then_replay(ns: Settings, tmp_path: Path) -> None:
    good_secret, bad_secret = secrets.token_hex(16), secrets.token_hex(16)
    good = WebhookReceiver(secret=good_secret).start()
    bad = WebhookReceiver(secret=bad_secret).start()
    bad.set_down(True)
    # max_age 0s: the three attempts alone decide when a delivery is given up.
    path = channels_file(
        tmp_path, [("good", good, "GOOD_SECRET"), ("bad", bad, "BAD_SECRET")], attempts=3, max_age="0s"
    )
    alerts = distinct_alerts(6)
    try:
        with Pipeline(ns, tmp_path, GOOD_SECRET=good_secret, BAD_SECRET=bad_secret) as pipe:
            pipe.start("dispatcher", "dispatch", "--channels", str(path))
            produce(ns, alerts)
            wait_until(lambda: len(good.deliveries) == 6, 30, "the good channel to receive all 6")

            def dead_letters() -> list[DeadLetter]:
                return [DeadLetter.from_bytes(v) for v in read_topic(ns, ns.topic_alerts_dlq)]

            wait_until(lambda: len(dead_letters()) == 6, 60, "6 dead letters of the bad channel")
            letters = dead_letters()
            assert {letter.task.channel for letter in letters} == {"bad"}
            assert all(letter.task.attempt == 3 and "HTTP 503" in letter.reason for letter in letters)
            assert {letter.task.alert_id for letter in letters} == {d["alert_id"] for d in good.deliveries}
            assert bad.failed == 18 and bad.deliveries == []

            listed = pipe.run("dlq", "list", "--json")
            assert listed.returncode == 0, listed.stderr
            rows = [orjson.loads(line) for line in listed.stdout.splitlines()]
            assert len(rows) == 6 and all(r["task"]["channel"] == "bad" and not r["replayed"] for r in rows)
            assert pipe.run("dlq", "list", "--channel", "good").stdout.strip() == "no matching dead letters"
            table = pipe.run("dlq", "list")
            assert table.returncode == 0 and len(table.stdout.splitlines()) == 7

            bad.set_down(False)
            replay = pipe.run("dlq", "replay", "--channel", "bad", "--since", "1h")
            assert replay.returncode == 0, replay.stderr
            assert replay.stdout.strip() == ("requeued 6; already delivered 0; already replayed 0; not replayable 0")
            wait_until(lambda: len(bad.deliveries) == 6, 30, "the replayed alerts at the repaired channel")
            again = pipe.run("dlq", "replay")
            assert again.stdout.strip() == "requeued 0; already delivered 0; already replayed 6; not replayable 0"
            time.sleep(1.5)
            assert bad.raw_count == 6 and good.raw_count == 6
            assert {d["alert_id"] for d in bad.deliveries} == {d["alert_id"] for d in good.deliveries}
            assert pipe.run("dlq", "list").stdout.strip() == "dead-letter queue is empty"
            assert metric(ns, "marsad_alerts_dead_lettered_total", 'channel="bad"') == 6
            bad_since = pipe.run("dlq", "list", "--since", "yesterday")
            assert bad_since.returncode == 1 and "--since" in bad_since.stderr
    finally:
        good.stop()
        bad.stop()


def test_throttle_escalation_and_silences(ns: Settings, tmp_path: Path) -> None:
    secret = secrets.token_hex(16)
    receiver = WebhookReceiver(secret=secret).start()
    path = channels_file(tmp_path, [("hook", receiver, "HOOK_SECRET")])
    t = time.time()

    def story_event(article: str, sources: int, at: float) -> AlertEvent:
        return event(
            rule="grouped",
            story="kremlin",
            article=article,
            feed=f"feed-{article}",
            at=at,
            throttle=3600,
            sources=sources,
            escalate=[3],
        )

    try:
        with Pipeline(ns, tmp_path, HOOK_SECRET=secret) as pipe:
            added = pipe.run(
                "silence",
                "add",
                "--rule",
                "quiet-*",
                "--match",
                "feed=sahil-*",
                "--for",
                "1h",
                "--reason",
                "known drill",
            )
            assert added.returncode == 0, added.stderr
            silence_id = added.stdout.strip()
            assert len(silence_id) == 8
            listed = pipe.run("silence", "list")
            assert silence_id in listed.stdout and "known drill" in listed.stdout and "feed=sahil-*" in listed.stdout

            pipe.start("dispatcher", "dispatch", "--channels", str(path))
            produce(
                ns,
                [
                    story_event("a1", 1, t),
                    story_event("a2", 2, t + 1),
                    story_event("a3", 3, t + 2),
                    story_event("a4", 4, t + 3),
                    event(rule="quiet-rule", story="q1", article="q1", feed="sahil-news", at=t),
                    event(rule="quiet-rule", story="q2", article="q2", feed="levant-daily", at=t),
                ],
            )
            wait_until(lambda: len(receiver.deliveries) == 3, 30, "first alert, escalation, unsilenced feed")
            time.sleep(2)
            assert len(receiver.deliveries) == 3
            by_rule = {}
            for d in receiver.deliveries:
                by_rule.setdefault(d["rule"]["id"], []).append(d)
            # the channel delivers with several threads, yet one group's deliveries go out one
            # at a time, in order (alerts/lanes.py): the first alert arrives first
            first, escalation = by_rule["grouped"]
            assert first["article"]["id"] == "a1" and first["group"]["escalation_step"] == 0
            assert escalation["article"]["id"] == "a3" and escalation["group"]["escalation_step"] == 1
            assert escalation["group"]["count"] == 3 and escalation["story"]["sources"] == 3
            assert escalation["group"]["feeds"] == ["feed-a1", "feed-a2", "feed-a3"]
            assert first["alert_id"] != escalation["alert_id"]
            assert [d["story"]["id"] for d in by_rule["quiet-rule"]] == ["q2"]
            assert metric(ns, "marsad_alerts_throttled_total", 'rule="grouped"') == 2
            assert metric(ns, "marsad_alerts_silenced_total", 'rule="quiet-rule"') == 1

            expired = pipe.run("silence", "expire", silence_id)
            assert expired.returncode == 0 and silence_id in expired.stdout
            assert pipe.run("silence", "list").stdout.strip() == "no active silences"
            assert "expired" in pipe.run("silence", "list", "--all").stdout
            missing = pipe.run("silence", "expire", "nosuchid")
            assert missing.returncode == 1 and "no silence with id" in missing.stderr
            time.sleep(1.5)  # the dispatcher re-reads silences every second
            produce(ns, [event(rule="quiet-rule", story="q3", article="q3", feed="sahil-news", at=time.time())])
            wait_until(lambda: len(receiver.deliveries) == 4, 30, "the alert after the silence ended")
            assert receiver.deliveries[-1]["story"]["id"] == "q3"

            # An unreadable message is dead-lettered, not dropped, and does not stop the partition.
            producer = KafkaProducer(bootstrap_servers=ns.kafka_bootstrap, acks="all")
            producer.send(ns.topic_alerts, key=b"grouped:kremlin", value=b'{"version": "9"}').get(timeout=10)
            producer.close()
            produce(ns, [event(rule="after-poison", story="p1", article="p1", at=time.time())])
            wait_until(lambda: len(receiver.deliveries) == 5, 30, "the alert after an unreadable message")
            (letter,) = [DeadLetter.from_bytes(v) for v in read_topic(ns, ns.topic_alerts_dlq)]
            assert letter.task is None and letter.raw == '{"version": "9"}'
            assert letter.reason == "unreadable AlertEvent: ValidationError" and letter.source_topic == ns.topic_alerts
            replay = pipe.run("dlq", "replay")
            assert replay.stdout.strip() == "requeued 0; already delivered 0; already replayed 0; not replayable 1"
    finally:
        receiver.stop()


def test_dispatch_fails_fast_when_kafka_is_down(ns: Settings, tmp_path: Path) -> None:
    down = ns.model_copy(update={"kafka_bootstrap": "127.0.0.1:1"})
    secret = secrets.token_hex(8)
    receiver = WebhookReceiver(secret=secret)
    receiver.port = 18099
    path = channels_file(tmp_path, [("hook", receiver, "HOOK_SECRET")])
    with Pipeline(down, tmp_path, HOOK_SECRET=secret) as pipe:
        # A hang would raise TimeoutExpired here.
        result = pipe.run("dispatch", "--channels", str(path), timeout=60)
    assert result.returncode == 3, result.stderr
    assert "Kafka" in result.stderr and "Traceback" not in result.stderr
