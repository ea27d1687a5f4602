"""Where dedupe keeps what it has seen: exact keys, LSH buckets, signatures, story sources.

One structure serves the whole window (no generations), so a lookup reads the same
fixed set of fields however many articles are stored:

* Every stored article gets the next *sequence number*. The window is a ring of
  sequence numbers: an insert first evicts the oldest article when ``max_signatures``
  are stored, then up to ``sweep`` further articles older than ``window_seconds`` (a
  bounded sweep from the oldest end), so memory is bounded by count and by time and no
  call ever scans the store. Lookups also skip an article older than the window that
  the sweep has not reached yet, so decisions do not depend on when the sweep runs.
* Every *key* an article is filed under (a band of its MinHash signature, a story term,
  its canonical URL, its content hash, its id) is one entry of 8 bytes in a *cell*: a
  field of one hash holding the entries of many keys (a 32-bit fingerprint of the key,
  then the article's sequence number). A key's cell and fingerprint are derived from
  its 64-bit hash; the number of cells grows with ``max_signatures`` so that a full
  window holds about ``cell_load`` entries per cell. One hash field per key would cost
  ~70 bytes of Redis bookkeeping for each of an article's ~43 keys; a shared cell costs
  that once for ~8 entries (measured: ~2.3 KB per stored article in all, against ~4.2 KB
  for the former generations of per-key fields).
* An article is removed exactly: its record, its entry in each of its cells (it keeps
  the list of its cells for that) and its membership of its story.
* A story's sources are kept while any of its articles is stored: once none is, no
  later article can join it anyway (joining goes through a stored article).
* Document frequencies of story terms (stories.py) are counted for every stored article
  in two halves of ``df_docs`` articles; when the current half is full the older one is
  emptied and counting moves there. A lookup reads the frequencies it is asked for.

How many entries one key keeps: a band keeps every article (a duplicate is never
stored, so bands rarely repeat), a story term keeps its ``bucket_size`` newest articles
(common words would otherwise fill their cells), and an exact key (URL, content, id)
keeps its newest.

``RedisDedupeStore`` keeps it in Redis (shared by every worker): one Lua call per lookup
and one per insert, each reading every hash it needs with one command.
``InMemoryDedupeStore`` keeps the same structure in process (keys instead of cells), for
``marsad dedupe test`` and unit tests; both decide alike.
"""

from __future__ import annotations

import hashlib
import math
import struct
import threading
import time
from collections import Counter
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import chain, repeat
from typing import Protocol

import numpy as np
import redis

from streams.dedupe.lsh import KEY_WIDTH
from streams.dedupe.stories import EMPTY_PROFILE, PROMINENT_TERMS, StoryProfile


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """What is kept of an article that was not a duplicate."""

    id: str
    feed: str
    story_id: str
    event_time: float  # published time when known, else when it was seen (unix seconds)
    shingle_count: int
    signature: np.ndarray  # uint32 MinHash signature of the dedupe shingles
    profile: StoryProfile = EMPTY_PROFILE  # its story vector (stories.py)

    # event time, shingle count, then the UTF-8 lengths of id, feed and story id (a story
    # id equal to the id, as for every article that starts a story, is not repeated)
    _HEADER = struct.Struct("<dIIII")
    _SAME = 0xFFFFFFFF

    def to_bytes(self) -> bytes:
        id_, feed = self.id.encode(), self.feed.encode()
        story = b"" if self.story_id == self.id else self.story_id.encode()
        header = self._HEADER.pack(
            self.event_time,
            self.shingle_count,
            len(id_),
            len(feed),
            self._SAME if self.story_id == self.id else len(story),
        )
        return b"".join((header, id_, feed, story, self.profile.to_bytes(), self.signature.astype("<u4").tobytes()))

    @classmethod
    def from_bytes(cls, data: bytes) -> StoredArticle:
        event_time, shingles, n_id, n_feed, n_story = cls._HEADER.unpack_from(data)
        at = cls._HEADER.size
        id_ = data[at : at + n_id].decode()
        at += n_id
        feed = data[at : at + n_feed].decode()
        at += n_feed
        if n_story == cls._SAME:
            story = id_
        else:
            story = data[at : at + n_story].decode()
            at += n_story
        profile, at = StoryProfile.from_bytes(data, at)
        signature = np.frombuffer(data, dtype="<u4", offset=at).astype(np.uint32)
        return cls(id_, feed, story, event_time, shingles, signature, profile)


