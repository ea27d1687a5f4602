"""Seed articles as dedupe inputs."""

from __future__ import annotations

from streams.dedupe import (
    DedupeInput,
)
from tests.support.stack import SEEDS_DIR


def seed(prefix: str) -> tuple[str, str]:
    [path] = SEEDS_DIR.glob(f"{prefix}_*.txt")
    text = path.read_text(encoding="utf-8")
    return text.splitlines()[0], text


def article(
    id: str, title: str, text: str, *, feed: str = "f", url: str = "", published: str | None = None
) -> DedupeInput:
    return DedupeInput(id=id, feed=feed, url=url, title=title, text=text, published=published, seen_at=1_700_000_000.0)
