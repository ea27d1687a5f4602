"""Sample rules, entities and helpers shared by the console tests (written for the tests,
not taken from the seed corpus)."""

from __future__ import annotations

import threading
import time
from dataclasses import dataclass
from pathlib import Path

import uvicorn
from kafka import KafkaProducer

from kernel.messages import (
    AlertArticle,
    AlertEvent,
    Article,
    Evidence,
    RuleRef,
    StoryRef,
)
from kernel.settings import Settings
from marsad.stack import free_port

TANKS_RULE = """\
id: tanks
title: دبابات قرب الحدود
severity: high
when:
  terms: [دبابات]
examples:
  match: ["شوهدت دبابات قرب الحدود"]
"""

KREMLIN_RULE = """\
id: kremlin
title: Kremlin statements
severity: low
when:
  entity: [kremlin]
"""

ENTITIES = """\
kremlin:
  kind: organization
  names: [الكرملين, Kremlin]
"""


def write_sample_config(root: Path) -> tuple[Path, Path]:
    rules = root / "rules"
    rules.mkdir(parents=True, exist_ok=True)
    (rules / "tanks.yaml").write_text(TANKS_RULE, encoding="utf-8")
    (rules / "kremlin.yaml").write_text(KREMLIN_RULE, encoding="utf-8")
    entities = root / "entities.yaml"
    entities.write_text(ENTITIES, encoding="utf-8")
    return rules, entities


def make_article(
    article_id: str, title: str, text: str, *, feed: str = "console-test", language: str = "ar"
) -> Article:
    now = time.time()
    return Article(
        id=article_id,
        feed=feed,
        url=f"https://news.example/{article_id}",
        title=title,
        text=text,
        language=language,
        story=StoryRef(id=article_id),
        first_seen_at=now,
        normalized_at=now,
    )


def make_alert(
    rule_id: str, article_id: str, title: str, evidence_text: str, start: int, matched_at: float | None = None
) -> AlertEvent:
    now = time.time() if matched_at is None else matched_at
    return AlertEvent(
        rule=RuleRef(id=rule_id, title=rule_id, severity="high"),
        article=AlertArticle(
            id=article_id, url=f"https://news.example/{article_id}", title=title, feed="console-test", language="ar"
        ),
        story=StoryRef(id=article_id, sources=1),
        evidence=[Evidence(leaf="terms", text=evidence_text, start=start, end=start + len(evidence_text))],
        matched_at=now,
        first_seen_at=now,
    )


def produce(settings: Settings, topic: str, items: list[tuple[bytes, bytes, int | None]]) -> None:
    """Send (key, value, timestamp_ms) records and wait for every acknowledgement."""
    producer = KafkaProducer(bootstrap_servers=settings.kafka_bootstrap, acks="all")
    try:
        for key, value, ts in items:
            producer.send(topic, key=key, value=value, timestamp_ms=ts).get(15)
    finally:
        producer.close()


@dataclass
class ServedApp:
    url: str
    server: uvicorn.Server
    thread: threading.Thread

    def stop(self) -> None:
        self.server.should_exit = True
        self.thread.join(timeout=15)


def serve_in_thread(app) -> ServedApp:
    """Run an ASGI app with uvicorn on a free port in a thread (for streaming clients)."""
    port = free_port()
    server = uvicorn.Server(uvicorn.Config(app, host="127.0.0.1", port=port, log_level="warning"))
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 20
    while not server.started:
        if time.monotonic() > deadline:
            raise RuntimeError("uvicorn did not start")
        time.sleep(0.05)
    return ServedApp(f"http://127.0.0.1:{port}", server, thread)
