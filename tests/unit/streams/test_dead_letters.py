"""What the worker cannot process is named with its reason and copied, as it was, to the
raw dead-letter topic; an article too large to publish is found out before dedupe."""

from __future__ import annotations

import asyncio
from pathlib import Path

import pytest

from kernel.messages import DEAD_LETTER_HEADER, RawArticle, RawDeadLetter
from streams import pipeline
from streams.dead_letters import RawDeadLetters, Rejected, Source, unpublishable_size
from streams.dedupe import Deduplicator, InMemoryDedupeStore
from streams.rules import load_ruleset
from streams.stage_metrics import MeasuredStages


@pytest.fixture
def stages(tmp_path: Path) -> MeasuredStages:
    rules = tmp_path / "rules.yaml"
    rules.write_text("id: tanks\ntitle: Tanks\nwhen:\n  terms: [دبابات]\n", encoding="utf-8")
    return MeasuredStages(Deduplicator(InMemoryDedupeStore()), pipeline.RuleSetHolder(load_ruleset(rules)))


def _raw(content: str, url: str = "https://x.example/1") -> RawArticle:
    return RawArticle(
        id="a1", feed="f", url=url, title="عنوان", content=content, content_type="text/plain", first_seen_at=1.0
    )


@pytest.mark.parametrize(
    ("value", "reason"),
    [
        (b"\x00not json{", "unreadable"),
        (b'{"version": "1", "feed": "f"}', "invalid"),  # no id, no first_seen_at
        (b'{"version": "9", "id": "x", "feed": "f", "first_seen_at": 1}', "invalid"),
        (b"[1, 2]", "invalid"),
    ],
)
def test_each_unusable_message_gets_its_reason(stages: MeasuredStages, value: bytes, reason: str) -> None:
    outcome = stages.normalize_or_reject(b"k", value)
    assert isinstance(outcome, Rejected) and outcome.reason == reason


def test_a_readable_article_is_not_rejected(stages: MeasuredStages) -> None:
    outcome = stages.normalize_or_reject(b"k", _raw("شوهدت دبابات قرب الحدود.").to_bytes())
    assert not isinstance(outcome, Rejected)


def test_an_article_that_could_not_be_published_is_found_before_dedupe(stages: MeasuredStages) -> None:
    limit = 1024 * 1024
    fits = _raw("كلمة " * 50_000)
    normalized = stages.normalize_or_reject(None, fits.to_bytes())
    assert not isinstance(normalized, Rejected)
    assert unpublishable_size(*normalized, limit) is None
    article, _ = asyncio.run(stages.dedupe(*normalized))
    assert len(article.to_bytes()) < limit
    # The raw record fits (~0.9 MB) but the article repeats the long URL: it could not.
    too_large = _raw("كلمة " * 50_000, url="https://x.example/" + "q" * 300_000)
    assert len(too_large.to_bytes()) < limit
    normalized = stages.normalize_or_reject(None, too_large.to_bytes())
    assert not isinstance(normalized, Rejected)
    rejected = unpublishable_size(*normalized, limit)
    assert rejected is not None and rejected.reason == "unpublishable"


def test_the_dead_letter_is_the_message_as_it_was_with_the_reason_in_a_header() -> None:
    sent: list[tuple[bytes | None, bytes, list[tuple[str, bytes]]]] = []

    async def send(key: bytes | None, value: bytes, headers: list[tuple[str, bytes]]) -> None:
        sent.append((key, value, headers))

    letters = RawDeadLetters(send, max_bytes=1024 * 1024)
    asyncio.run(letters.put(b"k1", b"\x00poison", Source("t.articles.raw", 2, 41), Rejected("unreadable", "not JSON")))
    key, value, headers = sent[0]
    assert (key, value) == (b"k1", b"\x00poison")
    letter = RawDeadLetter.from_bytes(dict(headers)[DEAD_LETTER_HEADER])
    assert (letter.reason, letter.topic, letter.partition, letter.offset, letter.value_bytes) == (
        "unreadable",
        "t.articles.raw",
        2,
        41,
        7,
    )
    # A copy that would not fit keeps the reason and the size, without the value.
    asyncio.run(letters.put(None, b"x" * 1024 * 1024, Source("t.articles.raw", 0, 1), Rejected("unpublishable", "big")))
    assert sent[1][1] == b""
    assert RawDeadLetter.from_bytes(dict(sent[1][2])[DEAD_LETTER_HEADER]).value_bytes == 1024 * 1024
