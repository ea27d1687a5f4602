"""A Kafka outage (issue 16, item 3), on the real stack: a batch the connector was told
was not acknowledged is never delivered later behind its back (it would be published a
second time by the next poll), and the worker logs a repeated connection error once per
interval with a count, not hundreds of times a second."""

from __future__ import annotations

import re
import time
from collections import Counter

import pytest

from connectors.publisher import Publisher
from kernel.errors import PublishError
from kernel.kafka import wait_for_group
from kernel.messages import RawArticle, article_id
from marsad import stack as local_stack
from tests.support.pipeline import Pipeline, read_topic
from tests.support.stack import fresh_namespace

pytestmark = pytest.mark.stack

_PREFIX = re.compile(r"^(\[[^\]]*\]\s*)+")  # "[time] [pid] [LEVEL]" in front of a log line


def _raw(n: int) -> RawArticle:
    return RawArticle(
        id=article_id("outage-test", f"item-{n}"),
        feed="outage-test",
        url=f"https://o.example/{n}",
        title=f"خبر {n}",
        content="نص الخبر.",
        content_type="text/plain",
        first_seen_at=time.time(),
    )


def _most_repeated(log: str) -> tuple[int, str]:
    lines = [_PREFIX.sub("", line) for line in log.splitlines() if "ERROR" in line or "WARNING" in line]
    if not lines:
        return 0, ""
    line, count = Counter(lines).most_common(1)[0]
    return count, line


def test_an_unacknowledged_batch_is_not_delivered_later_and_errors_are_not_repeated(stack, tmp_path) -> None:
    settings = fresh_namespace(stack)
    rules = tmp_path / "rules.yaml"
    rules.write_text("id: x\ntitle: X\nwhen:\n  terms: [غزو]\n", encoding="utf-8")
    publisher = Publisher(settings, timeout_s=2.0)
    with Pipeline(settings, tmp_path, MARSAD_RULES_PATH=str(rules), MARSAD_LOG_REPEAT_INTERVAL_S="10") as pipe:
        pipe.start("worker", "worker")
        wait_for_group(settings, f"{settings.namespace}-worker", timeout_s=120)
        publisher.publish([_raw(0)])

        assert local_stack.stop_component(settings, "kafka")
        try:
            failed = [_raw(n) for n in range(1, 6)]
            with pytest.raises(PublishError):
                publisher.publish(failed)
            time.sleep(15.0)  # the worker keeps trying to reach Kafka meanwhile
        finally:
            local_stack.start_kafka(settings, quiet=True)
        # Long enough for the producer to deliver whatever it still held.
        time.sleep(10.0)
        _publish_once_kafka_answers(publisher, _raw(6))
        publisher.close()
        on_topic = {RawArticle.from_bytes(v).id for v in read_topic(settings, settings.topic_raw)}
        assert {_raw(0).id, _raw(6).id} <= on_topic
        assert on_topic.isdisjoint(a.id for a in failed), "a batch reported as failed was delivered anyway"

        count, line = _most_repeated(pipe.log("worker"))
        # ~30 s of trouble, one line per 10 s for each distinct message.
        assert count <= 6, f"{count} times: {line}"
        assert pipe.procs["worker"].poll() is None, pipe.log("worker")[-3000:]


def _publish_once_kafka_answers(publisher: Publisher, article: RawArticle, timeout_s: float = 90.0) -> None:
    """Publish ``article`` as soon as the restarted broker takes it: on a loaded machine its
    partitions may still have no leader for a while (each failed try is given up for good)."""
    deadline = time.monotonic() + timeout_s
    while True:
        try:
            publisher.publish([article])
            return
        except PublishError:
            if time.monotonic() > deadline:
                raise
            time.sleep(2.0)
