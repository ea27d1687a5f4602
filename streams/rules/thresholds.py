"""The quantity leaves of one unit class, arranged so that the leaves an article's values
fire are found without testing every leaf against every value."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Iterable

from streams.rules.model import QuantityLeaf


class QuantityThresholds:
    """Quantity leaves of one unit. Most have a lower bound only ("at least 50,000 troops"):
    those fire exactly when the article's largest value reaches their bound, so they are
    kept sorted by it; the few with an upper bound are tested one by one."""

    __slots__ = ("mins", "min_leaves", "bounded")

    def __init__(self, leaves: Iterable[tuple[int, QuantityLeaf]]) -> None:
        leaves = list(leaves)
        lower_only = sorted(
            (
                (leaf.min if leaf.min is not None else float("-inf"), lid, leaf)
                for lid, leaf in leaves
                if leaf.max is None
            ),
            key=lambda item: (item[0], item[1]),
        )
        self.mins = [bound for bound, _, _ in lower_only]
        self.min_leaves = [(lid, leaf) for _, lid, leaf in lower_only]
        self.bounded = [(lid, leaf) for lid, leaf in leaves if leaf.max is not None]

    def fired(self, values: list[float]) -> list[tuple[int, QuantityLeaf]]:
        """The leaves (id, leaf) some of ``values`` satisfies."""
        if not values:
            return []
        fired = self.min_leaves[: bisect_right(self.mins, max(values))]
        for lid, leaf in self.bounded:
            if any(map(leaf.accepts, values)):
                fired.append((lid, leaf))
        return fired
