"""A news ticker's items when each is a line of its own: "• 09:04 . <headline>... المزيد".

Sites that list their latest news beside every article stamp each item with its clock
time and cut it with a "more" link. A run of them under "أحدث الأخبار" is found as a
list of headlines, but an item longer than a headline (16-25 words) ends that run and the
items after it stayed (the fifth and sixth held-out cleaner sets: docs/cleaning.md, "Timed
teasers"). An item is recognised on its own by both ends at once: a clock time opening the
line and a "more" link closing it after an ellipsis. A live report's timed entry ("10:30 -
قال الوزير …") has the time but not the link, and a feed summary cut with "… المزيد" has the
link but not the time: both stay. A clock time alone on its line ("• 12:31 .") is an item
whose headline was cut off.
"""

from __future__ import annotations

import re

# the removal reason of a teaser; like a site label, it counts as one of a ticker's lines
TEASER = "chrome:teaser"
# (on a folded line) the end of a teaser: the text cut with "…" or dots, quotes may follow
TEASER_END = re.compile(r"(?:…|\.\.\.?)\s*['\"”»)\]]*\s*$")
_CLOCK = r"(?:[01]?\d|2[0-3]):[0-5]\d(?:\s*(?:ص|م|am|pm))?"
# (patterns run on the folded line: streams.textnorm.fold)
_BULLETS = r"[\s•·▪●■►*\-–—»>|]*"
# an item whose headline runs to a "more" link, or a clock time alone (one pattern: most
# lines fail at their first character)
_TIMED_TEASER = re.compile(
    rf"^{_BULLETS}{_CLOCK}\s*[.\-–—|:]?"
    r"(?:\s+\S.*(?:\.\.+|…)\s*(?:اقرا\s+)?(?:المزيد|التفاصيل|(?:read\s+)?more)\s*[.\">]*|\s*)$"
)


def is_timed_teaser(folded: str) -> bool:
    """Whether ``folded`` (a folded line) is a ticker item stamped with its time and cut
    with a "more" link, or such a stamp left alone."""
    return _TIMED_TEASER.match(folded) is not None
