"""Which stretches of a text may hold a quantity of the unit classes a rule set asks for.

A number only becomes a quantity next to a word of a unit class (or after a currency
symbol of one), and the scanner looks for that word inside the number's stretch only. A
stretch in which no form of a wanted unit class occurs, even as part of a longer word, can
therefore give no wanted mention, and is skipped before it is tokenized: most numbers of an
article (years, dates, scores, counts of other things) cost one automaton pass instead of a
parse.
"""

from __future__ import annotations

from bisect import bisect_left
from collections.abc import Iterable

import ahocorasick

from streams.rules.quantities.tokens import ARTICLE
from streams.rules.quantities.units import UnitClasses


class UnitGate:
    """The first tokens of every form of some unit classes, and their currency symbols."""

    __slots__ = ("automaton",)

    def __init__(self, units: UnitClasses, wanted: Iterable[str]) -> None:
        wanted = frozenset(wanted)
        forms = {first for first, entries in units.by_first.items() if any(e.unit in wanted for e in entries)}
        forms.update(tokens[0] for tokens, unit in units.prefix_phrases if unit in wanted and tokens)
        automaton = ahocorasick.Automaton()
        for form in forms:
            automaton.add_word(form, len(form))
        self.automaton: ahocorasick.Automaton | None = None
        if forms:
            automaton.make_automaton()
            self.automaton = automaton

    def unit_starts(self, folded: str) -> list[int]:
        """Sorted start offsets of the forms found in ``folded`` that may be a whole token
        of the scanner (a run of letters), or one after the article ال: a form inside a
        longer word (بقوات, القواتية) is never a unit word."""
        if self.automaton is None:
            return []
        size = len(folded)
        starts = set()
        for last, length in self.automaton.iter(folded):
            start = last + 1 - length
            if folded[start].isalpha():
                # a letter form: its token must end where it ends and start where it starts
                # (or two letters earlier, at an ال)
                if last + 1 < size and folded[last + 1].isalpha():
                    continue
                if start > 0 and folded[start - 1].isalpha():
                    at = start - len(ARTICLE)
                    if not (folded.startswith(ARTICLE, at) and at >= 0 and (at == 0 or not folded[at - 1].isalpha())):
                        continue
            starts.add(start)
        return sorted(starts)

    @staticmethod
    def holds_unit(unit_starts: list[int], begin: int, end: int) -> bool:
        """Whether a form starts in [begin, end) (``unit_starts`` sorted)."""
        i = bisect_left(unit_starts, begin)
        return i < len(unit_starts) and unit_starts[i] < end