@dataclass(frozen=True, slots=True)
class Lookup:
    """What one article asks the store: exact keys, bucket keys and story terms."""

    url_key: str | None
    content_key: str | None
    buckets: Sequence[bytes]  # LSH bands, then story terms, strongest first
    index: int | None = None  # how many leading buckets a stored article is filed under (None: all)
    terms: Sequence[bytes] = ()  # story terms counted for document frequencies when stored
    read: Sequence[bytes] = ()  # story terms whose document frequencies the lookup reads

    @property
    def filed(self) -> Sequence[bytes]:
        return self.buckets if self.index is None else self.buckets[: self.index]


@dataclass(frozen=True, slots=True)
class LookupResult:
    url_match: StoredArticle | None
    content_match: StoredArticle | None
    # articles sharing at least one bucket, most shared buckets first
    candidates: list[StoredArticle] = field(default_factory=list)
    df: list[int] = field(default_factory=list)  # documents holding each of the query's ``read`` terms
    docs: int = 0  # documents counted for those frequencies


class DedupeStore(Protocol):
    def lookup(self, query: Lookup) -> LookupResult: ...

    def record(self, article: StoredArticle, query: Lookup) -> int:
        """Store a non-duplicate under its exact keys and ``query.filed``, count its
        ``query.terms`` for document frequencies, and add its feed to its story; the
        story's source count. Recording an article id that is stored already changes
        nothing (a replay)."""
        ...

    def record_many(self, items: Iterable[tuple[StoredArticle, Lookup]]) -> None:
        """Bulk insert (benchmarks, warm-up): the same effect as ``record`` for each."""
        ...

    def join_story(self, story_id: str, feed: str) -> int:
        """Add ``feed`` to the story's sources; the number of distinct sources."""
        ...


@dataclass(frozen=True, slots=True)
class StoreLimits:
    window_seconds: float = 7 * 86400
    max_signatures: int = 200_000
    bucket_size: int = 4  # newest articles kept per story term; bounds candidates per lookup
    max_candidates: int = 24  # fetched per lookup, most shared buckets first
    cell_load: int = 8  # entries per cell (Redis hash field) when the window is full
    sweep: int = 8  # expired articles an insert removes at most (besides the count bound)
    max_cell_entries: int = 128  # a safety bound on one cell; never reached in practice
    max_story_feeds: int = 1000  # distinct sources counted per story (the count saturates)
    # document frequencies are counted in two halves of this many stored articles each; when
    # the current half is full the older one is emptied and counting moves there, so they
    # always reflect the last df_docs to 2 x df_docs stored articles
    df_docs: int = 100_000

    def cell_bits(self, tag: int) -> int:
        """log2 of the number of cells for keys with this tag (per band for band keys)."""
        entries = self.max_signatures * (_STORY_TERMS_PER_ARTICLE if tag == _STORY else 1)
        return min(24, max(1, math.ceil(math.log2(max(2.0, entries / self.cell_load)))))

    def keep(self, tag: int) -> int:
        """Entries one key keeps (its newest); 0 for all of them."""
        if tag == _BAND:
            return 0
        return self.bucket_size if tag == _STORY else 1


# Key tags: the first byte of a KEY_WIDTH-byte key. Band and story keys come from
# core.py (tag, band number or more hash, 8 hash bytes); the store makes the others.
_BAND, _STORY, _URL, _CONTENT, _ID = b"d"[0], b"s"[0], b"u"[0], b"h"[0], b"i"[0]
_STORY_TERMS_PER_ARTICLE = PROMINENT_TERMS  # sizes the story cells only

SLOT_WIDTH = 8
CELL_WIDTH = 5  # tag, then a 4-byte cell number (band number and hash bits for a band key)
ENTRY_WIDTH = 8  # 4-byte key fingerprint, 4-byte sequence number


