"""The text of one article as the matcher reads it: folded, cut into chunks at spaces,
with token positions built only when evidence or ``near`` needs them."""

from __future__ import annotations

from itertools import accumulate

from streams.rules.morphology import WORD, match_fold
from streams.textnorm import NormalizedText, fold

# Between the words of a phrase: spaces (one line break at most), hyphens, quotes,
# brackets. Anything else (a full stop, a comma) ends the phrase.
PHRASE_GAP = frozenset(" \t\n-'\"()[]/")
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
    ordinary ``fold`` (regexes, quantities). Both have the same length and offsets."""

    __slots__ = ("normalized", "folded", "chunks", "_spaced", "_standard", "_tokens_before")

    def __init__(self, text: str):
        self.folded = match_fold(text)
        self.normalized = NormalizedText(text, self.folded)
        # Folding turns every space but a line break into " ", so this cuts at all of them
        # (a line break is one character too: offsets stay those of ``folded``).
        self._spaced = self.folded.replace("\n", " ")  # (chunk_start searches it)
        self.chunks = self._spaced.split(" ")
        self._standard: NormalizedText | None = None
        self._tokens_before: list[int] | None = None  # tokens in the chunks before each

    def chunk_start(self, i: int) -> int:
        """Folded offset of chunk ``i``."""
        chunks = self.chunks
        if i == 0:
            return 0
        if i == len(chunks) - 1:
            return len(self.folded) - len(chunks[i])
        # An article needs the offsets of a few chunks, mostly rare words: a chunk whose text
        # stands once in the article is where a search (in C) finds it between separators,
        # a repeated one is placed by the lengths of the chunks before it. Either costs less
        # than a running sum over all the chunks of every article.
        spaced = self._spaced
        key = " " + chunks[i] + " "  # only a chunk between two others can match
        at = spaced.find(key)
        if spaced.find(key, at + 1) == -1:
            return at + 1
        return sum(map(len, chunks[:i])) + i

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
        folded = self.folded
        n = len(folded)
        newlines = 0
        while pos < n and not is_word_char(folded[pos]):
            ch = folded[pos]
            if ch not in PHRASE_GAP:
                return None
            if ch == "\n":
                newlines += 1
                if newlines > 1:
                    return None
            pos += 1
        if pos >= n:
            return None
        end = pos
        while end < n and is_word_char(folded[end]):
            end += 1
        return pos, end

    def token_index(self, fpos: int) -> int:
        """Index of the token at (or the last token before) folded position ``fpos``.

        Counted per chunk (a token never spans two) with cached per-chunk token counts:
        listing every token of the article with a regex costs several times more."""
        if self._tokens_before is None:
            self._tokens_before = list(accumulate(map(_TOKEN_COUNTS.__getitem__, self.chunks), initial=0))
        folded = self.folded
        # The chunk holding ``fpos`` comes after one separator (a space or a line break) per
        # chunk before it; counting them runs in C, with no list of chunk offsets to build.
        i = folded.count(" ", 0, fpos) + folded.count("\n", 0, fpos)
        start = max(folded.rfind(" ", 0, fpos), folded.rfind("\n", 0, fpos)) + 1
        upto = len(WORD.findall(self.chunks[i], 0, fpos - start + 1))
        return max(0, self._tokens_before[i] + upto - 1)

    def language(self) -> str:
        arabic = latin = 0
        for ch in self.folded:
            if "\u0621" <= ch <= "\u064a":
                arabic += 1
            elif "a" <= ch <= "z":
                latin += 1
        return "ar" if arabic >= latin else "en"
