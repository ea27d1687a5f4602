"""A stored article's story vector (``StoryProfile``), as the dedupe store keeps it.

Layout (little-endian): a head (term count with two flags, link count, float32 norm of
the scaled weights), the term hashes (uint32 each), their weights (one byte each, 1..255),
the links (pairs of term indexes, one byte each) and, when the first flag is set, a count
byte and the figures (kind hash uint32, value float32 each); the article's event actions
(actions.py) ride there as one more entry of kind ACTIONS_KIND, their bit mask as the
value (exact in float32 below 2**24), and the years it names (years.py) as entries of
kind YEARS_KIND, one a year, the months it dates by (months.py) as entries of kind
MONTHS_KIND, one a month, and the countries its lead names (countries.py) as entries of
kind COUNTRIES_KIND, one a country, the weekday its lead reports (weekdays.py) as one
entry of kind REPORT_DAY_KIND, and being a preview (previews.py) as one entry of kind
PREVIEW_KIND. Profiles written before a field existed read as
having none of it, and code written before the actions read that entry as a figure of a
kind no article gives, i.e. never compared.
"""

from __future__ import annotations

import math
import struct
from collections.abc import Iterable, Sequence
from operator import mul

import numpy as np

MAX_LINKS = 128  # links kept per stored article
MAX_FACTS = 8  # figures with their kind (figures.py) kept per stored article
_FACTS_FLAG = 0x80  # in a stored profile's term count: figures follow the links
# in a stored profile's term count: the article's time is when it was seen, not published
_SEEN_TIME_FLAG = 0x40
_COUNT_MASK = 0x3F  # stories.PROFILE_TERMS fits
# the figure kind under which the actions are stored: no hash of a figure's kind (a
# 32-bit hash of a word, term_hashes.term_hash) is expected to be this one
ACTIONS_KIND = 0xFFFFFFFF
YEARS_KIND = 0xFFFFFFFE  # likewise, for the years
MONTHS_KIND = 0xFFFFFFFD  # likewise, for the months
COUNTRIES_KIND = 0xFFFFFFFC  # likewise, for the countries
REPORT_DAY_KIND = 0xFFFFFFFB  # likewise, for the weekday the lead reports
PREVIEW_KIND = 0xFFFFFFFA  # likewise, present (1.0) when the article is a preview (previews.py)

_FLOAT32 = struct.Struct("<f")
_FACT = struct.Struct("<If")
# n little-endian 32-bit term hashes for each n (struct reads a few dozen ~6x faster than numpy)
_term_struct = [struct.Struct(f"<{n}I") for n in range(_COUNT_MASK + 1)].__getitem__


