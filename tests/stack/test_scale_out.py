"""Scale-out on the real stack: two workers in one consumer group share the partitions,
and when one leaves the other takes over without losing an article."""

from __future__ import annotations

import re

import httpx
import pytest
from kafka import KafkaProducer

from bench.generate import generate
from kernel.kafka import wait_for_group
from kernel.messages import Article, RawArticle
from kernel.metrics import sample_value
from marsad.stack import free_port
from tests.support.pipeline import Pipeline, read_topic, wait_until
from tests.support.stack import fresh_namespace

pytestmark = pytest.mark.stack


def _processed(port: int) -> float:
    try:
        text = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
    except httpx.HTTPError:
        return 0.0
    return sample_value(text, 'marsad_stage_processed_total{stage="normalize"}') or 0.0


# Lines of a Faust worker's log that tell where its consumer group stands, and trouble.
_TELLING = re.compile(
    r"rebalanc|Revoking|newly assigned|Seek stream|Resuming|Worker ready|generation|"
    r"WARNING|ERROR|Traceback|Stopping|Error",
    re.I,
)


def _worker_state(pipe: Pipeline, ports: dict[str, int]) -> str:
    """What each worker says about itself: processed count, the consumer lag it samples on
    the raw topic, and its log's group and error lines."""
    parts = []
    for name, port in ports.items():
        try:
            metrics = httpx.get(f"http://127.0.0.1:{port}/metrics", timeout=2).text
            lag = [
                line
                for line in metrics.splitlines()
                if line.startswith("marsad_kafka_consumer_lag") and ".articles.raw" in line
            ]
        except httpx.HTTPError as exc:
            lag = [f"(metrics unreachable: {exc})"]
        lines = pipe.log(name).splitlines()
        log_tail = [line for line in lines if _TELLING.search(line)][-30:] + ["…"] + lines[-5:]
        parts.append(
            f"--- {name}: processed {_processed(port):.0f}; running {name in pipe.procs}\n" + "\n".join(lag + log_tail)
        )
    return "\n".join(parts)


def _articles(settings) -> set[str]:
    return {Article.from_bytes(v).id for v in read_topic(settings, settings.topic_articles)}


def _publish(producer: KafkaProducer, settings, batch: list[RawArticle]) -> None:
    for raw in batch:
        producer.send(settings.topic_raw, key=raw.id.encode(), value=raw.to_bytes())
    producer.flush()


def test_two_workers_share_partitions_and_one_takes_over(stack, tmp_path) -> None:
    settings = fresh_namespace(stack, partitions=4)
    rules = tmp_path / "rules.yaml"
    rules.write_text("id: invasion\ntitle: Invasion\nwhen:\n  terms: [غزو]\n", encoding="utf-8")
    ports = {"worker-a": free_port(), "worker-b": free_port()}
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    articles = generate(600, seed=31, with_term="غزو", term_every=5)
    with Pipeline(settings, tmp_path, MARSAD_RULES_PATH=str(rules)) as pipe:
        for name, port in ports.items():
            pipe.env["MARSAD_WORKER_METRICS_PORT"] = str(port)
            pipe.start(name, "worker")
        group = f"{settings.namespace}-worker"
        # Stable with both members: the partitions are shared out before the first article
        # (with only "two members" seen, the first worker could still own all of them).
        wait_for_group(settings, group, timeout_s=120, members=2)

        def wait_for_articles(count: int, timeout_s: float, what: str) -> None:
            wait_until(
                lambda: len(_articles(settings)) >= count, timeout_s, what, explain=lambda: _worker_state(pipe, ports)
            )

        _publish(producer, settings, articles[:300])
        wait_for_articles(300, 120, "the first 300 articles")
        # Both workers did part of the work: the partitions are shared.
        assert _processed(ports["worker-a"]) > 0 and _processed(ports["worker-b"]) > 0, _worker_state(pipe, ports)
        assert _processed(ports["worker-a"]) + _processed(ports["worker-b"]) >= 300

        # worker-b leaves in the middle of the second half; worker-a takes over its partitions.
        _publish(producer, settings, articles[300:450])
        pipe.stop("worker-b")
        _publish(producer, settings, articles[450:])
        wait_for_articles(600, 180, "all 600 articles after the takeover")
        assert pipe.procs["worker-a"].poll() is None
    producer.close()
    assert _articles(settings) == {a.id for a in articles}
