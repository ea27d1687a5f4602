"""Evidence: what matched, quoted from the original text, with offsets into it."""

from __future__ import annotations

from kernel.messages import Evidence
from streams.rules.text import ArticleText
from streams.textnorm import NormalizedText


class Occurrence:
    """One place where a leaf fired. Terms, entities and regexes know their folded span;
    quantities come from the parser with original offsets."""

    __slots__ = ("leaf", "fstart", "fend", "ostart", "oend", "entity", "variant", "value", "unit", "term", "_tokens")

    def __init__(
        self,
        leaf: str,
        fstart: int | None,
        fend: int | None,
        *,
        ostart: int | None = None,
        oend: int | None = None,
        entity: str | None = None,
        variant: str | None = None,
        value: float | None = None,
        unit: str | None = None,
        term: str | None = None,
    ):
        self.leaf, self.fstart, self.fend = leaf, fstart, fend
        self.ostart, self.oend = ostart, oend
        self.entity, self.variant, self.value, self.unit, self.term = entity, variant, value, unit, term
        self._tokens: tuple[int, int] | None = None

    def __repr__(self) -> str:
        return f"Occurrence({self.leaf}, folded={self.fstart}:{self.fend}, original={self.ostart}:{self.oend})"

    def folded_span(self, normalized: NormalizedText) -> tuple[int, int]:
        if self.fstart is None:
            self.fstart, self.fend = normalized.to_folded(self.ostart, self.oend)
        return self.fstart, self.fend

    def original_span(self, normalized: NormalizedText) -> tuple[int, int]:
        if self.ostart is None:
            self.ostart, self.oend = normalized.to_original(self.fstart, self.fend)
        return self.ostart, self.oend

    def token_span(self, article: ArticleText) -> tuple[int, int]:
        """(first token index, last token index) of the occurrence."""
        if self._tokens is None:
            fstart, fend = self.folded_span(article.normalized)
            first = article.token_index(fstart)
            # a span of word characters only is one token (a word, most often)
            last = first if article.folded[fstart:fend].isalnum() else article.token_index(max(fstart, fend - 1))
            self._tokens = (first, last)
        return self._tokens


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def to_evidence(occurrences: list[Occurrence], normalized: NormalizedText) -> list[Evidence]:
    """Evidence items in text order, one per distinct (leaf, span). A span inside a longer
    span of the same kind is dropped ("بيسكوف" inside "دميتري بيسكوف")."""
    if len(occurrences) == 1:
        # Most alerts quote one occurrence (a rare term, found once): nothing to order or drop.
        occ = occurrences[0]
        if occ.ostart is None:
            occ.ostart, occ.oend = normalized.to_original(occ.fstart, occ.fend)
        return [_evidence(occ, occ.ostart, occ.oend, normalized.original)]
    spans = sorted(((*occ.original_span(normalized), occ) for occ in occurrences), key=lambda t: (t[0], -t[1]))
    kept: list[tuple[int, int, Occurrence]] = []
    reach: dict[str, int] = {}  # leaf kind → furthest end kept so far
    for start, end, occ in spans:
        if end <= reach.get(occ.leaf, -1):
            continue  # same or contained span
        reach[occ.leaf] = end
        kept.append((start, end, occ))
    return [_evidence(occ, start, end, normalized.original) for start, end, occ in kept]


def _evidence(occ: Occurrence, start: int, end: int, original: str) -> Evidence:
    return Evidence(
        leaf=occ.leaf,
        text=original[start:end],
        start=start,
        end=end,
        value=_number(occ.value),
        variant=occ.variant,
        entity=occ.entity,
        unit=occ.unit,
    )