def article_slot(article_id: str) -> bytes:
    """A fixed-width hash of an id (stories are kept under the slot of their id)."""
    return hashlib.blake2b(article_id.encode(), digest_size=SLOT_WIDTH).digest()


def _exact_key(tag: int, value: str) -> bytes:
    return bytes((tag, 0)) + hashlib.blake2b(value.encode(), digest_size=KEY_WIDTH - 2).digest()


def _exact_keys(query: Lookup) -> list[bytes]:
    keys = []
    if query.url_key:
        keys.append(_exact_key(_URL, query.url_key))
    if query.content_key:
        keys.append(_exact_key(_CONTENT, query.content_key))
    return keys


def _bucket_blob(buckets: Sequence[bytes]) -> bytes:
    blob = b"".join(buckets)
    if len(blob) != KEY_WIDTH * len(buckets):
        raise ValueError(f"bucket keys must be {KEY_WIDTH} bytes each")
    return blob


def cell_sections(keys: Sequence[bytes], limits: StoreLimits) -> tuple[bytes, bytes, bytes]:
    """Each key's cell, fingerprint and entries kept, as three sections of a string: the
    cells (CELL_WIDTH bytes each), then the fingerprints (4 bytes each), then the counts
    kept (1 byte each), so that a script reads each section without cutting the others.

    The cell number is the key's top hash bits (below the band number for a band key);
    the fingerprint is the next 32 bits, so two keys of one cell are told apart with a
    false match chance of 2^-32 per entry (and a false match only adds a candidate that
    the signature comparison then rejects)."""
    blob = _bucket_blob(keys)
    n = len(keys)
    if n <= 4:  # numpy's fixed cost (~20 us) is more than a few keys cost in Python
        parts = [_cell_entry(key, limits) for key in keys]
        return b"".join(p[0] for p in parts), b"".join(p[1] for p in parts), bytes(p[2] for p in parts)
    raw = np.frombuffer(blob, dtype=np.uint8).reshape(n, KEY_WIDTH)
    tags = raw[:, 0]
    hashes = raw[:, 2:].copy().view(">u8").ravel().astype(np.uint64)
    bits_by_tag, keep_by_tag, group_by_tag = _tag_tables(limits)
    bits = bits_by_tag[tags]
    cells = np.empty((n, CELL_WIDTH), dtype=np.uint8)
    cells[:, 0] = tags
    numbers = (raw[:, 1] * group_by_tag[tags]).astype(np.uint64) << bits
    numbers |= hashes >> (np.uint64(64) - bits)
    cells[:, 1:] = numbers.astype(">u4").view(np.uint8).reshape(n, 4)
    fingerprints = ((hashes >> (np.uint64(32) - bits)) & np.uint64(0xFFFFFFFF)).astype(">u4")
    return cells.tobytes(), fingerprints.tobytes(), keep_by_tag[tags].tobytes()


def _cell_entry(key: bytes, limits: StoreLimits) -> tuple[bytes, bytes, int]:
    """``cell_sections`` for one key, in plain Python."""
    tag = key[0]
    bits = limits.cell_bits(tag)
    value = int.from_bytes(key[2:], "big")
    group = key[1] if tag == _BAND else 0
    cell = ((group << bits) | (value >> (64 - bits))).to_bytes(4, "big")
    return bytes((tag,)) + cell, ((value >> (32 - bits)) & 0xFFFFFFFF).to_bytes(4, "big"), limits.keep(tag)


_TAG_TABLES: dict[StoreLimits, tuple[np.ndarray, np.ndarray, np.ndarray]] = {}


def _tag_tables(limits: StoreLimits) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """Per key tag (0-255): cell bits, entries kept, and 1 where the second key byte is a
    group (the band number) that the cell number must include."""
    tables = _TAG_TABLES.get(limits)
    if tables is None:
        bits = np.array([limits.cell_bits(tag) for tag in range(256)], dtype=np.uint64)
        keep = np.array([limits.keep(tag) for tag in range(256)], dtype=np.uint8)
        group = np.zeros(256, dtype=np.uint8)
        group[_BAND] = 1
        tables = _TAG_TABLES[limits] = (bits, keep, group)
    return tables


