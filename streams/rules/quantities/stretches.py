"""Where a text may hold a quantity: the stretches around its digits and number words.

Only these stretches are tokenized: tokenizing whole Arabic articles with ``re`` cost
~1 ms each (measured on the seeds), finding the anchors with one Aho-Corasick pass plus one
digit regex costs ~0.1 ms.
"""

from __future__ import annotations

import re
from itertools import islice

import ahocorasick

from streams.rules.quantities.lexicon import LEXICON, Kind

# The margins cover the longest qualifier or currency prefix before a number and
# unit + من/of + adjectives after it.
_WINDOW_BEFORE = 48
_WINDOW_AFTER = 96
_DIGIT_RUN_RE = re.compile(r"[0-9]+")
# Numbers looked at per text: news prose holds tens; a page of nothing but numbers (a table,
# or text made to be slow) is read up to here, so that the scan stays linear and short
# (~0.1 s) whatever the text.
MAX_ANCHORS = 2_000


def _anchor_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for form, word in LEXICON.items():
        # "a"/"an" and k/m/bn only count next to another anchor (a scale word, digits)
        if word.kind not in (Kind.ARTICLE_EN, Kind.SCALE_ATTACHED):
            automaton.add_word(form, len(form))
    automaton.make_automaton()
    return automaton


_ANCHORS = _anchor_automaton()


def stretches(folded: str) -> list[tuple[int, int]]:
    """Stretches of ``folded`` that may hold a quantity, cut at whitespace, merged, in order
    (around its first ``MAX_ANCHORS`` digit runs and number words)."""
    size = len(folded)
    anchors = [match.span() for match in islice(_DIGIT_RUN_RE.finditer(folded), MAX_ANCHORS)]
    words = 0
    for last, length in _ANCHORS.iter(folded):
        first = last - length + 1
        if (first == 0 or not folded[first - 1].isalpha()) and (last + 1 == size or not folded[last + 1].isalpha()):
            anchors.append((first, last + 1))
            words += 1
            if words >= MAX_ANCHORS:
                break
    if not anchors:
        return []
    anchors.sort()
    del anchors[MAX_ANCHORS:]
    found: list[tuple[int, int]] = []
    for first, last in anchors:
        begin = max(0, first - _WINDOW_BEFORE)
        while begin > 0 and not folded[begin - 1].isspace():
            begin -= 1
        end = min(size, last + _WINDOW_AFTER)
        while end < size and not folded[end].isspace():
            end += 1
        if found and begin <= found[-1][1]:
            found[-1] = (found[-1][0], max(found[-1][1], end))
        else:
            found.append((begin, end))
    return found
