"""Whether a bulleted run between an article's paragraphs is the article's own points.

A run of short bulleted lines between paragraphs is most often a ticker of other stories
(``streams.clean_blocks`` keeps it as an aside), but an article lists its own points so too:
an interview's highlights («- نعتزم تشكيل لجنة عليا للمسرح»), a guide's stages («• تتكون
المشيمة التي تعد مصدر الغذاء للجنين»), a comparison's sections. Those are sentences that
take up the article's words: most items of OWN_POINT_MIN_WORDS+ words, most items sharing a
word with the paragraphs around them, OWN_POINT_SHARED_WORDS+ shared in all (the
twenty-second held-out cleaner set: 24 such lines on 4 pages were asides). A site's menu is
one or two words an item («• محليات», «• الرئيسية»); a ticker of other news shares a place's
name here and there, not a word an item. Pure functions on folded lines.
"""

from __future__ import annotations

import re
from collections.abc import Sequence

OWN_POINT_MIN_WORDS = 5
OWN_POINT_SHARED_WORDS = 2
_CONTENT_WORD = re.compile(r"[^\W\d_]{4,}")


def content_words(folded: str) -> set[str]:
    """A line's words of four letters or more, their article taken off («الحديد» is «حديد»)."""
    return {word[2:] if word.startswith("ال") and len(word) > 5 else word for word in _CONTENT_WORD.findall(folded)}


def own_points(items: Sequence[str], paragraph_words: set[str]) -> bool:
    """Whether bulleted ``items`` (folded) between paragraphs are the article's own points;
    ``paragraph_words``: the ``content_words`` of the paragraphs outside the run."""
    long_items = [item for item in items if len(item.split()) >= OWN_POINT_MIN_WORDS]
    if 2 * len(long_items) < len(items):
        return False
    shared = [content_words(item) & paragraph_words for item in items]
    return 2 * sum(map(bool, shared)) >= len(items) and len(set().union(*shared)) >= OWN_POINT_SHARED_WORDS
