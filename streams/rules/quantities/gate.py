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

A unit word only counts when a number can reach it. The scanner attaches a unit word to
the number phrase right before it, with nothing in between but من / of, an English
determiner and English adjectives (none of them a number word), and a phrase ends at an
anchor (digits, a number word) or at an attached k / m / bn. So when they attach, only
whitespace, من and English letters stand between the unit word and the last anchor ending
before it (``_BRIDGE_RE``); a unit word whose gap holds anything else (an Arabic word, a
comma) attaches to no number and is dropped, and with it every stretch that holds no other
unit word, before it is tokenized (three stretches in ten on the bench's articles). The
stretches kept are read exactly as before: every mention of a wanted unit is still found.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable

import ahocorasick

from streams.rules.quantities.lexicon import LEXICON
from streams.rules.quantities.stretches import MAX_ANCHORS, digit_runs, is_anchor_word
from streams.rules.quantities.tokens import ARTICLE
from streams.rules.quantities.units import UnitClasses

# What a key of the automaton is (a key may be both a unit form and a number word, and the
# first token of a currency prefix); its value is ``len(key) << _KIND_BITS | kind`` (an int:
# no tuple to unpack per hit).
_UNIT, _NUMBER, _PREFIX = 1, 2, 4
_KIND_BITS = 3
_KIND_MASK = (1 << _KIND_BITS) - 1
# What may stand between the end of a number's last anchor and a unit word it attaches to
# (see the module docstring): whitespace and the characters no token holds (_ and non-ASCII
# digits), the letters of من and of English words, the closing bracket of a bracketed
# number ("(1,500) جندي": tokens.Tokens reads it as a space), and the article ال glued to
# the unit word. Wider than the scanner's rule on purpose: it must never drop a unit word
# the scanner would attach.
_BRIDGE_RE = re.compile(r"[\s\d_a-zمن)\]]*(?:ال)?")
# pyahocorasick looks a node's child up by a linear search, in the order the keys were
# added. A space starts no key, so each space of the text (nearly one character in five)
# was compared with every first character of a key at the root (~40). This key, added first,
# makes the space the root's first child (the automaton's pass ~15 % cheaper); it has no
# kind, so the rare text that holds it (a NUL after a space) gets a hit that is skipped.
_SPACE_FIRST = " \x00"


class UnitGate:
    """The first tokens of every form of some unit classes and their currency symbols, in
    one automaton with the number words that anchor stretches."""

    __slots__ = ("automaton", "drops_unreached")

    def __init__(self, units: UnitClasses, wanted: Iterable[str]) -> None:
        wanted = frozenset(wanted)
        # A currency prefix that folds to no token gives its unit to any number, with no
        # unit word: then every stretch a unit word holds is read, reached or not, as before.
        self.drops_unreached = all(tokens for tokens, unit in units.prefix_phrases if unit in wanted)
        kinds = {first: _UNIT for first, entries in units.by_first.items() if any(e.unit in wanted for e in entries)}
        for tokens, unit in units.prefix_phrases:
            if unit in wanted and tokens:
                kinds[tokens[0]] = kinds.get(tokens[0], 0) | _UNIT | _PREFIX
        self.automaton: ahocorasick.Automaton | None = None
        if not kinds:
            return
        for form, word in LEXICON.items():
            if is_anchor_word(word):
                kinds[form] = kinds.get(form, 0) | _NUMBER
        automaton = ahocorasick.Automaton()
        automaton.add_word(_SPACE_FIRST, len(_SPACE_FIRST) << _KIND_BITS)
        for form, kind in kinds.items():
            automaton.add_word(form, len(form) << _KIND_BITS | kind)
        automaton.make_automaton()
        self.automaton = automaton

    def unit_starts(self, folded: str) -> list[int]:
        """Sorted start offsets of the forms found in ``folded`` that may be a whole token
        of the scanner (a run of letters), or one after the article ال, and that a number
        may reach: a form inside a longer word (بقوات, القواتية) is never a unit word, nor
        is one with no number before it but across من / of and English words (see the
        module docstring). The first tokens of currency prefixes are always kept."""
        return self.scan(folded)[0]

    def scan(self, folded: str) -> tuple[list[int], list[tuple[int, int]]]:
        """:meth:`unit_starts`, and the anchors of the stretches as
        ``streams.rules.quantities.stretches.anchors`` finds them, in one pass."""
        if self.automaton is None:
            return [], []
        size = len(folded)
        starts = set()
        prefix_starts = set()
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
            if kind & _PREFIX:
                prefix_starts.add(start)
            starts.add(start)
        if not starts:
            return [], []
        anchors = digit_runs(folded)
        if self.drops_unreached and len(anchors) < MAX_ANCHORS and len(words) < MAX_ANCHORS:
            # every number of the text is an anchor (none was left out at the cap)
            starts = self._reachable(folded, starts, prefix_starts, anchors, words)
            if not starts:
                return [], []
        anchors.extend(words)
        return sorted(starts), anchors

    @staticmethod
    def _reachable(
        folded: str,
        starts: set[int],
        prefix_starts: set[int],
        digit_spans: list[tuple[int, int]],
        word_spans: list[tuple[int, int]],
    ) -> set[int]:
        """The unit starts a number may reach: the gap from the last anchor ending before
        it is a bridge (``_BRIDGE_RE``), or it may begin a currency prefix."""
        ends = sorted([end for _start, end in digit_spans] + [end for _start, end in word_spans])
        bridge = _BRIDGE_RE.fullmatch
        reachable = set(prefix_starts)
        for start in starts:
            i = bisect_right(ends, start)
            if i and bridge(folded, ends[i - 1], start):
                reachable.add(start)
        return reachable

    @staticmethod
    def holds_unit(unit_starts: list[int], begin: int, end: int) -> bool:
        """Whether a form starts in [begin, end) (``unit_starts`` sorted)."""
        i = bisect_left(unit_starts, begin)
        return i < len(unit_starts) and unit_starts[i] < end
