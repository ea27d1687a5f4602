"""Phrase keys learned from the stream: which word of a phrase the automaton looks for.

A phrase of several words is keyed on its rarest word, so that an everyday word of it does
not send each of its occurrences to a phrase check. Before any article is seen, rarity
comes from the shipped list (``frequencies``, a per-token share: the cold-start prior).
Then the worker counts, on the articles it samples for leaf frequencies (``triggers``), on
how many of them each token occurs, and at each re-plan keys every phrase on the word of
the lowest estimated document frequency: the observed share of sampled articles holding
a token the word (one of its spellings) may be, with the prior as ``PRIOR_WEIGHT``
pseudo-articles. Re-keying changes which word is looked up first, never what matches.
"""

from __future__ import annotations

import math
from collections.abc import Iterable, Sequence

from streams.rules.frequencies import last_lowest, word_share
from streams.rules.morphology import ANY_PREFIX, ANY_REMAINDER, MAX_PREFIX, WORD, WordSpec
from streams.rules.phrases import Phrase

# Distinct tokens counted: the everyday ones are met in the first articles, and the
# learning must stay a small part of a worker's memory (~100 bytes a token).
MAX_TOKENS = 20_000
# How many sampled articles the shipped list's guess weighs.
PRIOR_WEIGHT = 16
# Tokens of an article, to turn the list's per-token share into a share of articles.
_TOKENS_PER_ARTICLE = 700
_MAX_REMAINDER = max(map(len, ANY_REMAINDER))


class TokenCounts:
    """On how many sampled articles each token occurred (bounded: once ``limit`` tokens are
    known, new ones are not counted, and stay as rare as the prior says)."""

    def __init__(self, limit: int = MAX_TOKENS) -> None:
        self.limit = limit
        self.counts: dict[str, int] = {}
        self.samples = 0

    def record(self, chunks: Iterable[str]) -> None:
        """Count one sampled article, given its chunks."""
        tokens: set[str] = set()
        for chunk in set(chunks):
            if chunk.isalnum():
                tokens.add(chunk)
            elif chunk:
                tokens.update(WORD.findall(chunk))
        counts = self.counts
        room = self.limit - len(counts)
        for token in tokens:
            seen = counts.get(token)
            if seen is not None:
                counts[token] = seen + 1
            elif room > 0:
                counts[token] = 1
                room -= 1
        self.samples += 1

    def by_core(self) -> dict[str, list[str]]:
        """Core → the counted tokens made of an allowed prefix, it, and an allowed remainder
        (every token a word spec with that core may match)."""
        index: dict[str, list[str]] = {}
        for token in self.counts:
            size = len(token)
            for k in range(min(MAX_PREFIX, size - 1) + 1):
                if token[:k] not in ANY_PREFIX:
                    continue
                for j in range(min(_MAX_REMAINDER, size - k - 1) + 1):
                    remainder = token[size - j :] if j else ""
                    if remainder in ANY_REMAINDER:
                        index.setdefault(token[k : size - j], []).append(token)
        return index


def learned_keys(phrases: Sequence[Phrase], counts: TokenCounts) -> list[int]:
    """The key (rarest word's index) of every phrase by the counts, the shipped list as prior."""
    index = counts.by_core()
    samples = counts.samples

    # Not cached: nearly every word spec of a set is a word of one phrase only, and a
    # table of ~70,000 estimates would outweigh the learning itself.
    def estimate(spec: WordSpec) -> float:
        seen = min(samples, sum(counts.counts[t] for t in set(index.get(spec.core, ())) if spec.matches(t)))
        prior = 1.0 - math.exp(-word_share(spec.word) * _TOKENS_PER_ARTICLE)
        return (seen + PRIOR_WEIGHT * prior) / (samples + PRIOR_WEIGHT)

    keys = []
    for phrase in phrases:
        if len(phrase.words) == 1:
            keys.append(0)
            continue
        keys.append(last_lowest([max(map(estimate, spellings)) for spellings in phrase.words]))
    return keys
