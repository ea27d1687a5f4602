"""The worker's stages count and time themselves (the series dashboards read), without a
stack: the in-memory dedupe store and a rule file stand in for Redis and the rules topic."""

from __future__ import annotations

import asyncio
import time
from pathlib import Path

import pytest
import redis
from prometheus_client import REGISTRY

from kernel.messages import RawArticle, article_id
from streams import pipeline
from streams.dedupe import Deduplicator, InMemoryDedupeStore
from streams.rules import load_ruleset
from streams.stage_metrics import MeasuredStages, StageMetrics, retry_while_redis_is_down


def _sample(name: str, **labels: str) -> float:
    return REGISTRY.get_sample_value(name, labels) or 0.0


def _counts(stage: str) -> tuple[float, float, float]:
    return (
        _sample("marsad_stage_processed_total", stage=stage),
        _sample("marsad_stage_failed_total", stage=stage),
        _sample("marsad_stage_duration_seconds_count", stage=stage),
    )


def _raw(n: int, title: str, text: str) -> RawArticle:
    return RawArticle(
        id=article_id("stage-test", f"item-{n}"),
        feed="stage-test",
        url=f"https://s.example/{n}",
        title=title,
        content=text,
        content_type="text/plain",
        language="ar",
        first_seen_at=time.time(),
    )


@pytest.fixture
def stages(tmp_path: Path) -> MeasuredStages:
    rules = tmp_path / "rules.yaml"
    rules.write_text("id: tanks\ntitle: Tanks\nwhen:\n  terms: [دبابات]\n", encoding="utf-8")
    holder = pipeline.RuleSetHolder(load_ruleset(rules))
    return MeasuredStages(Deduplicator(InMemoryDedupeStore()), holder)


def test_each_stage_counts_and_times_what_it_processed(stages: MeasuredStages) -> None:
    before = {stage: _counts(stage) for stage in ("normalize", "dedupe", "match")}
    tanks_before = _sample("marsad_rule_matches_total", rule="tanks")
    raw = _raw(1, "رتل من الدبابات", "شوهدت دبابات قرب الحدود صباح اليوم.")
    normalized = stages.normalize(raw.id.encode(), raw.to_bytes())
    assert normalized is not None
    article, decision = asyncio.run(stages.dedupe(*normalized))
    assert decision.duplicate_of is None
    events = stages.match(article)
    assert [event.rule.id for event in events] == ["tanks"]
    for stage in ("normalize", "dedupe", "match"):
        processed, failed, timed = _counts(stage)
        assert (processed, failed, timed) == (before[stage][0] + 1, before[stage][1], before[stage][2] + 1), stage
    assert _sample("marsad_rule_matches_total", rule="tanks") == tanks_before + 1


def test_an_unreadable_message_is_counted_as_failed_and_skipped(stages: MeasuredStages) -> None:
    processed, failed, _ = _counts("normalize")
    assert stages.normalize(b"k", b"not json") is None
    assert _counts("normalize")[:2] == (processed, failed + 1)


def test_a_copy_is_counted_as_a_duplicate(stages: MeasuredStages) -> None:
    exact_before = _sample("marsad_duplicates_total", kind="exact")
    text = "أعلنت الحكومة اليوم خطة جديدة لإصلاح التعليم في المدارس الحكومية خلال العام المقبل."
    for n in (1, 2):
        normalized = stages.normalize(None, _raw(n, "خطة التعليم", text).to_bytes())
        assert normalized is not None
        _, decision = asyncio.run(stages.dedupe(*normalized))
    assert decision.duplicate_of is not None
    assert _sample("marsad_duplicates_total", kind="exact") == exact_before + 1


def test_redis_outages_are_waited_out_and_counted_as_dedupe_failures() -> None:
    calls: list[int] = []

    def flaky(value: int) -> int:
        calls.append(value)
        if len(calls) < 3:
            raise redis.ConnectionError("down")
        return value * 2

    failed = _counts("dedupe")[1]
    assert asyncio.run(retry_while_redis_is_down(StageMetrics("dedupe"), flaky, 21)) == 42
    assert calls == [21, 21, 21]
    assert _counts("dedupe")[1] == failed + 2
