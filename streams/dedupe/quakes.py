"""The magnitude of the earthquake a report tells: "زلزال بقوة 7.5 درجة", "بلغت شدته 6,4
درجات على مقياس ريختر".

Earthquakes are told in the same words wherever they strike (a quake, its magnitude, a
toll, collapsed buildings, a tsunami warning), and the tolls that would tell them apart
are updated report after report, so they are not compared between reports without
published times (stories.py). The magnitude is the quake's own: reports of one quake
give it within a few tenths (a national agency's 7.4 and the American survey's 7.8),
while another quake of the same region (a strong aftershock weeks later, a second quake)
is most often another magnitude. It is read as a figure of the kind QUAKE (figures.py)
and compared within QUAKE_POINTS: two reports that both give one and share none tell
different quakes. Only the first magnitude a text gives is read, and agreeing on it
outweighs no other figure (``figures.conflicting``'s ``apart``): a report names its own
quake first and may recall an earlier one further down, whose magnitude another report of
that earlier quake gives.

On the stored real pages of the held-out sets (docs/dedupe.md, "Twenty-second copy set,
twenty-third story set"), reports of one quake differed by at most 0.4 (7.5 and 7.9 for
Nepal's first reports and the revision), and the quakes that were joined to another
differed by 0.5 or more. Magnitudes are below 10, so figures.py, which reads counts of at
least 10, does not read them otherwise.
"""

from __future__ import annotations

import re

QUAKE = "quake"  # the figure kind (figures.py) of a quake's magnitude
QUAKE_POINTS = 0.45  # the most two reports of one quake differ on its magnitude
# what a magnitude's context holds (_NEAR_BEFORE, _NEAR_AFTER), looked for with substring
# searches before the pattern is tried: most texts hold none (≈ 3 µs a text of 800
# characters, where one search with the pattern took 6)
_QUAKE_WORDS = ("زلز", "هزة", "هزه", "ريختر", "ريشتر")
# a magnitude: one digit, a decimal in any of the separators pages use («7.5», «6,4»,
# «7،9», «7٫8»), then its unit or the scale. Some agencies write the decimal with «ر»,
# typed in display order: «2ر5» shows as 5.2 in a right-to-left line, and means it.
_MAGNITUDE = re.compile(
    r"(?<![\d.,،٫ر])(\d)(?:[.,،٫](\d)|ر(\d))?(?![\d.,،٫ر]\d)\s*(?:درج[ةه]|درجات|على\s+(?:مقياس|سلم))"
)
_BEFORE = 80  # how far before a magnitude its quake is named ("زلزال بلغت قوته 7.8 درجة")
_AFTER = 40  # or how far after it its scale is ("7 درجات على مقياس ريختر")
_NEAR_BEFORE = re.compile(r"زلز|هز[ةه]")
_NEAR_AFTER = re.compile(r"ريختر|ريشتر")


def quake_facts(text: str) -> list[tuple[str, float]]:
    """[(QUAKE, magnitude)] for the first quake magnitude ``text`` gives (a number below
    10 with its unit, a quake named just before it or its scale just after), else []."""
    if not any(word in text for word in _QUAKE_WORDS):
        return []
    for match in _MAGNITUDE.finditer(text):
        start, end = match.span()
        if _NEAR_BEFORE.search(text, max(0, start - _BEFORE), start) is None and (
            _NEAR_AFTER.search(text, end, end + _AFTER) is None
        ):
            continue  # degrees of something else (a temperature, a latitude)
        units, tenths, shown_first = match.groups()
        if shown_first:  # «2ر5»: the tenths typed first
            units, tenths = shown_first, units
        value = int(units) + (int(tenths) / 10 if tenths else 0.0)
        if value >= 2:
            return [(QUAKE, value)]
    return []
