"""The dedupe store in Redis, shared by every worker: one Lua call per lookup and one per
insert (``lua/lookup.lua``, ``lua/insert.lua``), each reading every hash it needs with one
command. The structure is described in store.py.

Keys (all under "<prefix>dedupe:", so this targets one Redis server, not a Cluster):
  meta   hash  head (next sequence number), tail (oldest that may still be stored),
         sweepcur (the HSCAN cursor of the cells' sweep), plainanchors (until when anchors
         may still sit where versions before the anchor mix filed them: ``lua/anchor_mix.lua``)
  rec    hash  seq -> inserted-at (8-byte double) + StoredArticle bytes
  keys   hash  seq -> inserted-at + story slot (8) (versions before lazy eviction also
         listed the article's cells after them; they are not read)
  cells  hash  cell (CELL_WIDTH) -> entries (ENTRY_WIDTH: fingerprint, seq), newest first;
         an evicted article's entries (seq below tail: always a cell's last) stay until
         their cell is next written or swept, and lookups skip them
  story  hash  story slot -> articles stored (4 bytes) + 4-byte hashes of its feeds
  df0, df1  hash  term hash (4 bytes) -> stored articles holding the term (two halves;
         meta also holds dfhalf, the half being counted, and dfn0/dfn1, their articles)
  outlets  hash  story slot -> 12-byte entries: outlet hash (4), first seen (big-endian double)
  onames   hash  outlet hash -> outlet name
A seq is the sequence number as 4 bytes (mod 2^32: a window never holds that many).
Eviction is lazy: an evicted article's record, keys entry and story membership go at
once, its cell entries when an insert next writes their cell, or when the sweep (an
HSCAN of SWEEP_CELLS cells for each seq leaving the window) reaches it.
Entries are cut by position (any byte may occur in them), found with a plain
string.find whose hit must also sit at the entry's alignment. Every key expires a
window after the last insert, so an idle store empties itself.
"""

from __future__ import annotations

import functools
import math
import struct
import time
from collections.abc import Callable, Iterable
from typing import Any

import redis

from streams.dedupe.cells import CELL_WIDTH, article_slot, cell_sections, exact_key, exact_keys, feed_hash
from streams.dedupe.scripts import ScriptCaller, lua_script
from streams.dedupe.store import (
    ANCHOR_TAG,
    DUP_KEY_WEIGHT,
    ID_TAG,
    Lookup,
    LookupResult,
    Outlet,
    StoredArticle,
    StoreLimits,
    StoryState,
)

_STAMP = struct.Struct(">d")
# Cells the sweep visits for each article evicted. A full store holds about 8.6 cells per
# stored article (measured at 80,000), so every cell is visited once per ~2 turnovers of
# max_signatures articles: that bounds the dead entries of cells no insert writes any more.
# Most cells are written far more often (about 5 times a turnover), which is what keeps
# dead entries at about 18 % of the live ones; a faster sweep would cost what eager
# eviction cost.
SWEEP_CELLS = 4
# Stored records read back, the most recently used kept parsed, keyed by their bytes
# (inserted-at + record): a record is written once and never changed, and what is kept is
# what those bytes say, so it cannot go stale. A lookup returns ~24 candidates and
# consecutive articles meet mostly the same ones; docs/performance.md says what this saves
# and costs.
RECORD_MEMO = 1024


def _read_record(stamped: bytes) -> StoredArticle:
    return StoredArticle.from_bytes(stamped[8:])  # after inserted-at


