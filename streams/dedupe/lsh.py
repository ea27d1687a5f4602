"""LSH banding: a signature cut into bands, each band hashed to one bucket key.

Two sets with Jaccard s share at least one bucket with probability 1-(1-s^r)^b for b
bands of r rows, so candidates are found by key lookups whose cost does not grow with
the number of stored signatures."""

from __future__ import annotations

import hashlib

import numpy as np


def band_keys(signature: np.ndarray, bands: int, tag: bytes) -> list[bytes]:
    """One bucket key per band: ``tag`` (which index), band number, 8-byte band hash."""
    if bands <= 0 or signature.size % bands:
        raise ValueError(f"{signature.size} permutations cannot be cut into {bands} bands")
    rows = signature.size // bands
    data = signature.astype("<u4").tobytes()
    width = rows * 4
    return [
        tag + bytes([band]) + hashlib.blake2b(data[band * width:(band + 1) * width], digest_size=8).digest()
        for band in range(bands)
    ]


def candidate_probability(similarity: float, bands: int, rows: int) -> float:
    return 1.0 - (1.0 - similarity**rows) ** bands
