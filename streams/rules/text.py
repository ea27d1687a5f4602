"""The text of one article as the matcher reads it: folded, cut into chunks at spaces,
with token positions built only when evidence or ``near`` needs them."""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from itertools import accumulate, count
from operator import add

import numpy as np

from streams.rules.morphology import WORD, match_fold
from streams.rules.regions import NO_REGIONS, Span, folded_regions
from streams.textnorm import NormalizedText, fold

# Between the words of a phrase: spaces (one line break at most), hyphens, quotes,
# brackets. Anything else (a full stop, a comma) ends the phrase.
PHRASE_GAP = frozenset(" \t\n-'\"()[]/")
_GAP_CLASS = "[" + re.escape("".join(sorted(PHRASE_GAP - {"\n"}))) + "]*"
# The next token after phrase-gap characters holding one line break at most (``\w`` is
# exactly ``is_word_char``: letters, digits and _).
_NEXT_TOKEN = re.compile(f"{_GAP_CLASS}(?:\n{_GAP_CLASS})?(\\w+)")
# What separates chunks in folded text (folding makes every other space " ").
_SEPARATORS = " \n"
_SPACE, _NEWLINE = ord(" "), ord("\n")
# Text length from which chunk offsets are found with numpy (its fixed cost, a few µs, is
# more than a sentence's running sum)
_NUMPY_FROM = 1_000
# Entries of a per-chunk cache before it is cleared (news repeats a few thousand words).
CHUNK_CACHE_SIZE = 100_000


def primary_language(code: str) -> str:
    return code.replace("_", "-").split("-")[0].lower()


