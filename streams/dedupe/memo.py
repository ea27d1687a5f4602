"""A bounded memo for dedupe's per-word and per-chunk tables."""

from __future__ import annotations

from collections.abc import Callable
from typing import Generic, TypeVar

_K = TypeVar("_K")
_V = TypeVar("_V")


class BoundedMemo(dict, Generic[_K, _V]):
    """A dict that computes missing values; emptied when it reaches ``limit`` entries, so
    memory stays bounded however large the vocabulary grows (refilling is cheap)."""

    def __init__(self, compute: Callable[[_K], _V], limit: int) -> None:
        super().__init__()
        self._compute = compute
        self._limit = limit

    def __missing__(self, key: _K) -> _V:
        if len(self) >= self._limit:
            self.clear()
        value = self[key] = self._compute(key)
        return value
