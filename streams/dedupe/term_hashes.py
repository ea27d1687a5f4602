"""The 32-bit hashes story terms are stored and counted under.

Stored story vectors, figures and document frequencies key a term by its hash, the same in
every worker process (blake2b, not ``hash()``), remembered for the words seen lately.
"""

from __future__ import annotations

import hashlib
from collections.abc import Callable

from streams.dedupe.memo import BoundedMemo


def _term_hash(term: str) -> int:
    return int.from_bytes(hashlib.blake2b(term.encode(), digest_size=4).digest(), "little")


# A 32-bit hash of a story term (stored vectors and document frequencies use it),
# remembered for the words seen lately.
term_hash: Callable[[str], int] = BoundedMemo(_term_hash, 200_000).__getitem__


def _df_key(term: str) -> bytes:
    return term_hash(term).to_bytes(4, "little")


# The field under which the store counts a term's document frequency, remembered for the
# words seen lately.
df_key: Callable[[str], bytes] = BoundedMemo(_df_key, 200_000).__getitem__
