"""When to poll a feed next: adaptive, polite and bounded. Pure functions, no I/O.

- New items arrived → poll sooner (the interval shrinks by ``SPEED_UP``).
- Nothing new (304, same body, or only known items) → poll later (grows by ``SLOW_DOWN``).
- Errors → exponential backoff from the feed's minimum (``min × 2^errors``).
Each interval stays within the feed's ``poll.min``/``poll.max`` bounds. A server's
``Retry-After`` (with 429 or 503) is honoured even beyond ``poll.max`` — the server asked —
up to a day; a 429 without one backs off like an error but never below the current interval.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from typing import Literal

from connectors.config import PollBounds

SPEED_UP = 0.5
SLOW_DOWN = 1.5
MAX_BACKOFF_EXPONENT = 16
RETRY_AFTER_CEILING = 24 * 3600.0
JITTER = 0.1  # up to +10 %, so that feeds added together do not stay in lock-step

OutcomeKind = Literal["new_items", "no_new_items", "not_modified", "error", "rate_limited"]


@dataclass(frozen=True)
class PollOutcome:
    kind: OutcomeKind
    retry_after: float | None = None  # seconds, from the server


@dataclass(frozen=True)
class Schedule:
    interval: float  # the feed's adaptive interval after this poll
    delay: float  # seconds until the next poll (interval, backoff or Retry-After)


def clamp(value: float, bounds: PollBounds) -> float:
    return min(max(value, bounds.min), bounds.max)


def backoff(errors: int, bounds: PollBounds) -> float:
    """Delay after ``errors`` consecutive failures (errors ≥ 1)."""
    exponent = min(max(errors, 1), MAX_BACKOFF_EXPONENT)
    return clamp(bounds.min * 2**exponent, bounds)


def next_schedule(
    interval: float | None, outcome: PollOutcome, bounds: PollBounds, consecutive_errors: int
) -> Schedule:
    """The adaptive interval and the delay before the next poll.

    ``interval`` is the feed's current interval (None before the first poll);
    ``consecutive_errors`` counts failures including this outcome's."""
    current = clamp(interval if interval is not None else bounds.min, bounds)
    if outcome.kind == "new_items":
        new = clamp(current * SPEED_UP, bounds)
        return Schedule(new, new)
    if outcome.kind in ("no_new_items", "not_modified"):
        new = clamp(current * SLOW_DOWN, bounds)
        return Schedule(new, new)
    delay = backoff(consecutive_errors, bounds)
    if outcome.kind == "rate_limited":
        delay = max(delay, current)
    if outcome.retry_after is not None:
        delay = max(delay, min(outcome.retry_after, RETRY_AFTER_CEILING))
    return Schedule(current, delay)


def jittered(delay: float, bounds: PollBounds, rng: random.Random | None = None) -> float:
    """``delay`` plus up to JITTER of it — never earlier than asked (a Retry-After stays
    honoured), and never beyond ``bounds.max`` unless ``delay`` itself is."""
    value = delay * (1 + (rng or random).uniform(0, JITTER))
    return value if delay >= bounds.max else min(value, bounds.max)
