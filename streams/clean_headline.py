"""The article's own headline, found among the short lines removed above its first paragraph,
for an article that came without a title.

A page given as plain text (a `marsad dedupe test` line, a feed item with no title) often
opens with a date, the headline, a photo caption and a time: a run of short lines the
cleaner removes as a ticker. Without a title the headline would then be nowhere, although
rules read the title, alerts show it and dedupe compares it. Such a line is the headline
only when the lead paragraph tells the same thing: most of its words come back in the
first lines of the article. Another story's headline on top of the page (a ticker) seldom
shares that much with this lead.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

# The lines above the first paragraph that may hold the headline: the reasons a run or
# a list of short lines, or a line repeated further down, are removed with.
HEADLINE_REASONS = frozenset({"headline-run", "headline-list", "repeated-line"})
MIN_HEADLINE_WORDS = 3
MAX_HEADLINE_WORDS = 30
# How much of the article is its lead, compared with the candidate headline.
LEAD_CHARS = 600
# A headline's words (of 3+ letters, clitics stripped) found in the lead: at least this
# many, and at least this share of them.
MIN_SHARED_WORDS = 2
MIN_SHARED_SHARE = 0.4

_WORD = re.compile(r"[^\W\d_]{3,}")
# a name with a price glued to it ("السعودية20.15"): a stock ticker's entry, no headline
_TICKER_PRICE = re.compile(r"[^\W\d_]\d+[.,]\d+")
# Proclitics and the article, longest first, stripped from words of 5+ letters so that
# «للكهرباء» and «الكهرباء» compare alike (folded text: alef forms are already one).
_PROCLITICS = ("وال", "بال", "فال", "كال", "لل", "ال", "و", "ب", "ف", "ل")


def headline_index(candidates: Sequence[tuple[str, str]], lead: str) -> int | None:
    """The index in ``candidates`` ((reason, folded line) in page order, each removed
    above the first paragraph) of the article's headline, or None.

    ``lead``: the folded clean text (its first LEAD_CHARS characters are read). The line
    with the most words in the lead wins (a photo caption above the headline shares a
    word or two with it), then the one with the larger share of its words there, then
    the first."""
    lead_stems = _stems(lead[:LEAD_CHARS])
    if not lead_stems:
        return None
    best: tuple[int, float, int] | None = None
    for index, (reason, folded) in enumerate(candidates):
        if reason not in HEADLINE_REASONS or folded.rstrip().endswith(":") or _TICKER_PRICE.search(folded):
            continue
        words = folded.split()
        if not MIN_HEADLINE_WORDS <= len(words) <= MAX_HEADLINE_WORDS:
            continue
        stems = _stems(folded)
        if not stems:
            continue
        shared = len(stems & lead_stems)
        share = shared / len(stems)
        if shared >= MIN_SHARED_WORDS and share >= MIN_SHARED_SHARE and (best is None or (shared, share) > best[:2]):
            best = (shared, share, index)
    return None if best is None else best[2]


def _stems(folded: str) -> set[str]:
    return {_strip_proclitic(word) for word in _WORD.findall(folded)}


def _strip_proclitic(word: str) -> str:
    if len(word) >= 5:
        for clitic in _PROCLITICS:
            if word.startswith(clitic) and len(word) - len(clitic) >= 3:
                return word[len(clitic) :]
    return word
