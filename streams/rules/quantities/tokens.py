"""Tokens of folded text for the quantity scanner, and the token arrays of one stretch."""

from __future__ import annotations

import re

from streams.textnorm import NormalizedText, fold

# Digit groups with inner separators, words (letters only), or any other single symbol.
TOKEN_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+|[^\w\s]")
LATIN_WORD_RE = re.compile(r"[a-z]+")
_GROUP, _START, _END = re.Match.group, re.Match.start, re.Match.end

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
        # one pass per array, each in C (a Python loop over the matches cost twice as much)
        matches = list(TOKEN_RE.finditer(folded, begin, end))
        self.texts: list[str] = list(map(_GROUP, matches))
        self.starts: list[int] = list(map(_START, matches))
        self.ends: list[int] = list(map(_END, matches))
        self.n = len(matches)

    def adjacent(self, left: int, right: int) -> bool:
        """Token ``right`` follows token ``left`` with no gap at all."""
        return self.ends[left] == self.starts[right]

    def same_line(self, left: int, right: int) -> bool:
        """No line break between tokens ``left`` and ``right`` (a quantity never spans one)."""
        return "\n" not in self.folded[self.ends[left] : self.starts[right]]

    def original_text(self, start: int, end: int) -> str:
        """The original wording of the folded span [start, end)."""
        return self.norm.original_text(start, end)
