"""Hot reload on the real stack: a rule set pushed to the compacted rules topic is applied
by the running worker within seconds, and an invalid set never replaces the running one."""

from __future__ import annotations

import time

import orjson
import pytest
from kafka import KafkaProducer

from kernel.messages import AlertEvent, RawArticle, RuleSetMessage, article_id
from tests.support.pipeline import Pipeline, read_topic, wait_until
from tests.support.stack import fresh_namespace

pytestmark = pytest.mark.stack


def _publish_raw(settings, producer: KafkaProducer, n: int, title: str, text: str) -> str:
    aid = article_id("reload-test", f"item-{n}")
    raw = RawArticle(
        id=aid,
        feed="reload-test",
        url=f"https://r.example/{n}",
        title=title,
        content=text,
        content_type="text/plain",
        language="ar",
        first_seen_at=time.time(),
    )
    producer.send(settings.topic_raw, key=aid.encode(), value=raw.to_bytes()).get(10)
    return aid


def _matched_rules(settings, aid: str) -> set[str]:
    return {
        e.rule.id
        for e in (AlertEvent.from_bytes(v) for v in read_topic(settings, settings.topic_alerts))
        if e.article.id == aid
    }


def test_push_applies_without_restart_and_invalid_sets_are_refused(stack, tmp_path) -> None:
    settings = fresh_namespace(stack)
    first = tmp_path / "first.yaml"
    first.write_text("id: tanks\ntitle: Tanks\nwhen:\n  terms: [دبابات]\n", encoding="utf-8")
    second = tmp_path / "second"
    second.mkdir()
    (second / "a.yaml").write_text("id: drones\ntitle: Drones\nwhen:\n  terms: [مسيرات]\n", encoding="utf-8")
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    with Pipeline(settings, tmp_path, MARSAD_RULES_PATH=str(first)) as pipe:
        pipe.start("worker", "worker")
        a1 = _publish_raw(settings, producer, 1, "رتل من الدبابات", "شوهدت دبابات ومسيرات قرب الحدود.")
        wait_until(lambda: _matched_rules(settings, a1) == {"tanks"}, 90, "the file rule set to match")

        pushed = pipe.run("rules", "push", str(second))
        assert pushed.returncode == 0, pushed.stdout + pushed.stderr

        # Each probe is a new article; the worker must switch within seconds.
        def switched() -> bool:
            probe = _publish_raw(
                settings, producer, int(time.time() * 1000), "مسيرات", "أسقطت الدفاعات مسيرات ودبابات."
            )
            time.sleep(1.0)
            return _matched_rules(settings, probe) == {"drones"}

        wait_until(switched, 30, "the pushed rule set to be applied", interval=0.5)

        # An invalid set published straight to the topic is refused by the worker.
        bad = RuleSetMessage(
            ruleset_version="bad", published_at=time.time(), rules=[{"id": "BAD ID!", "when": {"terms": []}}]
        )
        producer.send(settings.topic_rules, key=b"ruleset", value=bad.to_bytes()).get(10)
        time.sleep(3)
        a3 = _publish_raw(settings, producer, 3, "مسيرات", "مسيرات فوق المدينة.")
        wait_until(lambda: _matched_rules(settings, a3) == {"drones"}, 30, "the running set to stay in force")
        assert pipe.procs["worker"].poll() is None
    producer.close()
    assert "refused" in pipe.log("worker")
    # the topic keeps one live value per key after compaction; a consumer sees the latest last
    latest = read_topic(settings, settings.topic_rules)[-1]
    assert orjson.loads(latest)["ruleset_version"] == "bad"
