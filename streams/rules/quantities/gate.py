"""Which stretches of a text may hold a quantity of the unit classes a rule set asks for.

A number only becomes a quantity next to a word of a unit class (or after a currency
symbol of one), and the scanner looks for that word inside the number's stretch only. A
stretch in which no form of a wanted unit class occurs, even as part of a longer word, can
therefore give no wanted mention, and is skipped before it is tokenized: most numbers of an
article (years, dates, scores, counts of other things) cost one automaton pass instead of a
parse.

That one pass also finds the number words that anchor the stretches: walking an article
once instead of twice (unit forms, number words) was part of the saving when the reader
was made cheaper.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

import ahocorasick

from streams.rules.quantities.lexicon import LEXICON
from streams.rules.quantities.stretches import MAX_ANCHORS, digit_runs, is_anchor_word
from streams.rules.quantities.tokens import ARTICLE
from streams.rules.quantities.units import UnitClasses

# What a key of the automaton is (a key may be both a unit form and a number word); its
# value is ``len(key) << _KIND_BITS | kind`` (an int: no tuple to unpack per hit).
_UNIT, _NUMBER = 1, 2
_KIND_BITS = 2
_KIND_MASK = (1 << _KIND_BITS) - 1


class UnitGate:
    """The first tokens of every form of some unit classes and their currency symbols, in
    one automaton with the number words that anchor stretches."""

    __slots__ = ("automaton",)

    def __init__(self, units: UnitClasses, wanted: Iterable[str]) -> None:
        wanted = frozenset(wanted)
        forms = {first for first, entries in units.by_first.items() if any(e.unit in wanted for e in entries)}
        forms.update(tokens[0] for tokens, unit in units.prefix_phrases if unit in wanted and tokens)
        self.automaton: ahocorasick.Automaton | None = None
        if not forms:
            return
        kinds = dict.fromkeys(forms, _UNIT)
        for form, word in LEXICON.items():
            if is_anchor_word(word):
                kinds[form] = kinds.get(form, 0) | _NUMBER
        automaton = ahocorasick.Automaton()
        for form, kind in kinds.items():
            automaton.add_word(form, len(form) << _KIND_BITS | kind)
        automaton.make_automaton()
        self.automaton = automaton

    def unit_starts(self, folded: str) -> list[int]:
        """Sorted start offsets of the forms found in ``folded`` that may be a whole token
        of the scanner (a run of letters), or one after the article ال: a form inside a
        longer word (بقوات, القواتية) is never a unit word."""
        return self.scan(folded)[0]

    def scan(self, folded: str) -> tuple[list[int], list[tuple[int, int]]]:
        """:meth:`unit_starts`, and the anchors of the stretches as
        ``streams.rules.quantities.stretches.anchors`` finds them, in one pass."""
        if self.automaton is None:
            return [], []
        size = len(folded)
        starts = set()
        words: list[tuple[int, int]] = []
        for last, value in self.automaton.iter(folded):
            end = last + 1
            start = end - (value >> _KIND_BITS)
            if end < size and folded[end].isalpha() and folded[start].isalpha():
                continue  # a letter form inside a longer word: neither a number nor a unit word
            kind = value & _KIND_MASK
            starts_word = start == 0 or not folded[start - 1].isalpha()
            if kind & _NUMBER and starts_word and len(words) < MAX_ANCHORS:
                words.append((start, end))
            if not kind & _UNIT:
                continue
            if folded[start].isalpha():
                # a letter form: its token must start where it starts (or two letters
                # earlier, at an ال); that it ends where the token ends is checked above
                if not starts_word:
                    at = start - len(ARTICLE)
                    if not (folded.startswith(ARTICLE, at) and at >= 0 and (at == 0 or not folded[at - 1].isalpha())):
                        continue
            starts.add(start)
        if not starts:
            return [], []
        anchors = digit_runs(folded)
        anchors.extend(words)
        return sorted(starts), anchors

    @staticmethod
    def holds_unit(unit_starts: list[int], begin: int, end: int) -> bool:
        """Whether a form starts in [begin, end) (``unit_starts`` sorted)."""
        i = bisect_left(unit_starts, begin)
        return i < len(unit_starts) and unit_starts[i] < end