# --- in memory -----------------------------------------------------------------------------


@dataclass(slots=True)
class _Stored:
    inserted: float
    article: StoredArticle
    keys: list[bytes]


class InMemoryDedupeStore:
    """The Redis store's structure in one process (no sharing between workers). Keys are
    indexed one by one instead of in cells: the same decisions, barring a 2^-32
    fingerprint collision."""

    def __init__(self, limits: StoreLimits | None = None, clock=time.time) -> None:
        self.limits = limits or StoreLimits()
        self._clock = clock
        self._head = self._tail = 0
        self._stored: dict[int, _Stored] = {}
        self._index: dict[bytes, list[int]] = {}  # key -> sequence numbers, newest first
        self._stories: dict[str, tuple[int, list[str]]] = {}  # story -> (articles stored, feeds)
        self._df = (Counter(), Counter())  # the two halves of the document frequencies
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
        for key in _exact_keys(query):
            seqs = self._index.get(key)
            exact.append(self._live(seqs[0], oldest) if seqs else None)
        # counted in C; a Counter keeps the order of discovery, and the sort is stable, so
        # ties stay in that order (as in the Redis script)
        hits = Counter(chain.from_iterable(map(self._index.get, query.buckets, repeat(()))))
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
        id_key = _exact_key(_ID, article.id)
        seqs = self._index.get(id_key)
        if seqs and seqs[0] in self._stored:  # a replay: stored already
            return len(self._stories.get(article.story_id, (0, []))[1]) or 1
        now = self._clock()
        self._make_room(now)
        self._count_terms(query.terms)
        seq = self._head
        self._head += 1
        keys = [id_key, *_exact_keys(query), *query.filed]
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
        if story_id not in self._stories:
            return 1  # its last article left the window since the lookup: nothing to join
        members, feeds = self._stories[story_id]
        if feed not in feeds and len(feeds) < self.limits.max_story_feeds:
            self._stories[story_id] = (members, [*feeds, feed])
        return len(self._stories[story_id][1])


# --- Redis ---------------------------------------------------------------------------------

# Keys (all under "<prefix>dedupe:", so this targets one Redis server, not a Cluster):
#   meta   hash  head (next sequence number), tail (oldest that may still be stored)
#   rec    hash  seq -> inserted-at (8-byte double) + StoredArticle bytes
#   keys   hash  seq -> inserted-at + story slot (8) + the article's cells (CELL_WIDTH each)
#   cells  hash  cell (CELL_WIDTH) -> entries (ENTRY_WIDTH: fingerprint, seq), newest first
#   story  hash  story slot -> articles stored (4 bytes) + 4-byte hashes of its feeds
#   df0, df1  hash  term hash (4 bytes) -> stored articles holding the term (two halves;
#          meta also holds dfhalf, the half being counted, and dfn0/dfn1, their articles)
# A seq is the sequence number as 4 bytes (mod 2^32: a window never holds that many).
# Entries are cut by position (any byte may occur in them), found with a plain
# string.find whose hit must also sit at the entry's alignment. Every key expires a
# window after the last insert, so an idle store empties itself.

_COMMON = """
local function find_aligned(v, needle, from, width, phase)
  while true do
    local j = string.find(v, needle, from, true)
    if j == nil then return nil end
    if (j - 1) % width == phase then return j end
    from = j + 1
  end
end
"""

