"""The ``story`` leaf: a story growing across outlets, with no words to match.

``story: {min_sources: 5, within: 30m}`` holds when the article's story has at least five
distinct outlets (sites, as dedupe counts them on ``StoryRef.outlets``) whose first report
falls inside the 30 minutes ending at the article's own time (its published time, else when
it was first seen, as dedupe dates outlets) — or at the story's latest first report when
that is later: reports reach the worker out of order, and the last of a burst to arrive
may be its earliest. A report arriving long after the burst is outside it. It reads a handful of numbers per article and
no text, and the common case (a story with fewer outlets than any rule asks for) costs one
comparison.
"""

from __future__ import annotations

from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import cached_property

from kernel.messages import StoryRef
from streams.event_time import event_time
from streams.rules.model import StoryLeaf

# Stories keep their first 64 outlets (streams.dedupe.store.StoreLimits.max_story_outlets),
# so a higher threshold could never be reached.
MAX_MIN_SOURCES = 64


@dataclass(frozen=True)
class StoryContext:
    """What the ``story`` leaf reads of one article: its story's outlets and its own time."""

    story: StoryRef
    published: str | None = None
    seen_at: float = 0.0
    # set to the article's time directly (tests, examples) instead of reading ``published``
    at_time: float | None = field(default=None)

    @cached_property
    def at(self) -> float:
        return self.at_time if self.at_time is not None else event_time(self.published, self.seen_at)

    @cached_property
    def first_reports(self) -> list[float]:
        """The outlets' first-report times, ascending."""
        return sorted(outlet.first_seen for outlet in self.story.outlets)

    def outlets_within(self, seconds: float) -> int:
        """Outlets whose first report falls in the ``seconds`` ending at the article's time,
        or at the latest first report when that is later."""
        times = self.first_reports
        if not times:
            return 0
        end = max(self.at, times[-1])
        return bisect_right(times, end) - bisect_left(times, end - seconds)


class StoryLeaves:
    """Every ``story`` leaf of a rule set, fired together once per article."""

    def __init__(self, leaves: Iterable[tuple[int, StoryLeaf]]) -> None:
        self.leaves = sorted(leaves, key=lambda item: item[1].min_sources)
        self.lowest = self.leaves[0][1].min_sources if self.leaves else MAX_MIN_SOURCES + 1

    def fired(self, context: StoryContext) -> list[int]:
        """The ids of the leaves that hold for ``context``."""
        if len(context.story.outlets) < self.lowest:
            return []
        return [lid for lid, leaf in self.leaves if context.outlets_within(leaf.within) >= leaf.min_sources]