class StoryProfile:
    """A stored article's story vector: its strongest terms (32-bit hashes), their weights
    scaled to 1..255, and the pairs of them that follow each other in its text.

    Read from the store it stays bytes until first used, and is then read in parts: a
    lookup returns up to two dozen candidates, a duplicate decision or a candidate outside
    the story window never looks at their stories, and most candidates inside it are
    refused on their terms alone (docs/performance.md, "Reading stored records")."""

    __slots__ = (
        "_raw",
        "_terms",
        "_weights",
        "_weight_of",
        "_norm",
        "_links",
        "_facts",
        "_time_known",
        "_actions",
        "_years",
        "_months",
        "_countries",
        "_report_day",
        "_preview",
    )

    _HEAD = struct.Struct("<BBf")  # terms, links, norm of the scaled weights

    def __init__(
        self,
        terms: Iterable[int],
        weights: Iterable[int],
        links: Iterable[tuple[int, int]] | bytes = (),
        facts: Iterable[tuple[int, float]] = (),
        time_known: bool = True,
        actions: int = 0,
        years: Iterable[int] = (),
        months: Iterable[int] = (),
        countries: Iterable[int] = (),
        report_day: int = 0,
        preview: bool = False,
    ) -> None:
        self._raw: bytes | None = None
        self._preview = preview
        self._time_known = time_known
        self._actions = actions
        self._years = frozenset(years)
        self._months = frozenset(months)
        self._countries = frozenset(countries)
        self._report_day = report_day
        # (kind hash, value) as stored (float32); None until read from the stored bytes
        self._facts: tuple[tuple[int, float], ...] | None = tuple(
            (kind, _FLOAT32.unpack(_FLOAT32.pack(value))[0]) for kind, value in facts
        )[:MAX_FACTS]
        self._terms: tuple[int, ...] | None = tuple(terms)  # likewise
        self._weights: Sequence[int] = tuple(weights)  # or, read from the store, bytes
        # index pairs into terms, flat (i, j, i, j, ...)
        self._links = links if isinstance(links, bytes) else bytes(b for link in links for b in link)
        self._weight_of: dict[int, int] | None = dict(zip(self._terms, self._weights))  # likewise
        # as stored (float32), so that a profile compares alike in memory and from Redis
        self._norm = _FLOAT32.unpack(_FLOAT32.pack(math.sqrt(sum(map(mul, self._weights, self._weights)))))[0]

    def _parse(self) -> tuple[int, ...]:
        """The vector itself (terms, weights, links, norm): what every candidate in the
        story window is asked. The figures and the rest after them, and the term -> weight
        table, wait until asked (``_parse_entries``, ``weight_of``): most candidates are
        refused on their terms alone, and those two are most of a full parse's cost."""
        raw = self._raw
        assert raw is not None, "parsed only while the stored bytes are held"
        n, n_links, self._norm = self._HEAD.unpack_from(raw)
        n &= _COUNT_MASK
        at = self._HEAD.size
        terms = self._terms = _term_struct(n).unpack_from(raw, at)
        self._weights = raw[at + 4 * n : at + 5 * n]
        self._links = raw[at + 5 * n : at + 5 * n + 2 * n_links]
        return terms

    def _parse_entries(self) -> tuple[tuple[int, float], ...]:
        """The entries after the links: figures, actions, years, months, countries and the
        report day, in one pass."""
        raw = self._raw
        assert raw is not None, "parsed only while the stored bytes are held"
        n, n_links, _ = self._HEAD.unpack_from(raw)
        facts: list[tuple[int, float]] = []
        years: list[int] = []
        months: list[int] = []
        countries: list[int] = []
        actions: int | None = None  # the first entry of each of these counts (one is written)
        report_day: int | None = None
        preview = False
        if n & _FACTS_FLAG:
            at = self._HEAD.size + 5 * (n & _COUNT_MASK) + 2 * n_links
            for kind, value in _FACT.iter_unpack(raw[at + 1 : at + 1 + _FACT.size * raw[at]]):
                if kind == YEARS_KIND:
                    years.append(int(value))
                elif kind == MONTHS_KIND:
                    months.append(int(value))
                elif kind == COUNTRIES_KIND:
                    countries.append(int(value))
                elif kind == ACTIONS_KIND:
                    actions = int(value) if actions is None else actions
                elif kind == REPORT_DAY_KIND:
                    report_day = int(value) if report_day is None else report_day
                elif kind == PREVIEW_KIND:
                    preview = True
                else:
                    facts.append((kind, value))
        self._actions = actions or 0
        self._years = frozenset(years)
        self._months = frozenset(months)
        self._countries = frozenset(countries)
        self._report_day = report_day or 0
        self._preview = preview
        figures = self._facts = tuple(facts)  # set last: it tells that the entries are read
        return figures

    @property
    def terms(self) -> tuple[int, ...]:
        terms = self._terms
        return terms if terms is not None else self._parse()

    @property
    def weights(self) -> tuple[int, ...]:
        if self._terms is None:
            self._parse()
        return tuple(self._weights)

    @property
    def weight_of(self) -> dict[int, int]:
        """Term hash -> scaled weight (built when first asked: a candidate's terms alone
        decide most refusals)."""
        weight_of = self._weight_of
        if weight_of is None:
            weight_of = self._weight_of = dict(zip(self.terms, self._weights))  # (terms reads the weights too)
        return weight_of

    @property
    def norm(self) -> float:
        if self._terms is None:
            self._parse()
        return self._norm

    @property
    def links(self) -> tuple[tuple[int, int], ...]:
        if self._terms is None:
            self._parse()
        flat = self._links
        return tuple(zip(flat[0::2], flat[1::2]))

    @property
    def flat_links(self) -> bytes:
        """The links as stored: term indexes, two bytes a link (i, j, i, j, ...)."""
        if self._terms is None:
            self._parse()
        return self._links

    @property
    def facts(self) -> tuple[tuple[int, float], ...]:
        facts = self._facts
        return facts if facts is not None else self._parse_entries()

    @property
    def actions(self) -> int:
        """The article's event actions (actions.py: a bit per family), 0 when none."""
        if self._facts is None:
            self._parse_entries()
        return self._actions

    @property
    def years(self) -> frozenset[int]:
        """The years the article names (years.py), empty when none or too many."""
        if self._facts is None:
            self._parse_entries()
        return self._years

    @property
    def months(self) -> frozenset[int]:
        """The months (1-12) the article dates things by (months.py), empty when none."""
        if self._facts is None:
            self._parse_entries()
        return self._months

    @property
    def countries(self) -> frozenset[int]:
        """The countries the article's title and lead name (countries.py), empty when none."""
        if self._facts is None:
            self._parse_entries()
        return self._countries

    @property
    def report_day(self) -> int:
        """The weekday the article's lead reports (weekdays.lead_days), 0 when none."""
        if self._facts is None:
            self._parse_entries()
        return self._report_day

    @property
    def preview(self) -> bool:
        """Whether the article was written ahead of the event it tells (previews.py)."""
        if self._facts is None:
            self._parse_entries()
        return self._preview

    @property
    def time_known(self) -> bool:
        """Whether the article's event time is its published time (not when it was seen)."""
        if self._raw is not None:  # a flag of the first byte: nothing else need be read
            return not self._raw[0] & _SEEN_TIME_FLAG
        return self._time_known

    @property
    def link_set(self) -> frozenset[tuple[int, int]]:
        """Its links as term-hash pairs."""
        terms = self.terms
        return frozenset(link_pair(terms[i], terms[j]) for i, j in self.links)

    def to_bytes(self) -> bytes:
        if self._raw is not None:
            return self._raw
        # (built in memory: every field is set)
        n = len(self.terms)
        facts = b""
        entries = self.facts + (((ACTIONS_KIND, float(self._actions)),) if self._actions else ())
        entries += tuple((YEARS_KIND, float(year)) for year in sorted(self._years))
        entries += tuple((MONTHS_KIND, float(month)) for month in sorted(self._months))
        entries += tuple((COUNTRIES_KIND, float(country)) for country in sorted(self._countries))
        entries += ((REPORT_DAY_KIND, float(self._report_day)),) if self._report_day else ()
        entries += ((PREVIEW_KIND, 1.0),) if self._preview else ()
        if entries:  # an article without any of these is stored as before they were kept
            n |= _FACTS_FLAG
            facts = bytes((len(entries),)) + b"".join(_FACT.pack(kind, value) for kind, value in entries)
        if not self._time_known:
            n |= _SEEN_TIME_FLAG
        return (
            self._HEAD.pack(n, len(self._links) // 2, self._norm)
            + np.asarray(self.terms, dtype="<u4").tobytes()
            + bytes(self._weights)
            + self._links
            + facts
        )

    @classmethod
    def from_bytes(cls, data: bytes, offset: int = 0) -> tuple[StoryProfile, int]:
        """The profile starting at ``offset`` (parsed when first used) and the offset after it."""
        n, n_links, _ = cls._HEAD.unpack_from(data, offset)
        end = offset + cls._HEAD.size + 5 * (n & _COUNT_MASK) + 2 * n_links
        if n & _FACTS_FLAG:
            end += 1 + _FACT.size * data[end]
        profile = cls.__new__(cls)
        profile._raw = data[offset:end]
        profile._terms = profile._weight_of = profile._facts = None  # read when first asked
        return profile, end

    def _compared(self) -> tuple[object, ...]:
        """What two profiles must share to be equal (and what their hash is of)."""
        return (
            self.terms,
            self.weights,
            self.links,
            self.facts,
            self.time_known,
            self.actions,
            self.years,
            self.months,
            self.countries,
            self.report_day,
            self.preview,
        )

    def __eq__(self, other: object) -> bool:
        return isinstance(other, StoryProfile) and self._compared() == other._compared()

    def __hash__(self) -> int:
        return hash(self._compared())

    def __repr__(self) -> str:
        return f"StoryProfile({len(self.terms)} terms, {len(self.links)} links)"


EMPTY_PROFILE = StoryProfile((), (), ())


def link_pair(a: int, b: int) -> tuple[int, int]:
    return (a, b) if a <= b else (b, a)