def is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def token_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole token of ``text`` containing [start, end)."""
    ts = start
    while ts > 0 and is_word_char(text[ts - 1]):
        ts -= 1
    te = end
    n = len(text)
    while te < n and is_word_char(text[te]):
        te += 1
    return ts, te


class _TokenCounts(dict[str, int]):
    """chunk → number of tokens in it (a pure function of the chunk, shared by all rule
    sets; bounded like the chunk cache)."""

    def __missing__(self, chunk: str) -> int:
        if len(self) >= CHUNK_CACHE_SIZE:
            self.clear()
        # a chunk of letters and digits only is one word (most are): no regex needed
        count = self[chunk] = 1 if chunk.isalnum() else len(WORD.findall(chunk))
        return count


_TOKEN_COUNTS = _TokenCounts()


class ArticleText:
    """The folded text of one article, with lazily built token positions.

    ``folded`` keeps ة apart (terms and names, see ``morphology``); ``standard`` is the
    ordinary ``fold`` (regexes, quantities). Both have the same length and offsets.

    Positions (chunk offsets, token indices) come from tables built once per article, on
    first need, in C (``accumulate``), so that an article costs time linear in its length
    however many of its words match (a search or a running sum per matched word made 1 MB of
    match-dense text take minutes)."""

    __slots__ = (
        "normalized",
        "folded",
        "chunks",
        "regions",
        "_standard",
        "_starts",
        "_tokens_before",
        "_distinct",
        "_reversed",
        "_before",
    )

    def __init__(self, text: str, title_end: int = 0, asides: Iterable[Span] = ()):
        self.folded = match_fold(text)
        self.normalized = NormalizedText(text, self.folded)
        self.regions = folded_regions(self.normalized, title_end, asides) if title_end or asides else NO_REGIONS
        # Folding turns every space but a line break into " ", so this cuts at all of them
        # (a line break is one character too: offsets stay those of ``folded``).
        self.chunks = self.folded.replace("\n", " ").split(" ")
        self._standard: NormalizedText | None = None
        self._starts: list[int] | None = None  # folded offset of each chunk
        self._tokens_before: list[int] | None = None  # tokens in the chunks before each
        self._distinct: set[str] | None = None
        self._reversed: str | None = None  # ``folded`` backwards, for ``prev_token``
        # position → ``prev_token`` there: the phrases keyed on one word all look back from
        # where it stands (at 10k rules 115 of an article's ~150 looks are repeats)
        self._before: dict[int, tuple[int, int] | None] = {}

    def chunk_starts(self) -> list[int]:
        """Folded offset of every chunk (each chunk is followed by one separator)."""
        starts = self._starts
        if starts is None:
            folded = self.folded
            if len(folded) < _NUMPY_FROM:
                # the letters of the chunks before, plus one separator after each of them
                starts = list(map(add, accumulate(map(len, self.chunks), initial=0), count()))
            else:
                # one past each separator, found over the code points in numpy: half the
                # cost of the running sum on an article (whose small ints are objects)
                codes = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
                after = np.flatnonzero((codes == _SPACE) | (codes == _NEWLINE))
                after += 1
                starts = [0, *after.tolist(), len(folded) + 1]
            self._starts = starts
        return starts

    def chunk_set(self) -> set[str]:
        """The article's distinct chunks."""
        distinct = self._distinct
        if distinct is None:
            distinct = self._distinct = set(self.chunks)
        return distinct

    def chunk_indices(self, wanted: set[str]) -> list[int]:
        """The indices of the chunks equal to one of ``wanted`` (chunks of the article), in
        order: each is searched for in the folded text (in C) rather than every chunk
        compared in turn."""
        folded = self.folded
        size = len(folded)
        starts = self.chunk_starts()
        found = []
        for chunk in wanted:
            length = len(chunk)
            at = folded.find(chunk)
            while at != -1:
                end = at + length
                # a whole chunk: a separator (or the text's edge) on either side
                if (at == 0 or folded[at - 1] in _SEPARATORS) and (end == size or folded[end] in _SEPARATORS):
                    found.append(bisect_left(starts, at))
                at = folded.find(chunk, at + 1)
        found.sort()
        return found

    def chunk_start(self, i: int) -> int:
        """Folded offset of chunk ``i``."""
        return self.chunk_starts()[i]

    @property
    def standard(self) -> NormalizedText:
        if self._standard is None:
            self._standard = NormalizedText(self.normalized.original, fold(self.normalized.original))
        return self._standard

    def token_at(self, start: int, end: int) -> tuple[int, int]:
        """The whole token containing folded [start, end)."""
        return token_bounds(self.folded, start, end)

    def next_token(self, pos: int) -> tuple[int, int] | None:
        """The token after position ``pos`` when only phrase-gap characters lie between."""
        found = _NEXT_TOKEN.match(self.folded, pos)
        return None if found is None else found.span(1)

    def prev_token(self, pos: int) -> tuple[int, int] | None:
        """The token ending before position ``pos`` when only phrase-gap characters lie
        between (the mirror of ``next_token``).

        Read as ``next_token`` reads forwards, in the text reversed once per article: the
        gap and the token are the same pattern either way. A walk back one character at a
        time in Python cost 8 % of matching's instructions at 10k rules (a phrase keyed on a
        word past its first looks back at every place its key word stands)."""
        before = self._before
        if pos in before:
            return before[pos]
        backwards = self._reversed
        if backwards is None:
            backwards = self._reversed = self.folded[::-1]
        size = len(backwards)
        found = _NEXT_TOKEN.match(backwards, size - pos)
        span = None if found is None else (size - found.end(1), size - found.start(1))
        before[pos] = span
        return span

    def token_index(self, fpos: int) -> int:
        """Index of the token at (or the last token before) folded position ``fpos``.

        Counted per chunk (a token never spans two) with cached per-chunk token counts:
        listing every token of the article with a regex costs several times more."""
        if self._tokens_before is None:
            self._tokens_before = list(accumulate(map(_TOKEN_COUNTS.__getitem__, self.chunks), initial=0))
        starts = self.chunk_starts()
        i = bisect_right(starts, fpos) - 1
        upto = len(WORD.findall(self.chunks[i], 0, fpos - starts[i] + 1))
        return max(0, self._tokens_before[i] + upto - 1)

    def language(self) -> str:
        arabic = latin = 0
        for ch in self.folded:
            if "\u0621" <= ch <= "\u064a":
                arabic += 1
            elif "a" <= ch <= "z":
                latin += 1
        return "ar" if arabic >= latin else "en"
