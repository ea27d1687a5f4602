"""Chunk verdicts: what one chunk of text (a word with its punctuation, mostly) holds for a
rule set, whatever article it is in, so that it is computed once per distinct chunk."""

from __future__ import annotations

from bisect import bisect_right
from collections.abc import Callable
from itertools import chain
from operator import itemgetter

from streams.rules.morphology import ANY_PREFIX, ANY_REMAINDER, WORD
from streams.rules.phrases import KeyAutomaton
from streams.rules.text import CHUNK_CACHE_SIZE

_FIRST = itemgetter(0)


class ChunkVerdict:
    """What one chunk (text between two spaces) holds, whatever article it is in.

    ``hits``: (phrase id, token start, token end) for each phrase whose key (rarest) word one
    of the chunk's tokens is, in automaton order; ``rules``: the rules triggered by the
    one-word phrases among them; ``multi``: some hit is the key of a phrase of several words,
    which only the article's words around it can confirm."""

    __slots__ = ("hits", "rules", "multi", "active")

    def __init__(self, hits: tuple[tuple[int, int, int], ...], rules: tuple[int, ...], multi: bool):
        self.hits = hits
        self.rules = rules
        self.multi = multi
        self.active = bool(rules) or multi


NO_HITS = ChunkVerdict((), (), False)


class ChunkCache(dict[str, ChunkVerdict]):
    """chunk → ChunkVerdict, computed on first sight; bounded (cleared when full, since
    rebuilding costs only the automaton runs of the chunks seen again)."""

    def __init__(self, compute: Callable[[str], ChunkVerdict], pid_chunks: dict[int, set[str]]):
        super().__init__()
        self.compute = compute
        self.pid_chunks = pid_chunks

    def make_room(self) -> None:
        """Called between articles (never during one: an article's verdicts must stay
        consistent with ``pid_chunks``)."""
        if len(self) >= CHUNK_CACHE_SIZE:
            self.clear()
            self.pid_chunks.clear()

    def __missing__(self, chunk: str) -> ChunkVerdict:
        verdict = self[chunk] = self.compute(chunk)
        return verdict


def key_word_hits(keys: KeyAutomaton, chunk: str) -> list[tuple[int, int, int]]:
    """(phrase id, token start, token end) for each phrase whose key word (one of its
    spellings) one of the tokens of ``chunk`` is, in automaton order."""
    found = keys.automaton.iter(chunk)
    first = next(found, None)
    if first is None:
        return []  # most new words hold no core at all
    hits: list[tuple[int, int, int]] = []
    # Each hit's place in the automaton's order: where the automaton first meets its
    # core in its token, (end, -length). A core met first where no spec takes it is
    # skipped there, and its hit restored to that place at the end.
    order: list[tuple[int, int]] = []
    met_earlier = False
    found_at: set[tuple[int, int]] = set()  # (phrase, token start) already a hit
    tried: set[tuple[int, int]] = set()  # (automaton entry, token start) already checked
    # The chunk's tokens; a core is all word characters, so it lies inside one token.
    size = len(chunk)
    tokens = None if chunk.isalnum() else [m.span() for m in WORD.finditer(chunk)]
    ts, te = 0, size
    core_lengths, offsets, core_pids, key_specs = keys.lengths, keys.offsets, keys.pids, keys.specs
    for end, core_number in chain((first,), found):
        core_len = core_lengths[core_number]
        if tokens is not None:
            ts, te = tokens[bisect_right(tokens, (end, size)) - 1]
        start = end + 1 - core_len
        # No spec takes what surrounds the core here (most cores found in a new word end
        # here): ``matches`` would fail at this place.
        prefix = chunk[ts:start]
        if prefix not in ANY_PREFIX:
            continue
        remainder = chunk[end + 1 : te]
        if remainder not in ANY_REMAINDER:
            continue
        core = chunk[start : end + 1]
        first_at = chunk.find(core, ts, te) if start > ts else start
        for entry in range(offsets[core_number], offsets[core_number + 1]):
            pid = core_pids[entry]
            if (pid, ts) in found_at or (entry, ts) in tried:
                continue
            tried.add((entry, ts))
            spec = key_specs[entry]
            shape = spec.shape
            if not (prefix in shape.allowed_prefixes and remainder in shape.allowed_remainders):
                # Not this word at this place; ``matches`` tries every place of the core in
                # the token, so only another place can make it.
                elsewhere = first_at != start or chunk.find(core, start + 1, te) != -1
                if not (elsewhere and spec.matches(chunk[ts:te])):
                    continue
            found_at.add((pid, ts))
            hits.append((pid, ts, te))
            order.append((first_at + core_len, -core_len))
            met_earlier = met_earlier or first_at != start
    if met_earlier:
        hits = [hit for _, hit in sorted(zip(order, hits), key=_FIRST)]
    return hits
