"""Tokens of folded text for the quantity scanner, and the token arrays of one stretch."""

from __future__ import annotations

import re
from itertools import accumulate

from streams.textnorm import NormalizedText, fold

# Digit groups with inner separators, words (letters only), or any other single symbol.
TOKEN_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+|[^\w\s]")
LATIN_WORD_RE = re.compile(r"[a-z]+")
_SPLIT_RE = re.compile(f"({TOKEN_RE.pattern})")
# A number in brackets, as Gulf agencies write it ("أكثر من (100) ألف جندي", "(15) مليون
# دولار"): read as if the brackets were spaces (same length, so offsets do not move).
_BRACKETED_DIGITS = re.compile(r"[(\[]([0-9]+(?:[.,][0-9]+)*)[)\]]")

# Single-letter proclitics that may stick to the first word of a number or qualifier
# ("وخمسين", "بنحو", "لأكثر"). و/ف also join the parts of a compound number.
PROCLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "فب", "ول", "فل", "وك")
ARTICLE = "ال"


def folded_tokens(text: str) -> tuple[str, ...]:
    """The tokens of ``text`` once folded (how config words and phrases are compared)."""
    return tuple(TOKEN_RE.findall(fold(text)))


class Tokens:
    """The tokens of one stretch of a normalized text: their folded strings and offsets."""

    __slots__ = ("norm", "folded", "texts", "starts", "ends", "n")

    def __init__(self, norm: NormalizedText, begin: int, end: int) -> None:
        """Tokens of ``norm.text[begin:end]`` (a stretch cut at whitespace)."""
        self.norm = norm
        self.folded = folded = norm.text
        # tokens and the gaps between them, in C; offsets are the running sum of their
        # lengths (cheaper than a match object per token)
        stretch = folded[begin:end]
        if "(" in stretch or "[" in stretch:
            stretch = _BRACKETED_DIGITS.sub(r" \1 ", stretch)
        parts = _SPLIT_RE.split(stretch)
        bounds = list(accumulate(map(len, parts), initial=begin))
        self.texts: list[str] = parts[1::2]
        self.starts: list[int] = bounds[1:-1:2]
        self.ends: list[int] = bounds[2::2]
        self.n = len(self.texts)

    def bracketed(self, start: int) -> bool:
        """Whether the digits starting at folded offset ``start`` are in brackets."""
        folded = self.folded
        return start > 0 and folded[start - 1] in "([" and _BRACKETED_DIGITS.match(folded, start - 1) is not None

    def adjacent(self, left: int, right: int) -> bool:
        """Token ``right`` follows token ``left`` with no gap at all."""
        return self.ends[left] == self.starts[right]

    def same_line(self, left: int, right: int) -> bool:
        """No line break between tokens ``left`` and ``right`` (a quantity never spans one)."""
        return "\n" not in self.folded[self.ends[left] : self.starts[right]]

    def original_text(self, start: int, end: int) -> str:
        """The original wording of the folded span [start, end)."""
        return self.norm.original_text(start, end)
