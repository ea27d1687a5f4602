"""The months a text dates things by, and whether two texts name different ones.

The monthly counterpart of years.py: a statistics office's inflation bulletin, a monthly
price list, a trade figure are one template filled in anew each month. Two fillings share
most of their word pairs (0.50-0.55 inside each other on real pages), name the same year,
and give rates close enough to agree (figures.py compares shares within a few points), yet
they report different months and say so ("لشهر يوليو 2025" against "لشهر سبتمبر 2025"). A
republished copy keeps its original's months, or adds one beside them (a date line): two
texts that both date something by a month, none of the months in common, are never copies
of each other (``name_other_months``; docs/dedupe.md, "Duplicates").

Only the title and the lead are read (LEAD_CHARS): a template names its month up front,
while further down a copy cut at another length may keep a background date the other
copy lost ("... في 25 سبتمبر الماضي" under a report of 21 October). A month name counts
only where it dates: after a day's number ("5 سبتمبر"), before a year
("سبتمبر 2025") or after «شهر» ("لشهر سبتمبر"), so that «مارس» (he practised), «آب»
(August, or a father), «نيسان», «أيار» or "may" used otherwise are not read as months. The
names are streams/month_names.py's (every region's, and English ones).
"""

from __future__ import annotations

import re

from streams.dedupe.memo import BoundedMemo
from streams.month_names import MONTH_NAMES
from streams.textnorm import fold

# folded: the one-word names, and the two-word ones (كانون الثاني ...) by their two words
_ONE_WORD = {name: month for month, names in MONTH_NAMES.items() for name in names if " " not in name}
_TWO_WORD = {tuple(name.split()): month for month, names in MONTH_NAMES.items() for name in names if " " in name}
_FIRST_OF_TWO = frozenset(first for first, _second in _TWO_WORD)
_MONTH_WORD = fold("شهر")
_BEFORE_MONTH = frozenset(
    prefix + article + _MONTH_WORD for prefix in ("", "و", "ب", "ل", "ف") for article in ("", "ال")
)
_FROM, _YEAR_WORDS = fold("من"), frozenset(fold(word) for word in ("من", "عام", "سنة"))
_CLITICS = ("و", "ب", "ل", "ف")
_YEAR_MARKS = ("", fold("م"), fold("ه"))  # "2025", "2025م", "1447ه"
_TOKEN = re.compile(r"\w+")
_GLUED = re.compile(r"(?P<day>\d{1,2})?(?P<name>[^\W\d_]+)(?:(?P<year>\d{4})[مه]?)?")
# Above this many months a text is a chronicle or a calendar: it names none for this purpose.
MAX_MONTHS = 3
LEAD_CHARS = 400  # of the text, read after the title


def named_months(title: str, text: str) -> frozenset[int]:
    """The months (1-12) that ``title`` and the lead of ``text`` date something by; empty
    when they name more than MAX_MONTHS."""
    months: set[int] = set()
    for part in (title, text[:LEAD_CHARS]):
        # most leads name no month: their whitespace-separated chunks, looked up in a memo,
        # say so without folding and tokenizing the lead (~11 instead of ~55 µs an article)
        if not any(map(_MAY_NAME_MONTH.__getitem__, part.split())):
            continue
        words = _TOKEN.findall(fold(part))
        for at, word in enumerate(words):
            if not word.isalpha():
                glued = _glued_month(word)  # "30أكتوبر", "جانفي2023": dated by what is glued on
                if glued:
                    months.add(glued)
                continue
            month, size = _month_at(words, at, word)
            if month and (_dated_before(words, at) or _year_after(words, at + size)):
                months.add(month)
    return frozenset(months) if len(months) <= MAX_MONTHS else frozenset()


def _glued_month(word: str) -> int:
    """The month of a name with its day glued before it or its year after it, else 0."""
    glued = _GLUED.fullmatch(word)
    if glued is None or not (glued["day"] or glued["year"]):
        return 0
    return _month_at([glued["name"]], 0, glued["name"])[0]


def _starts_two(word: str) -> bool:
    return word in _FIRST_OF_TWO or (word.startswith(_CLITICS) and word[1:] in _FIRST_OF_TWO)


def _may_name_month(chunk: str) -> bool:
    """Whether a whitespace-separated chunk ("وسبتمبر،", "(كانون") holds a word that may
    begin a month's name."""
    words = _TOKEN.findall(fold(chunk))
    return any(
        _month_at(words, at, word)[0] or _starts_two(word) or _glued_month(word) for at, word in enumerate(words)
    )


# chunks repeat from article to article
_MAY_NAME_MONTH: BoundedMemo[str, bool] = BoundedMemo(_may_name_month, 100_000)


def _month_at(words: list[str], at: int, word: str) -> tuple[int, int]:
    """The month named from ``words[at]`` on (a clitic و/ب/ل/ف may lead it) and how many words
    its name takes; (0, 0) when none. (Words are read one by one: a pattern of the 32 names
    tried at every character cost ~50 µs an article.)"""
    for name in (word, word[1:] if word.startswith(_CLITICS) else ""):
        month = _ONE_WORD.get(name)
        if month:
            return month, 1
        if name in _FIRST_OF_TWO and at + 1 < len(words):
            month = _TWO_WORD.get((name, words[at + 1]), 0)
            if month:
                return month, 2
    return 0, 0


def _is_day(word: str) -> bool:
    day = word[1:] if word.startswith("و") else word  # "و12 كانون الثاني"
    return 0 < len(day) <= 2 and day.isdigit()


def _dated_before(words: list[str], at: int) -> bool:
    """A day's number before it ("5 سبتمبر", "5 من سبتمبر") or «شهر» ("لشهر سبتمبر")."""
    before = words[at - 1] if at else ""
    if _is_day(before) or before in _BEFORE_MONTH:
        return True
    return before == _FROM and at > 1 and _is_day(words[at - 2])


def _year_after(words: list[str], at: int) -> bool:
    """A year after it ("سبتمبر 2025", "سبتمبر من عام 2025", "2025م")."""
    for word in words[at : at + 3]:
        if word in _YEAR_WORDS:
            continue
        digits = word[:4]
        return len(word) <= 5 and len(digits) == 4 and digits.isdigit() and word[4:] in _YEAR_MARKS
    return False


def name_other_months(mine: frozenset[int], theirs: frozenset[int]) -> bool:
    """Whether both date something by a month and share none: two fillings of one monthly
    template, never one article republished."""
    return bool(mine) and bool(theirs) and mine.isdisjoint(theirs)