_LOOKUP = (
    _COMMON
    + """
local REC, CELLS, META, DF0, DF1 = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local oldest = tonumber(ARGV[1]) - tonumber(ARGV[2])
local limit, nexact, n, cw, blob = tonumber(ARGV[3]), tonumber(ARGV[4]), tonumber(ARGV[5]), tonumber(ARGV[6]), ARGV[7]
local cells, fp0 = {}, n * cw  -- fingerprint i: bytes fp0 + 4i - 3 .. fp0 + 4i
for i = 1, fp0, cw do cells[#cells + 1] = string.sub(blob, i, i + cw - 1) end
local exact, hits, order = {}, {}, {}
if #cells > 0 then
  local vals = redis.call('HMGET', CELLS, unpack(cells))
  for i = 1, #cells do
    local v = vals[i]
    if v then
      local fp, from = string.sub(blob, fp0 + 4 * i - 3, fp0 + 4 * i), 1
      while true do
        local j = find_aligned(v, fp, from, 8, 0)
        if j == nil then break end
        local seq = string.sub(v, j + 4, j + 7)
        if i <= nexact then exact[i] = seq; break end  -- an exact key keeps its newest only
        local h = hits[seq]
        if h == nil then order[#order + 1] = seq; hits[seq] = 1 else hits[seq] = h + 1 end
        from = j + 8
      end
    end
  end
end
-- most shared keys first, ties in order of discovery (key order, then newest first): a
-- counting sort, as hits never exceed the number of keys
local by_hits, most = {}, 0
for _, seq in ipairs(order) do
  local h = hits[seq]
  local list = by_hits[h]
  if list == nil then list = {}; by_hits[h] = list end
  list[#list + 1] = seq
  if h > most then most = h end
end
order = {}
for h = most, 1, -1 do
  local list = by_hits[h]
  if list then for _, seq in ipairs(list) do order[#order + 1] = seq end end
end
local out = {}
for i = 1, nexact do out[i] = false end
local ex = {}
for i = 1, nexact do if exact[i] then ex[#ex + 1] = i end end
local taken, next_index, first = 0, 1, true
while true do
  -- the exact matches and the next candidates in rank order, read with one HMGET
  local batch = {}
  if first then for _, i in ipairs(ex) do batch[#batch + 1] = exact[i] end end
  local nex = #batch
  while #batch - nex < limit - taken and next_index <= #order do
    batch[#batch + 1] = order[next_index]; next_index = next_index + 1
  end
  if #batch == 0 then break end
  local recs = redis.call('HMGET', REC, unpack(batch))
  for b = 1, #batch do
    local rec = recs[b]
    if rec and struct.unpack('>d', rec) >= oldest then  -- older ones wait for the sweep
      if b <= nex then
        out[ex[b]] = rec
      elseif taken < limit then
        taken = taken + 1
        out[nexact + taken] = rec
      end
    end
  end
  first = false
  if taken >= limit or next_index > #order then break end
end
-- document frequencies of the article's story terms, both halves added up
local terms, dfs = ARGV[8], {}
if #terms > 0 then
  local fields = {}
  for i = 1, #terms, 4 do fields[#fields + 1] = string.sub(terms, i, i + 3) end
  local a = redis.call('HMGET', DF0, unpack(fields))
  local b = redis.call('HMGET', DF1, unpack(fields))
  for i = 1, #fields do dfs[i] = tonumber(a[i] or '0') + tonumber(b[i] or '0') end
end
local docs = redis.call('HMGET', META, 'dfn0', 'dfn1')
return {out, dfs, tonumber(docs[1] or '0') + tonumber(docs[2] or '0')}
"""
)