class RedisDedupeStore:
    """Dedupe state in Redis under ``prefix`` (e.g. "marsad:"), shared by all workers."""

    def __init__(
        self,
        client: redis.Redis,
        prefix: str,
        limits: StoreLimits | None = None,
        clock: Callable[[], float] = time.time,
    ) -> None:
        self.client = client
        self.prefix = prefix
        self.limits = limits or StoreLimits()
        self._clock = clock
        base = f"{prefix}dedupe:"
        names = ("meta", "rec", "keys", "cells", "story", "df0", "df1", "outlets", "onames")
        self.keys = {name: f"{base}{name}" for name in names}
        self._lookup_keys = [self.keys[name] for name in ("rec", "cells", "meta", "df0", "df1")]
        self._insert_keys = [self.keys[name] for name in names]
        self._join_keys = [self.keys[name] for name in ("story", "outlets", "onames")]
        self._lookup = client.register_script(lua_script("lookup"))
        self._insert = client.register_script(lua_script("insert"))
        self._join_story = client.register_script(lua_script("join_story"))
        self._anchor_mix = client.register_script(lua_script("anchor_mix"))
        self._call = ScriptCaller(client)
        # the sections of the last lookup's keys: record() of the same query reuses them
        self._last: tuple[Lookup, tuple[bytes, bytes, bytes]] | None = None
        self._plain_anchors_until: float | None = None  # read from meta on first use
        self._read_record = functools.lru_cache(maxsize=RECORD_MEMO)(_read_record)

    def _reads_plain_anchors(self) -> bool:
        """Whether a lookup must also read anchors where versions before the anchor mix
        (``cells.ANCHOR_MIX``) filed them: for one window after the first worker of this
        version met a store that already held articles. Those articles stay findable by
        their anchors (a copy inside a longer text has no band in common with it) until
        the window removes them; inserts file only the mixed cells."""
        until = self._plain_anchors_until
        if until is None:
            reply = self._call(self._anchor_mix, [self.keys["meta"]], [self._clock(), self.limits.window_seconds])
            until = self._plain_anchors_until = float(reply)
        return self._clock() < until

    def _sections(self, query: Lookup) -> tuple[bytes, bytes, bytes]:
        """The cells of the query's exact keys and buckets, in order, then (while the store
        may hold them) the cells of its anchors as filed before the anchor mix."""
        last = self._last
        # the lookup's query, or the same keys filed (a near copy's insert: core.filed_copy)
        if last is not None and _same_keys(last[0], query):
            return last[1]
        sections = cell_sections([*exact_keys(query), *query.buckets], self.limits)
        if self._reads_plain_anchors():
            anchors = [key for key in query.buckets if key[0] == ANCHOR_TAG]
            if anchors:
                plain = cell_sections(anchors, self.limits, plain_anchors=True)
                sections = (sections[0] + plain[0], sections[1] + plain[1], sections[2] + plain[2])
        self._last = (query, sections)
        return sections

    def close(self) -> None:
        """Give the store's connection back (it is reopened on the next call)."""
        self._call.close()

    def lookup(self, query: Lookup) -> LookupResult:
        limits = self.limits
        nexact = bool(query.url_key) + bool(query.content_key)
        sections = self._sections(query)
        found, df, docs = self._call(
            self._lookup,
            self._lookup_keys,
            [
                self._clock(),
                limits.window_seconds,
                limits.max_candidates,
                nexact,
                len(sections[2]),  # keys looked up: one byte each in the last section
                CELL_WIDTH,
                b"".join(sections),
                b"".join(query.read),
                DUP_KEY_WEIGHT,
            ],
        )
        records = [self._read_record(r) if r else None for r in found]
        url_match = content_match = None
        position = 0
        if query.url_key:
            url_match = records[position]
            position += 1
        if query.content_key:
            content_match = records[position]
            position += 1
        return LookupResult(url_match, content_match, [r for r in records[position:] if r is not None], df, docs)

    def _insert_args(self, article: StoredArticle, query: Lookup, outlet: Outlet | None = None) -> list[Any]:
        limits = self.limits
        # the article's id first (the script's replay check), then the lookup's keys that
        # it is filed under: its exact keys and the leading ``query.index`` buckets
        own = cell_sections([exact_key(ID_TAG, article.id)], limits)
        cells, fingerprints, keep = self._sections(query)
        # (the pre-mix anchor cells a lookup may add come after every bucket: never filed)
        exact = bool(query.url_key) + bool(query.content_key)
        filed = exact + (len(query.buckets) if query.index is None else query.index)
        n = 1 + filed
        blob = b"".join((own[0], cells[: CELL_WIDTH * filed], own[1], fingerprints[: 4 * filed], own[2], keep[:filed]))
        return [
            self._clock(),
            limits.window_seconds,
            limits.max_signatures,
            limits.sweep,
            math.ceil(limits.window_seconds) + 1,
            article.to_bytes(),
            article_slot(article.story_id),
            feed_hash(article.feed),
            n,
            CELL_WIDTH,
            blob,
            limits.max_cell_entries,
            limits.max_story_feeds,
            b"".join(query.terms),
            limits.df_docs,
            *_outlet_args(outlet),
            limits.max_story_outlets,
            SWEEP_CELLS,
        ]

    def record(self, article: StoredArticle, query: Lookup) -> int:
        return self.insert(article, query).sources

    def insert(self, article: StoredArticle, query: Lookup, outlet: Outlet | None = None) -> StoryState:
        reply = self._call(self._insert, self._insert_keys, self._insert_args(article, query, outlet))
        return _story_state(reply, outlet)

    def record_many(self, items: Iterable[tuple[StoredArticle, Lookup]], batch: int = 1000) -> None:
        pipe = self.client.pipeline(transaction=False)
        pending = 0
        for article, query in items:
            self._insert(keys=self._insert_keys, args=self._insert_args(article, query), client=pipe)
            pending += 1
            if pending >= batch:
                pipe.execute()
                pending = 0
        if pending:
            pipe.execute()

    def join_story(self, story_id: str, feed: str) -> int:
        return self.join(story_id, feed).sources

    def join(self, story_id: str, feed: str, outlet: Outlet | None = None) -> StoryState:
        reply = self._call(
            self._join_story,
            self._join_keys,
            [
                article_slot(story_id),
                feed_hash(feed),
                self.limits.max_story_feeds,
                *_outlet_args(outlet),
                self.limits.max_story_outlets,
            ],
        )
        return _story_state(reply, outlet)


def _same_keys(a: Lookup, b: Lookup) -> bool:
    """Whether two queries have the same exact keys and buckets (whatever their terms)."""
    return a is b or (a.buckets is b.buckets and a.url_key == b.url_key and a.content_key == b.content_key)


def _outlet_args(outlet: Outlet | None) -> list[bytes]:
    """An outlet as the scripts take it: its 4-byte hash, first seen, name (or empties)."""
    if outlet is None:
        return [b"", b"", b""]
    return [feed_hash(outlet.name), _STAMP.pack(outlet.first_seen), outlet.name.encode()]


def _story_state(reply: list[Any], outlet: Outlet | None) -> StoryState:
    """A script's {sources, outlet entries, outlet names} as a StoryState."""
    sources, entries, names = reply
    outlets = [
        Outlet(name.decode() if name else "?", _STAMP.unpack_from(entries, at + 4)[0])
        for at, name in zip(range(0, len(entries), 12), names)
    ]
    if not outlets and outlet is not None:  # the story left the window since the lookup
        outlets = [outlet]
    outlets.sort(key=lambda o: (o.first_seen, o.name))
    return StoryState(int(sources), tuple(outlets))
