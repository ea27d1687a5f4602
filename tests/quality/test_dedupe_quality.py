"""Duplicate detection quality on the generated corpus: precision, recall and F1 of
duplicate decisions, per edit kind, at the default configuration."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from streams.dedupe import DedupeConfig, DedupeInput, Deduplicator, InMemoryDedupeStore
from tests.support.dedupe_corpus import EVENTS, SAME_ENTITIES, Report, edits


@dataclass(frozen=True)
class Item:
    article: DedupeInput
    group: str  # the report this article is (a copy of)
    kind: str  # "original" or the edit kind


def build_stream(seed: int = 7) -> list[Item]:
    rng = random.Random(seed)
    reports: list[Report] = [r for pair in EVENTS for r in pair] + [r for _, r in SAME_ENTITIES]
    originals = [
        Item(
            DedupeInput(
                id=r.key,
                feed=f"outlet-{i % 5}",
                url=f"https://outlet{i % 5}.example/{r.key}",
                title=r.title,
                text=r.text,
                published=r.published,
            ),
            r.key,
            "original",
        )
        for i, r in enumerate(reports)
    ]
    copies: list[Item] = []
    for r in reports:
        for kind, (title, text) in edits(r, rng).items():
            copies.append(
                Item(
                    DedupeInput(
                        id=f"{r.key}~{kind}",
                        feed=f"copier-{rng.randrange(9)}",
                        url=f"https://copier.example/{r.key}/{kind}",
                        title=title,
                        text=text,
                        published=r.published,
                    ),
                    r.key,
                    kind,
                )
            )
    rng.shuffle(copies)
    return originals + copies


@dataclass
class Score:
    tp: int = 0
    fp: int = 0
    fn: int = 0

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 1.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 1.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0


def evaluate(config: DedupeConfig, stream: list[Item]) -> tuple[Score, dict[str, Score], list[str]]:
    deduplicator = Deduplicator(InMemoryDedupeStore(config.store_limits()), config)
    group_of = {item.article.id: item.group for item in stream}
    total, by_kind, errors = Score(), {}, []
    for item in stream:
        decision = deduplicator.process(item.article)
        kind_score = by_kind.setdefault(item.kind, Score())
        is_copy = item.kind != "original"
        predicted = decision.duplicate_of
        for score in (total, kind_score):
            if predicted is not None and is_copy and group_of[predicted] == item.group:
                score.tp += 1
            else:
                if predicted is not None:
                    score.fp += 1
                if is_copy:
                    score.fn += 1
        if (predicted is not None) != is_copy or (predicted and group_of[predicted] != item.group):
            errors.append(f"{item.article.id}: duplicate_of={predicted} similarity={decision.similarity}")
    return total, by_kind, errors


def test_duplicate_f1_on_generated_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    stream = build_stream()
    total, by_kind, errors = evaluate(DedupeConfig(), stream)
    with capsys.disabled():
        print(
            f"\ndedupe quality: {len(stream)} articles, precision {total.precision:.3f} "
            f"recall {total.recall:.3f} F1 {total.f1:.3f}"
        )
        for kind, score in sorted(by_kind.items()):
            print(f"  {kind:12s} tp={score.tp:3d} fp={score.fp:2d} fn={score.fn:2d}")
        for error in errors:
            print("  miss:", error)
    assert total.f1 >= 0.95
    assert by_kind["original"].fp == 0, "a rewrite or another event was called a duplicate"


def test_every_edit_kind_is_detected_for_most_reports() -> None:
    _, by_kind, _ = evaluate(DedupeConfig(), build_stream(seed=3))
    for kind, score in by_kind.items():
        if kind != "original":
            assert score.recall >= 0.9, (kind, score)
