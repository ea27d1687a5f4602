"""The dedupe store in one process: ``marsad dedupe test`` and unit tests.

The Redis store's structure (store.py describes it) with one index entry per key
instead of cells; the same decisions, barring a 2^-32 fingerprint collision.
"""

from __future__ import annotations

import time
from collections import Counter
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass
from itertools import chain, repeat

from streams.dedupe.cells import exact_key, exact_keys
from streams.dedupe.store import ID_TAG, Lookup, LookupResult, Outlet, StoredArticle, StoreLimits, StoryState


@dataclass(slots=True)
class _Stored:
    inserted: float
    article: StoredArticle
    keys: list[bytes]


class InMemoryDedupeStore:
    """The Redis store's structure in one process (no sharing between workers). Keys are
    indexed one by one instead of in cells: the same decisions, barring a 2^-32
    fingerprint collision."""

    def __init__(self, limits: StoreLimits | None = None, clock: Callable[[], float] = time.time) -> None:
        self.limits = limits or StoreLimits()
        self._clock = clock
        self._head = self._tail = 0
        self._stored: dict[int, _Stored] = {}
        self._index: dict[bytes, list[int]] = {}  # key -> sequence numbers, newest first
        self._stories: dict[str, tuple[int, list[str]]] = {}  # story -> (articles stored, feeds)
        self._outlets: dict[str, dict[str, float]] = {}  # story -> outlet -> first seen
        # the two halves of the document frequencies
        self._df: tuple[Counter[bytes], Counter[bytes]] = (Counter(), Counter())
        self._df_docs = [0, 0]
        self._df_half = 0

    def __len__(self) -> int:
        return len(self._stored)

    def _live(self, seq: int, oldest: float) -> StoredArticle | None:
        stored = self._stored.get(seq)
        return stored.article if stored is not None and stored.inserted >= oldest else None

    def lookup(self, query: Lookup) -> LookupResult:
        oldest = self._clock() - self.limits.window_seconds
        exact = []
        for key in exact_keys(query):
            seqs = self._index.get(key)
            exact.append(self._live(seqs[0], oldest) if seqs else None)
        # counted in C; a Counter keeps the order of discovery, and the sort is stable, so
        # ties stay in that order (as in the Redis script); a band or anchor key counts
        # DUP_KEY_WEIGHT times (repeated, so that the counting stays in C)
        index, weight = self._index, self.limits.weight
        hits = Counter(
            chain.from_iterable(
                chain.from_iterable(repeat(index.get(key, ()), weight(key[0]))) for key in query.buckets
            )
        )
        candidates = []
        stored, limit = self._stored, self.limits.max_candidates
        for seq in sorted(hits, key=hits.__getitem__, reverse=True):
            entry = stored.get(seq)
            if entry is not None and entry.inserted >= oldest:
                candidates.append(entry.article)
                if len(candidates) >= limit:
                    break
        url_match = exact.pop(0) if query.url_key else None
        content_match = exact.pop(0) if query.content_key else None
        df = [self._df[0][term] + self._df[1][term] for term in query.read]
        return LookupResult(url_match, content_match, candidates, df, sum(self._df_docs))

    def _evict(self, seq: int) -> None:
        stored = self._stored.pop(seq, None)
        if stored is None:
            return
        for key in stored.keys:
            seqs = self._index.get(key)
            if seqs and seq in seqs:
                seqs.remove(seq)
                if not seqs:
                    del self._index[key]
        story = stored.article.story_id
        members, feeds = self._stories.get(story, (0, []))
        if members <= 1:
            self._stories.pop(story, None)
            self._outlets.pop(story, None)
        else:
            self._stories[story] = (members - 1, feeds)

    def _make_room(self, now: float) -> None:
        limits = self.limits
        evicted = 0
        while self._head - self._tail >= limits.max_signatures and evicted <= limits.sweep:
            self._evict(self._tail)
            self._tail += 1
            evicted += 1
        oldest = now - limits.window_seconds
        for _ in range(limits.sweep):
            if self._tail >= self._head:
                break
            stored = self._stored.get(self._tail)
            if stored is not None:
                if stored.inserted >= oldest:
                    break
                self._evict(self._tail)
            self._tail += 1

    def record(self, article: StoredArticle, query: Lookup) -> int:
        id_key = exact_key(ID_TAG, article.id)
        seqs = self._index.get(id_key)
        if seqs and seqs[0] in self._stored:  # a replay: stored already
            return len(self._stories.get(article.story_id, (0, []))[1]) or 1
        now = self._clock()
        self._make_room(now)
        self._count_terms(query.terms)
        seq = self._head
        self._head += 1
        keys = [id_key, *exact_keys(query), *query.filed]
        for key in keys:
            seqs = self._index.setdefault(key, [])
            keep = self.limits.keep(key[0])
            if keep:
                del seqs[keep - 1 :]
            seqs.insert(0, seq)
        self._stored[seq] = _Stored(now, article, keys)
        members, feeds = self._stories.get(article.story_id, (0, []))
        if article.feed not in feeds and len(feeds) < self.limits.max_story_feeds:
            feeds = [*feeds, article.feed]
        self._stories[article.story_id] = (members + 1, feeds)
        return len(feeds)

    def _count_terms(self, terms: Sequence[bytes]) -> None:
        if not terms:  # not a document of its own (a near copy: core.py), as in lua/insert.lua
            return
        if self._df_docs[self._df_half] >= self.limits.df_docs:
            self._df_half = 1 - self._df_half
            self._df[self._df_half].clear()
            self._df_docs[self._df_half] = 0
        self._df[self._df_half].update(dict.fromkeys(terms, 1))  # each distinct term once
        self._df_docs[self._df_half] += 1

    def record_many(self, items: Iterable[tuple[StoredArticle, Lookup]]) -> None:
        for article, query in items:
            self.record(article, query)

    def join_story(self, story_id: str, feed: str) -> int:
        return self.join(story_id, feed).sources

    def join(self, story_id: str, feed: str, outlet: Outlet | None = None) -> StoryState:
        if story_id not in self._stories:
            # its last article left the window since the lookup: nothing to join
            return StoryState(1, (outlet,) if outlet else ())
        members, feeds = self._stories[story_id]
        if feed not in feeds and len(feeds) < self.limits.max_story_feeds:
            self._stories[story_id] = (members, [*feeds, feed])
        return StoryState(len(self._stories[story_id][1]), self._add_outlet(story_id, outlet))

    def insert(self, article: StoredArticle, query: Lookup, outlet: Outlet | None = None) -> StoryState:
        sources = self.record(article, query)
        return StoryState(sources, self._add_outlet(article.story_id, outlet))

    def _add_outlet(self, story_id: str, outlet: Outlet | None) -> tuple[Outlet, ...]:
        outlets = self._outlets.setdefault(story_id, {}) if story_id in self._stories else {}
        if outlet is not None:
            seen = outlets.get(outlet.name)
            if seen is None and len(outlets) < self.limits.max_story_outlets:
                outlets[outlet.name] = outlet.first_seen
            elif seen is not None and outlet.first_seen < seen:
                outlets[outlet.name] = outlet.first_seen
        ordered = sorted(outlets.items(), key=lambda item: (item[1], item[0]))
        return tuple(Outlet(name, first) for name, first in ordered)
