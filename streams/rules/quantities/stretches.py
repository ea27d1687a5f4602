"""Where a text may hold a quantity: the stretches around its digits and number words.

Only these stretches are tokenized: tokenizing whole Arabic articles with ``re`` cost
~1 ms each (measured on the seeds), finding the anchors with one Aho-Corasick pass plus a
search for digit runs costs ~0.06 ms.
"""

from __future__ import annotations

import re
from itertools import islice

import ahocorasick
import numpy as np

from streams.rules.quantities.lexicon import LEXICON, Kind, NumberWord

# The margins cover the longest qualifier or currency prefix before a number and
# unit + من/of + adjectives after it.
_WINDOW_BEFORE = 48
_WINDOW_AFTER = 96
# Numbers looked at per text: news prose holds tens; a page of nothing but numbers (a table,
# or text made to be slow) is read up to here, so that the scan stays linear and short
# (~0.1 s) whatever the text.
MAX_ANCHORS = 2_000
_DIGIT_RUN_RE = re.compile(r"[0-9]+")
_NUMPY_FROM = 1_000  # characters
# An article holds tens of digits: grouping them into runs in Python costs less than the
# fixed cost of the five numpy calls that group thousands (~5 us of ~14 per article).
_PYTHON_GROUPING_UP_TO = 512  # digits


def is_anchor_word(word: NumberWord) -> bool:
    """Whether a number word anchors a stretch: "a"/"an" and k/m/bn only count next to
    another anchor (a scale word, digits)."""
    return word.kind not in (Kind.ARTICLE_EN, Kind.SCALE_ATTACHED)


def _anchor_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for form, word in LEXICON.items():
        if is_anchor_word(word):
            automaton.add_word(form, len(form))
    automaton.make_automaton()
    return automaton


_ANCHORS = _anchor_automaton()


def is_whole_word(folded: str, first: int, end: int) -> bool:
    """Whether ``folded[first:end]`` is not part of a longer run of letters."""
    return (first == 0 or not folded[first - 1].isalpha()) and (end == len(folded) or not folded[end].isalpha())


def digit_runs(folded: str) -> list[tuple[int, int]]:
    """Spans of the first ``MAX_ANCHORS`` runs of ASCII digits of ``folded``, in order.

    A regex walks an Arabic article at ~7 ns a character; numpy over the code points is
    2-3 times cheaper on an article, but its fixed cost (~8 us) is more than a sentence's."""
    if len(folded) < _NUMPY_FROM:
        return [match.span() for match in islice(_DIGIT_RUN_RE.finditer(folded), MAX_ANCHORS)]
    codes = np.frombuffer(folded.encode("utf-32-le", "surrogatepass"), dtype=np.uint32)
    digits = np.flatnonzero((codes - np.uint32(48)) < 10)  # unsigned: below "0" wraps round
    if not digits.size:
        return []
    if digits.size <= _PYTHON_GROUPING_UP_TO:
        return _runs_of(digits.tolist())
    breaks = np.flatnonzero(np.diff(digits) != 1)
    starts = digits[np.concatenate(([0], breaks + 1))][:MAX_ANCHORS]
    ends = digits[np.concatenate((breaks, [digits.size - 1]))][:MAX_ANCHORS] + 1
    return list(zip(starts.tolist(), ends.tolist(), strict=True))


def _runs_of(positions: list[int]) -> list[tuple[int, int]]:
    """The runs of consecutive ``positions`` (sorted) as spans, the first ``MAX_ANCHORS``."""
    runs: list[tuple[int, int]] = []
    start = previous = positions[0]
    for position in positions[1:]:
        if position != previous + 1:
            runs.append((start, previous + 1))
            start = position
        previous = position
    runs.append((start, previous + 1))
    return runs[:MAX_ANCHORS]


def anchors(folded: str) -> list[tuple[int, int]]:
    """Spans of the first ``MAX_ANCHORS`` digit runs and the first ``MAX_ANCHORS`` whole
    number words of ``folded`` (unsorted: digit runs first)."""
    found = digit_runs(folded)
    words = 0
    for last, length in _ANCHORS.iter(folded):
        first = last - length + 1
        if is_whole_word(folded, first, last + 1):
            found.append((first, last + 1))
            words += 1
            if words >= MAX_ANCHORS:
                break
    return found


def stretches(folded: str) -> list[tuple[int, int]]:
    """Stretches of ``folded`` that may hold a quantity, cut at whitespace, merged, in order
    (around its first ``MAX_ANCHORS`` digit runs and number words)."""
    return stretches_around(folded, anchors(folded))


def stretches_around(folded: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The stretches around the anchor ``spans`` (as :func:`anchors` gives them; sorted
    here, and only the first ``MAX_ANCHORS`` kept)."""
    if not spans:
        return []
    size = len(folded)
    spans.sort()
    del spans[MAX_ANCHORS:]
    found: list[tuple[int, int]] = []
    for first, last in spans:
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
