"""When an article reported its event, and how far apart two events are: one clock for story
time gaps (dedupe), story outlets' first reports (dedupe) and the story leaf's window (rules)."""

from __future__ import annotations

from datetime import UTC, datetime


def published_time(published: str | None) -> float | None:
    """Unix seconds of an ISO 8601 published time, when it can be read. A date without a
    time of day stands for its noon, the middle of the day it names (midnight would put a
    same-day report up to 24 h away); a time without a zone is UTC."""
    if not published:
        return None
    try:
        parsed = datetime.fromisoformat(published.replace("Z", "+00:00"))
    except ValueError:
        return None
    if "T" not in published and " " not in published.strip():
        parsed = parsed.replace(hour=12)
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=UTC)
    return parsed.timestamp()


def event_time(published: str | None, seen_at: float) -> float:
    """When the article reported its event: its published time, else when it was first seen."""
    stated = published_time(published)
    return seen_at if stated is None else stated


def gap_seconds(time: float, known: bool, other: float, other_known: bool) -> float:
    """Seconds between two articles' events. A time that is only when an article was
    seen (no published time, no date in its text) is a bound: the article was published
    then or earlier, so it may be as old as a dated article seen before it. Such a pair
    counts as close (an archive replayed without dates must not split each story into
    its dated and undated reports); two seen-times are compared as they are."""
    if known == other_known:
        return abs(time - other)
    seen, dated = (time, other) if other_known else (other, time)
    return max(0.0, dated - seen)
