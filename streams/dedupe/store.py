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
* An article is evicted by its record and its membership of its story at once; in Redis
  its cell entries are left dead (their seq is below the store's tail, so lookups skip
  them) and dropped when their cell is next written or swept (redis_store.py). The
  in-memory store removes them at once; both decide alike.
* A story's sources are kept while any of its articles is stored: once none is, no
  later article can join it anyway (joining goes through a stored article).
* Document frequencies of story terms (stories.py) are counted for every stored article
  but near copies (their words are their original's), in two halves of ``df_docs``
  articles; when the current half is full the older one is emptied and counting moves
  there. A lookup reads the frequencies it is asked for.

How many entries one key keeps: a band keeps every article (an exact duplicate is
never stored, so only near copies of one text repeat its bands), a story term keeps its
``bucket_size`` newest articles (common words would otherwise fill their cells), and an
exact key (URL, content, id) keeps its newest.

The store protocol and value types are here; ``cells.py`` files keys into cells,
``memory_store.py`` and ``redis_store.py`` (with its Lua scripts in ``lua/``) keep them:
``RedisDedupeStore`` in Redis (shared by every worker): one Lua call per lookup and one
per insert, each reading every hash it needs with one command. ``InMemoryDedupeStore``
keeps the same structure in process (keys instead of cells), for ``marsad dedupe test``
and unit tests; both decide alike.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Protocol

import numpy as np

from streams.dedupe.profile import EMPTY_PROFILE, StoryProfile
from streams.dedupe.stories import PROMINENT_TERMS

# Key tags: the first byte of a KEY_WIDTH-byte key (lsh.py). Band and story keys come from
# core.py (tag, band number or more hash, 8 hash bytes); the store makes the others.
BAND_TAG, STORY_TAG, URL_TAG, CONTENT_TAG, ID_TAG = b"d"[0], b"s"[0], b"u"[0], b"h"[0], b"i"[0]
ANCHOR_TAG = b"a"[0]  # a smallest shingle hash (core.DedupeConfig.anchors)
_STORY_TERMS_PER_ARTICLE = PROMINENT_TERMS  # sizes the story cells only
_ANCHORS_PER_ARTICLE = 24  # sizes the anchor cells only (DedupeConfig.anchors)
# A key shared with a candidate counts this much towards its rank: a band or an anchor
# says "a copy", a story term only "the same topic", and copies must not be crowded out
# of the max_candidates fetched by the story-mates of a big story.
DUP_KEY_WEIGHT = 3


@dataclass(frozen=True, slots=True)
class Outlet:
    """A site that carried a story, and when it first reported it (unix seconds)."""

    name: str
    first_seen: float


@dataclass(frozen=True, slots=True)
class StoryState:
    """A story after an article joined it: distinct feeds, and distinct outlets (sites)
    with their first report, earliest first (at most ``StoreLimits.max_story_outlets``)."""

    sources: int
    outlets: tuple[Outlet, ...] = ()


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """What is kept of an article that was not an exact duplicate: an original, or a near
    copy (``copy_of`` names the first version it goes back to), filed so that a later
    copy meets the closest version seen, not only the first."""

    id: str
    feed: str
    story_id: str
    event_time: float  # published time when known, else when it was seen (unix seconds)
    shingle_count: int
    signature: np.ndarray  # uint32 MinHash signature of the dedupe shingles
    profile: StoryProfile = EMPTY_PROFILE  # its story vector (stories.py)
    copy_of: str | None = None  # for a near copy: the original (itself never a copy)

    @property
    def first_version(self) -> str:
        """The article a copy of this one is a copy of: its original, or itself."""
        return self.copy_of or self.id

    # event time, shingle count, then the UTF-8 lengths of id, feed and story id (a story
    # id equal to the id, as for every article that starts a story, is not repeated); a
    # near copy sets _COPY in the feed's length and its copy_of follows the story id
    # (length-prefixed), so records written before copies were filed read as before
    _HEADER = struct.Struct("<dIIII")
    _SAME = 0xFFFFFFFF
    _COPY = 0x80000000
    _LENGTH = struct.Struct("<I")

    def to_bytes(self) -> bytes:
        id_, feed = self.id.encode(), self.feed.encode()
        story = b"" if self.story_id == self.id else self.story_id.encode()
        copy = b""
        if self.copy_of is not None:
            encoded = self.copy_of.encode()
            copy = self._LENGTH.pack(len(encoded)) + encoded
        header = self._HEADER.pack(
            self.event_time,
            self.shingle_count,
            len(id_),
            len(feed) | (self._COPY if self.copy_of is not None else 0),
            self._SAME if self.story_id == self.id else len(story),
        )
        return b"".join(
            (header, id_, feed, story, copy, self.profile.to_bytes(), self.signature.astype("<u4").tobytes())
        )

    @classmethod
    def from_bytes(cls, data: bytes) -> StoredArticle:
        event_time, shingles, n_id, n_feed, n_story = cls._HEADER.unpack_from(data)
        at = cls._HEADER.size
        id_ = data[at : at + n_id].decode()
        at += n_id
        feed = data[at : at + (n_feed & ~cls._COPY)].decode()
        at += n_feed & ~cls._COPY
        if n_story == cls._SAME:
            story = id_
        else:
            story = data[at : at + n_story].decode()
            at += n_story
        copy_of = None
        if n_feed & cls._COPY:
            (n_copy,) = cls._LENGTH.unpack_from(data, at)
            at += cls._LENGTH.size
            copy_of = data[at : at + n_copy].decode()
            at += n_copy
        profile, at = StoryProfile.from_bytes(data, at)
        # a read-only view of the record's bytes where they are already uint32 (little-endian
        # machines): signatures are only compared, and the copy cost 0.4 of decoding's 4.7 µs
        signature = np.frombuffer(data, dtype="<u4", offset=at).astype(np.uint32, copy=False)
        return cls(id_, feed, story, event_time, shingles, signature, profile, copy_of)


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
        """Store an article (not an exact duplicate) under its exact keys and
        ``query.filed``, count its ``query.terms`` for document frequencies (an article
        without terms, such as a near copy, is not counted as a document), and add its
        feed to its story; the story's source count. Recording an article id that is
        stored already changes nothing (a replay)."""
        ...

    def insert(self, article: StoredArticle, query: Lookup, outlet: Outlet | None = None) -> StoryState:
        """``record``, adding ``outlet`` to the story's outlets too; the story's state."""
        ...

    def join(self, story_id: str, feed: str, outlet: Outlet | None = None) -> StoryState:
        """``join_story``, adding ``outlet`` to the story's outlets too; the story's state."""
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
    max_cell_entries: int = 128  # a safety bound on one cell (reached by anchors before they were mixed: cells.py)
    max_story_feeds: int = 1000  # distinct sources counted per story (the count saturates)
    max_story_outlets: int = 64  # outlets listed per story (the first to report it)
    # document frequencies are counted in two halves of this many stored articles each; when
    # the current half is full the older one is emptied and counting moves there, so they
    # always reflect the last df_docs to 2 x df_docs stored articles
    df_docs: int = 100_000

    def cell_bits(self, tag: int) -> int:
        """log2 of the number of cells for keys with this tag (per band for band keys)."""
        per_article = {STORY_TAG: _STORY_TERMS_PER_ARTICLE, ANCHOR_TAG: _ANCHORS_PER_ARTICLE}.get(tag, 1)
        entries = self.max_signatures * per_article
        return min(24, max(1, math.ceil(math.log2(max(2.0, entries / self.cell_load)))))

    def keep(self, tag: int) -> int:
        """Entries one key keeps (its newest); 0 for all of them."""
        if tag == BAND_TAG:
            return 0
        return self.bucket_size if tag in (STORY_TAG, ANCHOR_TAG) else 1

    @staticmethod
    def weight(tag: int) -> int:
        """What one shared key of this tag adds to a candidate's rank (DUP_KEY_WEIGHT)."""
        return DUP_KEY_WEIGHT if tag in (BAND_TAG, ANCHOR_TAG) else 1