_INSERT = (
    _COMMON
    + """
local META, REC, INFO, CELLS, STORIES = KEYS[1], KEYS[2], KEYS[3], KEYS[4], KEYS[5]
local now, window, capacity, sweep = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3]), tonumber(ARGV[4])
local ttl, payload, story, feed = tonumber(ARGV[5]), ARGV[6], ARGV[7], ARGV[8]
local n, cw, blob = tonumber(ARGV[9]), tonumber(ARGV[10]), ARGV[11]
local max_entries, max_feeds = tonumber(ARGV[12]), tonumber(ARGV[13])

local cells, fp0, keep0 = {}, n * cw, n * cw + 4 * n
for i = 1, fp0, cw do cells[#cells + 1] = string.sub(blob, i, i + cw - 1) end
local function pack_seq(seq) return struct.pack('>I4', seq % 4294967296) end

-- cells are read into `current` (one HMGET for the article's, one per evicted article
-- for the rest), so that evictions and the insert see each other's changes
local current, dirty, changed = {}, {}, {}
local vals = redis.call('HMGET', CELLS, unpack(cells))
for i = 1, n do current[cells[i]] = vals[i] or '' end
local function load(list)
  local want = {}
  for _, c in ipairs(list) do
    if current[c] == nil then current[c] = false; want[#want + 1] = c end
  end
  if #want > 0 then
    local vals = redis.call('HMGET', CELLS, unpack(want))
    for i, c in ipairs(want) do current[c] = vals[i] or '' end
  end
end
local function put(c, v)
  current[c] = v
  if not dirty[c] then dirty[c] = true; changed[#changed + 1] = c end
end

-- a replay (the first key is the article's id): stored already, nothing changes
local idv = current[cells[1]]
local j = find_aligned(idv, string.sub(blob, fp0 + 1, fp0 + 4), 1, 8, 0)
if j and redis.call('HEXISTS', REC, string.sub(idv, j + 4, j + 7)) == 1 then
  local sv = redis.call('HGET', STORIES, story)
  if sv then return (#sv - 4) / 4 end
  return 1
end

local gone = {}
local function evict(s32, info)
  local listed = {}
  for i = 17, #info, cw do listed[#listed + 1] = string.sub(info, i, i + cw - 1) end
  load(listed)
  for _, c in ipairs(listed) do
    local v = current[c]
    local at = find_aligned(v, s32, 1, 8, 4)
    if at then put(c, string.sub(v, 1, at - 5) .. string.sub(v, at + 4)) end
  end
  local slot = string.sub(info, 9, 16)
  local sv = redis.call('HGET', STORIES, slot)
  if sv then
    local members = struct.unpack('>I4', sv)
    if members <= 1 then redis.call('HDEL', STORIES, slot)
    else redis.call('HSET', STORIES, slot, struct.pack('>I4', members - 1) .. string.sub(sv, 5)) end
  end
  gone[#gone + 1] = s32
end

local meta = redis.call('HMGET', META, 'head', 'tail', 'dfhalf', 'dfn0', 'dfn1')
local head, tail = tonumber(meta[1] or '0'), tonumber(meta[2] or '0')
-- the count bound (one eviction per insert once full; a lowered max_signatures is caught
-- up with a few per insert), then a bounded sweep of expired articles from the oldest end
local evicted = 0
while head - tail >= capacity and evicted <= sweep do
  local s32 = pack_seq(tail)
  local info = redis.call('HGET', INFO, s32)
  if info then evict(s32, info) end
  tail, evicted = tail + 1, evicted + 1
end
local oldest, swept = now - window, 0
while tail < head and swept < sweep do
  local s32 = pack_seq(tail)
  local info = redis.call('HGET', INFO, s32)
  if info then
    if struct.unpack('>d', info) >= oldest then break end
    evict(s32, info)
  end
  tail, swept = tail + 1, swept + 1
end
if #gone > 0 then
  redis.call('HDEL', REC, unpack(gone))
  redis.call('HDEL', INFO, unpack(gone))
  local sets, dels = {}, {}
  for _, c in ipairs(changed) do
    local v = current[c]
    if v == '' then dels[#dels + 1] = c else sets[#sets + 1] = c; sets[#sets + 1] = v end
  end
  if #dels > 0 then redis.call('HDEL', CELLS, unpack(dels)) end
  if #sets > 0 then redis.call('HSET', CELLS, unpack(sets)) end
end

local s32, stamp = pack_seq(head), struct.pack('>d', now)
local sets, longest = {}, max_entries * 8
for i = 1, n do
  local c = cells[i]
  local v, keep = current[c], string.byte(blob, keep0 + i)
  local fp = string.sub(blob, fp0 + 4 * i - 3, fp0 + 4 * i)
  if keep > 0 and #v > 0 then
    -- this key keeps its newest `keep` entries: drop its older ones beyond keep - 1
    local seen, parts, from, last = 0, {}, 1, 1
    while true do
      local at = find_aligned(v, fp, from, 8, 0)
      if at == nil then break end
      seen = seen + 1
      if seen >= keep then parts[#parts + 1] = string.sub(v, last, at - 1); last = at + 8 end
      from = at + 8
    end
    if last > 1 then parts[#parts + 1] = string.sub(v, last); v = table.concat(parts) end
  end
  v = fp .. s32 .. v
  if #v > longest then v = string.sub(v, 1, longest) end
  current[c] = v
  sets[2 * i - 1], sets[2 * i] = c, v  -- a cell listed twice: its last value is the final one
end
redis.call('HSET', CELLS, unpack(sets))
redis.call('HSET', REC, s32, stamp .. payload)
redis.call('HSET', INFO, s32, stamp .. story .. string.sub(blob, 1, fp0))
local sv = redis.call('HGET', STORIES, story)
local members, feeds = 0, ''
if sv then members = struct.unpack('>I4', sv); feeds = string.sub(sv, 5) end
if find_aligned(feeds, feed, 1, 4, 0) == nil and #feeds < max_feeds * 4 then feeds = feeds .. feed end
redis.call('HSET', STORIES, story, struct.pack('>I4', members + 1) .. feeds)
-- document frequencies: the article's terms are counted in the current half; when it has
-- counted df_docs articles, the other half is emptied and counting moves there
local terms, df_docs = ARGV[14], tonumber(ARGV[15])
local half = tonumber(meta[3] or '0')
local counted = tonumber(meta[4 + half] or '0')
if counted >= df_docs then
  half, counted = 1 - half, 0
  redis.call('UNLINK', KEYS[6 + half])
end
if #terms > 0 then
  local fields = {}
  for i = 1, #terms, 4 do fields[#fields + 1] = string.sub(terms, i, i + 3) end
  local key = KEYS[6 + half]
  local counts = redis.call('HMGET', key, unpack(fields))
  local sets = {}
  for i, f in ipairs(fields) do sets[2 * i - 1], sets[2 * i] = f, tonumber(counts[i] or '0') + 1 end
  redis.call('HSET', key, unpack(sets))
end
redis.call('HSET', META, 'head', head + 1, 'tail', tail, 'dfhalf', half, 'dfn' .. half, counted + 1)
for _, key in ipairs(KEYS) do redis.call('EXPIRE', key, ttl) end
return #feeds / 4
"""
)

