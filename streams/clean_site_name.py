"""The site's own name, read from the page: the words several of its lines open with before a
colon or a dash ("مدار الساعة - توفي …", "شبكة أخبار الناصرية:أعلن …"), where sites whose names
are not known words put their dateline.

A page that names itself so on one of its lines alone («مدار الساعة ـ», the dateline of a
paragraph the page cut), or on three lines or more, shows the name; its lines that are the name
alone, and the other stories it runs under the name as teasers cut with "…" («شبكة أخبار
الناصرية:أعلنت مديرية … اليومية…»: the nineteenth held-out cleaner set), are not the article. The
article's own paragraph that opens with the name keeps it (a dateline). The name has two to
four words and no digit (most speakers' labels in an interview, «الوزير:», «س:», are one word),
and teasers are dropped only when two or more come under it (an answer may trail off with "…").
"""

from __future__ import annotations

import re
from collections import Counter
from collections.abc import Sequence

from streams.clean_teasers import TEASER_END

# a line's opening words and the separator after them, or nothing after them (on folded
# lines: folding drops the tatweel of «مدار الساعة ـ», and makes "،" a comma)
_SEPARATORS = r"[:\-–—_/]"
_OPENING = re.compile(rf"^([^\W\d_]+(?:\s+[^\W\d_]+){{1,3}})\s*(?:{_SEPARATORS}+|$)")
_SEPARATOR = re.compile(_SEPARATORS)
NAME_MAX_CHARS = 60  # four words and a separator fit
MIN_LINES = 3  # or two, one of them the name alone
MIN_TEASERS = 2
NAME_ALONE = "chrome:site-name"
TEASER = "teaser"


def site_name_lines(folded_lines: Sequence[str]) -> list[tuple[int, str]]:
    """The lines (by index) that are the site's name alone or a teaser under it, each with
    the reason it is dropped."""
    openings: list[tuple[str, str] | None] = []
    for line in folded_lines:
        # (most lines hold no separator where a name would end: one search of their opening
        # characters, before the pattern)
        if len(line) > NAME_MAX_CHARS and _SEPARATOR.search(line, 0, NAME_MAX_CHARS) is None:
            openings.append(None)
            continue
        match = _OPENING.match(line)
        openings.append((" ".join(match.group(1).split()), line[match.end() :].strip()) if match else None)
    counts = Counter(opening[0] for opening in openings if opening is not None)
    if not counts or counts.most_common(1)[0][1] < 2:
        return []  # (most pages: no opening words repeat)
    alone = Counter(name for name, rest in (opening for opening in openings if opening is not None) if not rest)
    # (a name alone needs the name opening another line too: a page of short lines is no site)
    names = {
        name
        for name, count in counts.items()
        if count - alone[name] >= 1 and (count >= MIN_LINES or (count >= 2 and alone[name]))
    }
    alone_lines, teasers = [], []
    for index, opening in enumerate(openings):
        if opening is None or opening[0] not in names:
            continue
        if not opening[1]:
            alone_lines.append((index, NAME_ALONE))
        elif TEASER_END.search(opening[1]):
            teasers.append((index, TEASER))
    # (teasers come several together; one line cut with "…" may be a speaker trailing off)
    return sorted(alone_lines + (teasers if len(teasers) >= MIN_TEASERS else []))
