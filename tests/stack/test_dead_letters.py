"""Nothing the worker gives up on is lost silently (issue 16, item 1), on the real stack:
poison JSON, a message that is not a RawArticle and an article too large to publish go to
the raw dead-letter topic with their reason; the oversized article leaves no duplicate
decision behind; `marsad dlq list/replay --articles` show and republish them; and the
connector cuts a huge article to the size cap instead of failing on it."""

from __future__ import annotations

import time

import orjson
import pytest

from connectors.publisher import Publisher
from kernel.kafka import producer, read_records
from kernel.messages import DEAD_LETTER_HEADER, Article, RawArticle, RawDeadLetter, article_id
from tests.support.pipeline import Pipeline, read_topic, wait_until
from tests.support.stack import fresh_namespace

pytestmark = pytest.mark.stack

LIMIT = 1024 * 1024  # the worker's record limit here, below the broker's 16 MiB
TEXT = "أعلنت وزارة الدفاع أن قوات إضافية وصلت إلى المنطقة الحدودية صباح اليوم. " * 5000  # ~0.65 MB as JSON


def _raw(n: int, url: str, text: str = TEXT) -> RawArticle:
    return RawArticle(
        id=article_id("dlq-test", f"item-{n}"),
        feed="dlq-test",
        url=url,
        title="قوات إضافية على الحدود",
        content=text,
        content_type="text/plain",
        language="ar",
        first_seen_at=time.time(),
    )


def _dead_letters(settings) -> list[RawDeadLetter]:
    return [
        RawDeadLetter.from_bytes(dict(r.headers)[DEAD_LETTER_HEADER])
        for r in read_records(settings, settings.topic_raw_dlq)
    ]


def _articles(settings) -> dict[str, Article]:
    return {a.id: a for a in (Article.from_bytes(v) for v in read_topic(settings, settings.topic_articles))}


def test_what_the_worker_cannot_process_is_dead_lettered_and_replayable(stack, tmp_path) -> None:
    settings = fresh_namespace(stack, kafka_max_message_bytes=LIMIT)
    rules = tmp_path / "rules.yaml"
    rules.write_text("id: troops\ntitle: Troops\nwhen:\n  terms: [قوات]\n", encoding="utf-8")
    # The injector may write records up to the broker's limit.
    injector = producer(stack.model_copy(update={"namespace": settings.namespace}), "injector")
    # Its record fits (~0.95 MB), but the article repeats the long URL (canonical URL): it would not.
    oversized = _raw(1, "https://dlq.example/" + "q" * 300_000)
    copy = _raw(2, "https://other.example/2")  # the same text, later, from another outlet
    fine = _raw(3, "https://dlq.example/3", "خبر قصير عن قوات على الحدود.")
    assert len(oversized.to_bytes()) < LIMIT
    with Pipeline(settings, tmp_path, MARSAD_RULES_PATH=str(rules)) as pipe:
        pipe.start("worker", "worker")
        for key, value in (
            (b"poison", b"\x00\xff{not json"),
            (b"invalid", orjson.dumps({"version": "1", "feed": "dlq-test", "title": "no id"})),
            (oversized.id.encode(), oversized.to_bytes()),
            (fine.id.encode(), fine.to_bytes()),
        ):
            injector.send(settings.topic_raw, key=key, value=value).get(timeout=10)
        wait_until(lambda: len(_dead_letters(settings)) >= 3, 90, "three dead letters")
        wait_until(lambda: fine.id in _articles(settings), 30, "the readable article")
        assert sorted(d.reason for d in _dead_letters(settings)) == ["invalid", "unpublishable", "unreadable"]

        # No duplicate decision was stored for the article that was never published.
        injector.send(settings.topic_raw, key=copy.id.encode(), value=copy.to_bytes()).get(timeout=10)
        wait_until(lambda: copy.id in _articles(settings), 30, "the later copy of the oversized article")
        assert _articles(settings)[copy.id].duplicate_of is None
        assert oversized.id not in _articles(settings)

        listed = pipe.run("dlq", "list", "--articles", "--json")
        assert listed.returncode == 0, listed.stderr
        entries = [orjson.loads(line) for line in listed.stdout.splitlines()]
        assert sorted(e["reason"] for e in entries) == ["invalid", "unpublishable", "unreadable"]
        assert {e["key"] for e in entries} == {"poison", "invalid", oversized.id}

        replayed = pipe.run("dlq", "replay", "--articles")
        assert replayed.returncode == 0, replayed.stderr
        assert "republished 3" in replayed.stdout
        # Replayed as they were, they are dead-lettered again by the running worker.
        wait_until(lambda: len(_dead_letters(settings)) >= 6, 60, "the replayed messages to come back")
        again = pipe.run("dlq", "replay", "--articles")
        assert "republished 3" in again.stdout and "already replayed 3" in again.stdout
        assert pipe.procs["worker"].poll() is None, pipe.log("worker")[-3000:]
    injector.close()


def test_the_connector_cuts_a_huge_article_to_the_cap(stack) -> None:
    settings = fresh_namespace(stack)
    huge = _raw(4, "https://dlq.example/4", "<p>" + "كلمة " * 1_000_000 + "</p>")  # ~ 9 MB as JSON
    publisher = Publisher(settings, timeout_s=10.0)
    try:
        publisher.publish([huge])
    finally:
        publisher.close()
    [published] = [RawArticle.from_bytes(v) for v in read_topic(settings, settings.topic_raw)]
    assert published.id == huge.id and published.truncated
    assert len(orjson.dumps(published.content)) <= settings.article_max_bytes
    assert huge.content.startswith(published.content)