_JOIN_STORY = (
    _COMMON
    + """
local sv = redis.call('HGET', KEYS[1], ARGV[1])
if not sv then return 1 end  -- its last article left the window since the lookup
local feeds = string.sub(sv, 5)
if find_aligned(feeds, ARGV[2], 1, 4, 0) == nil and #feeds < tonumber(ARGV[3]) * 4 then
  feeds = feeds .. ARGV[2]
  redis.call('HSET', KEYS[1], ARGV[1], string.sub(sv, 1, 4) .. feeds)
end
return #feeds / 4
"""
)


def _feed_hash(feed: str) -> bytes:
    return hashlib.blake2b(feed.encode(), digest_size=4).digest()


class _ScriptCaller:
    """Runs Lua scripts by EVALSHA on one connection held for the store's lifetime.

    Measured on the dedupe benchmark: redis-py's per-command path (pool checkout, retry
    wrapper, observability hooks) cost about three times the client CPU of sending the
    command on a held connection, and dedupe makes two calls per article. A lock keeps
    calls from different threads apart (a store may be shared by threads; the worker
    itself calls it from its event loop only)."""

    def __init__(self, client: redis.Redis) -> None:
        self._client = client
        self._lock = threading.Lock()
        self._connection: redis.connection.AbstractConnection | None = None

    def __call__(self, script: redis.commands.core.Script, keys: Sequence, args: Sequence):
        with self._lock:
            try:
                return self._run(script, keys, args)
            except redis.ConnectionError:
                # a dropped connection (Redis restarted, idle socket closed): one fresh try,
                # as redis-py itself would; a second failure, or a timeout (Redis alive but
                # slow: the script may still run), goes to the caller's retry loop
                return self._run(script, keys, args)

    def _run(self, script: redis.commands.core.Script, keys: Sequence, args: Sequence):
        connection = self._connection
        if connection is None:
            connection = self._connection = self._client.connection_pool.get_connection()
        try:
            try:
                connection.send_command("EVALSHA", script.sha, len(keys), *keys, *args)
                return connection.read_response()
            except redis.exceptions.NoScriptError:
                # scripts are gone after a Redis restart: load it again, then run it
                connection.send_command("SCRIPT", "LOAD", script.script)
                connection.read_response()
                connection.send_command("EVALSHA", script.sha, len(keys), *keys, *args)
                return connection.read_response()
        except redis.ResponseError:
            raise  # an error reply (e.g. from the script): the connection is still in step
        except BaseException:
            self._drop_connection()  # a reply may be half read: never reuse the connection
            raise

    def _drop_connection(self) -> None:
        connection, self._connection = self._connection, None
        if connection is not None:
            connection.disconnect()
            self._client.connection_pool.release(connection)

    def close(self) -> None:
        with self._lock:
            self._drop_connection()


