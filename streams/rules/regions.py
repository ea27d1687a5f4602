"""Where in an article a match lies: its title, its body, or an aside the cleaner kept
(a headline ticker, a tag line, an embedded post; ``kernel.messages.Article.asides``).

Rules see ``document_text(title, text)``: the title, a blank line, then the text. An
occurrence is in the *title* when it starts before the title's end, in an *aside* when it
overlaps one of the asides, and in the *body* otherwise. A rule's leaves match only in the
regions it names (``regions:``, default title and body), so that a tag line "روسيا" or a
hashtag in an embedded post does not make an article about Russia.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable
from dataclasses import dataclass

from kernel.messages import Region
from streams.textnorm import NormalizedText

REGIONS: tuple[Region, ...] = ("title", "body", "aside")
DEFAULT_REGIONS: frozenset[str] = frozenset(("title", "body"))
Span = tuple[int, int]

# Separates the title from the text in ``document_text`` (kernel.messages).
_TITLE_GAP = 2


def document_spans(title: str, asides: Iterable[Span]) -> tuple[int, list[Span]]:
    """The end of the title and the asides (spans of the article's text) in the coordinates
    of ``document_text(title, text)``."""
    if not title:
        return 0, [(start, end) for start, end in asides]
    shift = len(title) + _TITLE_GAP
    return len(title), [(start + shift, end + shift) for start, end in asides]


@dataclass(frozen=True, slots=True)
class DocumentRegions:
    """The regions of one document in its folded coordinates (where occurrences are found)."""

    title_end: int
    aside_starts: tuple[int, ...]  # sorted, non-overlapping
    aside_ends: tuple[int, ...]

    @property
    def present(self) -> frozenset[str]:
        """The regions this document has (the body is assumed to be there)."""
        out = {"body"}
        if self.title_end > 0:
            out.add("title")
        if self.aside_starts:
            out.add("aside")
        return frozenset(out)

    def region_of(self, start: int, end: int) -> Region:
        """The region of the folded span [start, end)."""
        if start < self.title_end:
            return "title"
        starts = self.aside_starts
        if starts:
            # the last aside starting before the span ends; asides do not overlap each other
            i = bisect_left(starts, max(end, start + 1)) - 1
            if i >= 0 and self.aside_ends[i] > start:
                return "aside"
        return "body"


NO_REGIONS = DocumentRegions(0, (), ())


def folded_regions(normalized: NormalizedText, title_end: int, asides: Iterable[Span]) -> DocumentRegions:
    """The regions of a document given in its original coordinates, mapped to folded ones."""
    title_fold = normalized.to_folded(0, title_end)[1] if title_end > 0 else 0
    merged: list[list[int]] = []
    for start, end in sorted(normalized.to_folded(max(0, s), max(0, e)) for s, e in asides if e > s):
        if merged and start <= merged[-1][1]:
            merged[-1][1] = max(merged[-1][1], end)
        elif end > start:
            merged.append([start, end])
    if title_fold == 0 and not merged:
        return NO_REGIONS
    return DocumentRegions(title_fold, tuple(s for s, _ in merged), tuple(e for _, e in merged))
