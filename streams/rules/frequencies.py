"""How common a word is in Arabic news: the shipped frequency list (``word_frequencies.txt``,
built from Marsad's own generated news vocabulary) and the common-word guard list.

The matcher keys each phrase on its *rarest* word, so that an everyday word that starts a
phrase (وزير, قوات, رئيس) does not send every one of its occurrences to a phrase check.
The list is the cold-start prior only: phrase keys (``phrase_keys``) and which leaf of a
boolean rule is rarest (``triggers``) are learned from the stream itself.
"""

from __future__ import annotations

from collections.abc import Sequence
from functools import lru_cache
from pathlib import Path

from streams.rules.morphology import ARTICLE
from streams.rules.variants import common_words
from streams.textnorm import fold

FREQUENCIES_PATH = Path(__file__).with_name("word_frequencies.txt")
# A common-word list entry missing from the frequency list counts as this common (per token).
_COMMON_WORD_SHARE = 1e-3


@lru_cache(maxsize=1)
def word_shares() -> dict[str, float]:
    """Folded word → its share of the tokens of news text."""
    shares: dict[str, float] = {}
    for line in FREQUENCIES_PATH.read_text(encoding="utf-8").splitlines():
        if line and not line.startswith("#"):
            word, per_million = line.split("\t")
            shares[word] = float(per_million) / 1e6
    for word in common_words():
        shares.setdefault(word, _COMMON_WORD_SHARE)
    return shares


def word_share(word: str) -> float:
    """How common ``word`` (a folded rule word) is, with or without the article ال; 0 for a
    word the lists do not know (a name, a rare term)."""
    shares = word_shares()
    folded = fold(word)
    bare = folded[len(ARTICLE) :] if folded.startswith(ARTICLE) else folded
    return max(shares.get(folded, 0.0), shares.get(bare, 0.0), shares.get(ARTICLE + bare, 0.0))


def rarest(words: Sequence[Sequence[str]]) -> int:
    """Index of the rarest of ``words``, each given by its spellings and as common as the
    most common of them (the last of equals: names come last in Arabic)."""
    return last_lowest([max(map(word_share, spellings)) for spellings in words])


def last_lowest(values: Sequence[float]) -> int:
    """Index of the lowest of ``values``, the last of equals (names come last in Arabic)."""
    best = 0
    for i, value in enumerate(values):
        if value <= values[best]:
            best = i
    return best