class RedisDedupeStore:
    """Dedupe state in Redis under ``prefix`` (e.g. "marsad:"), shared by all workers."""

    def __init__(self, client: redis.Redis, prefix: str, limits: StoreLimits | None = None, clock=time.time) -> None:
        self.client = client
        self.prefix = prefix
        self.limits = limits or StoreLimits()
        self._clock = clock
        base = f"{prefix}dedupe:"
        self.keys = {name: f"{base}{name}" for name in ("meta", "rec", "keys", "cells", "story", "df0", "df1")}
        self._lookup_keys = [self.keys[name] for name in ("rec", "cells", "meta", "df0", "df1")]
        self._insert_keys = [self.keys[name] for name in ("meta", "rec", "keys", "cells", "story", "df0", "df1")]
        self._lookup = client.register_script(_LOOKUP)
        self._insert = client.register_script(_INSERT)
        self._join_story = client.register_script(_JOIN_STORY)
        self._call = _ScriptCaller(client)
        # the sections of the last lookup's keys: record() of the same query reuses them
        self._last: tuple[Lookup, tuple[bytes, bytes, bytes]] | None = None

    def _sections(self, query: Lookup) -> tuple[bytes, bytes, bytes]:
        last = self._last
        if last is not None and last[0] is query:
            return last[1]
        sections = cell_sections([*_exact_keys(query), *query.buckets], self.limits)
        self._last = (query, sections)
        return sections

    def close(self) -> None:
        """Give the store's connection back (it is reopened on the next call)."""
        self._call.close()

    def lookup(self, query: Lookup) -> LookupResult:
        limits = self.limits
        nexact = bool(query.url_key) + bool(query.content_key)
        found, df, docs = self._call(
            self._lookup,
            self._lookup_keys,
            [
                self._clock(),
                limits.window_seconds,
                limits.max_candidates,
                nexact,
                nexact + len(query.buckets),
                CELL_WIDTH,
                b"".join(self._sections(query)),
                b"".join(query.read),
            ],
        )
        records = [StoredArticle.from_bytes(r[8:]) if r else None for r in found]  # after inserted-at
        url_match = content_match = None
        position = 0
        if query.url_key:
            url_match = records[position]
            position += 1
        if query.content_key:
            content_match = records[position]
            position += 1
        return LookupResult(url_match, content_match, [r for r in records[position:] if r is not None], df, docs)

    def _insert_args(self, article: StoredArticle, query: Lookup) -> list:
        limits = self.limits
        # the article's id first (the script's replay check), then the lookup's keys that
        # it is filed under: its exact keys and the leading ``query.index`` buckets
        own = cell_sections([_exact_key(_ID, article.id)], limits)
        cells, fingerprints, keep = self._sections(query)
        filed = len(keep) if query.index is None else bool(query.url_key) + bool(query.content_key) + query.index
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
            _feed_hash(article.feed),
            n,
            CELL_WIDTH,
            blob,
            limits.max_cell_entries,
            limits.max_story_feeds,
            b"".join(query.terms),
            limits.df_docs,
        ]

    def record(self, article: StoredArticle, query: Lookup) -> int:
        return int(self._call(self._insert, self._insert_keys, self._insert_args(article, query)))

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
        return int(
            self._call(
                self._join_story,
                [self.keys["story"]],
                [article_slot(story_id), _feed_hash(feed), self.limits.max_story_feeds],
            )
        )
