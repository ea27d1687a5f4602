"""Evidence: what matched, quoted from the original text, with offsets into it."""

from __future__ import annotations

from typing import Any

from kernel.messages import Evidence, Region
from streams.rules.regions import NO_REGIONS, DocumentRegions
from streams.rules.text import ArticleText
from streams.textnorm import NormalizedText

# Evidence(**fields), validated the same way, without the keyword-argument call (a third
# of its cost, paid for every evidence item of every alert)
_validated = Evidence.__pydantic_validator__.validate_python


class Occurrence:
    """One place where a leaf fired. Each kind knows one of its spans and works out the
    other on first need: terms, entities and regexes are found in the folded text
    (``FoldedOccurrence``), quantities by the parser in the original text
    (``QuantityOccurrence``)."""

    __slots__ = ("leaf", "entity", "variant", "value", "unit", "term", "_tokens", "_fields", "_evidence")

    leaf: str
    entity: str | None
    variant: str | None
    value: float | None
    unit: str | None
    term: str | None
    _tokens: tuple[int, int] | None
    # its Evidence's fields, and the Evidence, built on first need: an occurrence is quoted
    # by every rule that fires on its leaf (at 10k rules an article's ~18 alerts share most
    # of their occurrences; nothing changes an Evidence once made)
    _fields: dict[str, Any] | None
    _evidence: Evidence | None

    def folded_span(self, normalized: NormalizedText) -> tuple[int, int]:
        raise NotImplementedError

    def original_span(self, normalized: NormalizedText) -> tuple[int, int]:
        raise NotImplementedError

    def token_span(self, article: ArticleText) -> tuple[int, int]:
        """(first token index, last token index) of the occurrence."""
        if self._tokens is None:
            fstart, fend = self.folded_span(article.normalized)
            first = article.token_index(fstart)
            # a span of word characters only is one token (a word, most often)
            last = first if article.folded[fstart:fend].isalnum() else article.token_index(max(fstart, fend - 1))
            self._tokens = (first, last)
        return self._tokens

    def evidence_fields(self, normalized: NormalizedText, regions: DocumentRegions) -> dict[str, Any]:
        """The fields of its Evidence (the same for every rule quoting it)."""
        fields = self._fields
        if fields is None:
            start, end = self.original_span(normalized)
            region: Region = "body" if regions is NO_REGIONS else regions.region_of(*self.folded_span(normalized))
            fields = self._fields = {
                "leaf": self.leaf,
                "text": normalized.original[start:end],
                "start": start,
                "end": end,
                "value": _number(self.value),
                "variant": self.variant,
                "entity": self.entity,
                "unit": self.unit,
                "region": region,
            }
        return fields

    def evidence(self, normalized: NormalizedText, regions: DocumentRegions) -> Evidence:
        """Its Evidence (one object for every rule quoting it)."""
        evidence = self._evidence
        if evidence is None:
            evidence = self._evidence = _validated(self.evidence_fields(normalized, regions))
        return evidence


class FoldedOccurrence(Occurrence):
    """A term, entity or regex occurrence: found at [fstart, fend) of the folded text."""

    __slots__ = ("fstart", "fend", "_original")

    def __init__(
        self,
        leaf: str,
        fstart: int,
        fend: int,
        entity: str | None = None,
        variant: str | None = None,
        term: str | None = None,
    ):
        self.leaf, self.fstart, self.fend = leaf, fstart, fend
        self.entity, self.variant, self.term = entity, variant, term
        self.value = self.unit = None
        self._original: tuple[int, int] | None = None
        self._tokens = self._fields = self._evidence = None

    def __repr__(self) -> str:
        return f"FoldedOccurrence({self.leaf}, folded={self.fstart}:{self.fend})"

    def folded_span(self, normalized: NormalizedText) -> tuple[int, int]:
        return self.fstart, self.fend

    def original_span(self, normalized: NormalizedText) -> tuple[int, int]:
        original = self._original
        if original is None:
            original = self._original = normalized.to_original(self.fstart, self.fend)
        return original


class QuantityOccurrence(Occurrence):
    """A quantity: found by the parser at [ostart, oend) of the original text."""

    __slots__ = ("ostart", "oend", "_folded")

    def __init__(self, ostart: int, oend: int, *, value: float, unit: str):
        self.leaf, self.ostart, self.oend = "quantity", ostart, oend
        self.value, self.unit = value, unit
        self.entity = self.variant = self.term = None
        self._folded: tuple[int, int] | None = None
        self._tokens = self._fields = self._evidence = None

    def __repr__(self) -> str:
        return f"QuantityOccurrence({self.value} {self.unit}, original={self.ostart}:{self.oend})"

    def folded_span(self, normalized: NormalizedText) -> tuple[int, int]:
        folded = self._folded
        if folded is None:
            folded = self._folded = normalized.to_folded(self.ostart, self.oend)
        return folded

    def original_span(self, normalized: NormalizedText) -> tuple[int, int]:
        return self.ostart, self.oend


def _number(value: float | None) -> float | int | None:
    if value is None:
        return None
    return int(value) if float(value).is_integer() else value


def to_evidence(
    occurrences: list[Occurrence], normalized: NormalizedText, regions: DocumentRegions = NO_REGIONS
) -> list[Evidence]:
    """Evidence items in text order, one per distinct (leaf, span), each with its region. A
    span inside a longer span of the same kind is dropped ("بيسكوف" inside "دميتري بيسكوف")."""
    if len(occurrences) == 1:
        # Most alerts quote one occurrence (a rare term, found once): nothing to order or drop.
        return [occurrences[0].evidence(normalized, regions)]
    items = [(occ.evidence_fields(normalized, regions), occ) for occ in occurrences]
    # by start, the longer span first (a stable sort: equal spans keep their order)
    items.sort(key=_text_order)
    kept: list[Evidence] = []
    reach: dict[str, int] = {}  # leaf kind → furthest end kept so far
    for fields, occ in items:
        end = fields["end"]
        if end <= reach.get(fields["leaf"], -1):
            continue  # same or contained span
        reach[fields["leaf"]] = end
        kept.append(occ.evidence(normalized, regions))
    return kept


def _text_order(item: tuple[dict[str, Any], Occurrence]) -> tuple[int, int]:
    return item[0]["start"], -item[0]["end"]
