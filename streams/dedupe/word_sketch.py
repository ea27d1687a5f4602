"""The content words an article shares with another: a second measure of a near copy.

An agency text run with a small edit in nearly every sentence (a synonym, a word added or
dropped, a figure in digits) loses two word pairs an edit, so the share of its word pairs
inside the other copy falls to 0.40-0.55 while it still reads as one text; its content
words (shingles.content_terms) stay 0.64 and more inside the other. Reports of one event
written apart share topic words too, but not their word pairs as well: on the real pages
of the seventh held-out copy set no story-mate had both (docs/dedupe.md, "Content words").

A stored article keeps a bottom-k sketch: the SKETCH_SIZE smallest 64-bit hashes of its
distinct content words, as their high 32 bits. The smallest hashes are a uniform sample
of the set, so the share of them found among a new article's words estimates the share of
the stored article's words inside the new one (exact when it has no more than SKETCH_SIZE).
"""

from __future__ import annotations

import numpy as np

SKETCH_SIZE = 64
_HIGH = np.uint64(32)
NO_WORDS = np.empty(0, dtype=np.uint32)


def no_words() -> np.ndarray:
    """The default of a dataclass field holding word keys (an array is no field default)."""
    return NO_WORDS


def word_keys(word_hashes: np.ndarray) -> np.ndarray:
    """The sorted distinct content-word hashes of an article (uint64) as the 32-bit values a
    sketch holds, in the same order (the high bits keep the order)."""
    return (word_hashes >> _HIGH).astype(np.uint32)


def sketch(keys: np.ndarray) -> np.ndarray:
    """What is stored: the SKETCH_SIZE smallest of an article's ``word_keys``."""
    return keys[:SKETCH_SIZE]


def words_contained(stored_sketch: np.ndarray, stored_count: int, keys: np.ndarray) -> float:
    """Estimated share of the shorter article's content words found in the longer one: the
    stored article's (``stored_sketch`` of its ``stored_count`` distinct words) or the new
    one's (its ``word_keys``). 0.0 when either has no words."""
    if stored_sketch.size == 0 or stored_count == 0 or keys.size == 0:
        return 0.0
    share = np.count_nonzero(np.isin(stored_sketch, keys)) / stored_sketch.size
    if stored_count <= keys.size:
        return share  # of the stored article's words, found in the new one
    # the new article is shorter: the shared words over its own count
    return min(1.0, share * stored_count / keys.size)
