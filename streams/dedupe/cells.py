"""How the store files a key: its cell, its fingerprint within the cell, the entries it keeps.

Every key is ``KEY_WIDTH`` bytes (lsh.py) whose first byte is its tag (store.py); the
exact keys (URL, content hash, id) are made here, band and story keys come from core.py.
"""

from __future__ import annotations

import hashlib
from collections.abc import Sequence

import numpy as np

from streams.dedupe.lsh import KEY_WIDTH
from streams.dedupe.store import ANCHOR_TAG, BAND_TAG, CONTENT_TAG, URL_TAG, Lookup, StoreLimits

SLOT_WIDTH = 8
CELL_WIDTH = 5  # tag, then a 4-byte cell number (band number and hash bits for a band key)
ENTRY_WIDTH = 8  # 4-byte key fingerprint, 4-byte sequence number
# An anchor key is one of an article's smallest shingle hashes, so the top bits that choose
# its cell are mostly zero: filed by them, anchors crowded into the lowest cells (at a full
# store 67 entries read per anchor cell against 4 per story-term cell, many cells at
# StoreLimits.max_cell_entries, where the oldest entries are dropped). Their hash is
# multiplied by this odd constant first (Fibonacci hashing: a bijection of 64-bit values),
# which spreads them like the other keys.
ANCHOR_MIX = 0x9E3779B97F4A7C15
_MASK64 = (1 << 64) - 1


def article_slot(article_id: str) -> bytes:
    """A fixed-width hash of an id (stories are kept under the slot of their id)."""
    return hashlib.blake2b(article_id.encode(), digest_size=SLOT_WIDTH).digest()


def exact_key(tag: int, value: str) -> bytes:
    """The ``KEY_WIDTH``-byte key of an exact value (a URL, a content hash, an id)."""
    return bytes((tag, 0)) + hashlib.blake2b(value.encode(), digest_size=KEY_WIDTH - 2).digest()


def exact_keys(query: Lookup) -> list[bytes]:
    """The query's exact keys: its URL's, then its content hash's (each only if it has one)."""
    keys: list[bytes] = []
    if query.url_key:
        keys.append(exact_key(URL_TAG, query.url_key))
    if query.content_key:
        keys.append(exact_key(CONTENT_TAG, query.content_key))
    return keys


def bucket_blob(buckets: Sequence[bytes]) -> bytes:
    """The keys as one string (a script cuts it by position), checking their width."""
    blob = b"".join(buckets)
    if len(blob) != KEY_WIDTH * len(buckets):
        raise ValueError(f"bucket keys must be {KEY_WIDTH} bytes each")
    return blob


def cell_sections(
    keys: Sequence[bytes], limits: StoreLimits, *, plain_anchors: bool = False
) -> tuple[bytes, bytes, bytes]:
    """Each key's cell, fingerprint and entries kept, as three sections of a string: the
    cells (CELL_WIDTH bytes each), then the fingerprints (4 bytes each), then the counts
    kept (1 byte each), so that a script reads each section without cutting the others.

    The cell number is the key's top hash bits (below the band number for a band key; an
    anchor key's hash times ANCHOR_MIX, or as it is with ``plain_anchors``: where versions
    before the mix filed anchors); the fingerprint is the next 32 bits, so two keys of one
    cell are told apart with a false match chance of 2^-32 per entry (and a false match
    only adds a candidate that the signature comparison then rejects)."""
    blob = bucket_blob(keys)
    n = len(keys)
    if n <= 4:  # numpy's fixed cost (~20 us) is more than a few keys cost in Python
        parts = [_cell_entry(key, limits, plain_anchors) for key in keys]
        return b"".join(p[0] for p in parts), b"".join(p[1] for p in parts), bytes(p[2] for p in parts)
    raw = np.frombuffer(blob, dtype=np.uint8).reshape(n, KEY_WIDTH)
    tags = raw[:, 0]
    hashes = raw[:, 2:].copy().view(">u8").ravel().astype(np.uint64)
    if not plain_anchors:
        anchors = tags == ANCHOR_TAG
        hashes[anchors] *= np.uint64(ANCHOR_MIX)  # modulo 2^64, as in _cell_entry
    bits_by_tag, keep_by_tag, group_by_tag = _tag_tables(limits)
    bits = bits_by_tag[tags]
    cells = np.empty((n, CELL_WIDTH), dtype=np.uint8)
    cells[:, 0] = tags
    numbers = (raw[:, 1] * group_by_tag[tags]).astype(np.uint64) << bits
    numbers |= hashes >> (np.uint64(64) - bits)
    cells[:, 1:] = numbers.astype(">u4").view(np.uint8).reshape(n, 4)
    fingerprints = ((hashes >> (np.uint64(32) - bits)) & np.uint64(0xFFFFFFFF)).astype(">u4")
    return cells.tobytes(), fingerprints.tobytes(), keep_by_tag[tags].tobytes()


def _cell_entry(key: bytes, limits: StoreLimits, plain_anchors: bool = False) -> tuple[bytes, bytes, int]:
    """``cell_sections`` for one key, in plain Python."""
    tag = key[0]
    bits = limits.cell_bits(tag)
    value = int.from_bytes(key[2:], "big")
    if tag == ANCHOR_TAG and not plain_anchors:
        value = value * ANCHOR_MIX & _MASK64
    group = key[1] if tag == BAND_TAG else 0
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
        group[BAND_TAG] = 1
        tables = _TAG_TABLES[limits] = (bits, keep, group)
    return tables


def feed_hash(feed: str) -> bytes:
    """The 4-byte hash a story lists each of its feeds under."""
    return hashlib.blake2b(feed.encode(), digest_size=4).digest()
