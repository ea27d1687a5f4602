"""LSH banding: a signature cut into bands, each band hashed to one bucket key.

Two sets with Jaccard s share at least one bucket with probability 1-(1-s^r)^b for b
bands of r rows, so candidates are found by key lookups whose cost does not grow with
the number of stored signatures.

Every bucket key is ``KEY_WIDTH`` bytes, so a store can pass and split a list of keys as
one string (the Redis store sends them to its scripts that way).
"""

from __future__ import annotations

import numpy as np

KEY_WIDTH = 10  # tag (1 byte) + band number (1 byte) + band hash (8 bytes)

_BAND_BYTES = [bytes([band]) for band in range(256)]
_M1, _M2, _M3 = np.uint64(0x9E3779B97F4A7C15), np.uint64(0xC2B2AE3D27D4EB4F), np.uint64(0xFF51AFD7ED558CCD)
_S29, _S32, _S33 = np.uint64(29), np.uint64(32), np.uint64(33)


def _mix64(words: np.ndarray) -> np.ndarray:
    """A 64-bit hash of each row of ``words`` (uint64, shape bands x n): multiply-xor per
    word, then a murmur3-style finalizer so every input bit reaches every output bit."""
    h = np.zeros(words.shape[0], dtype=np.uint64)
    for column in range(words.shape[1]):
        h = (h ^ words[:, column]) * _M1
        h ^= h >> _S29
        h *= _M2
    h ^= h >> _S33
    h *= _M3
    h ^= h >> _S32
    return h


def band_keys(signature: np.ndarray, bands: int, tag: bytes) -> list[bytes]:
    """One ``KEY_WIDTH``-byte bucket key per band: ``tag``, band number, 8-byte band hash.

    All bands are hashed at once with numpy (a blake2b call per band cost more than the
    rest of the banding); the hash only needs to spread equal bands to equal keys and
    different ones apart, and 64 bits make a false collision negligible."""
    if bands <= 0 or bands > len(_BAND_BYTES) or signature.size % bands:
        raise ValueError(f"{signature.size} permutations cannot be cut into {bands} bands")
    if len(tag) != 1:
        raise ValueError("a bucket tag is one byte")
    rows = signature.size // bands
    values = signature.astype(np.uint64).reshape(bands, rows)
    if rows % 2 == 0:  # two 32-bit rows per 64-bit word: half the mixing rounds
        values = (values[:, 0::2] << _S32) | values[:, 1::2]
    digest = _mix64(values).astype("<u8").tobytes()
    return [tag + _BAND_BYTES[band] + digest[band * 8 : band * 8 + 8] for band in range(bands)]


def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    return 1.0 - (1.0 - similarity**rows) ** bands
