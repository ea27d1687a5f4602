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
(August, or a father), «نيسان» or «أيار» used otherwise are not read as months. Hijri
months are left out («رمضان» names the month of fasting more than a date).
"""

from __future__ import annotations

import re

from streams.textnorm import fold

# Gregorian month names as written in the Arab east, the Levant and the Maghreb (folded).
_NAMES = {
    1: "يناير كانون الثاني جانفي",
    2: "فبراير شباط فيفري",
    3: "مارس آذار",
    4: "أبريل إبريل ابريل نيسان أفريل",
    5: "مايو أيار",
    6: "يونيو يونيه حزيران جوان",
    7: "يوليو يوليه تموز جويلية",
    8: "أغسطس آب أوت",
    9: "سبتمبر أيلول",
    10: "أكتوبر تشرين الأول",
    11: "نوفمبر تشرين الثاني",
    12: "ديسمبر كانون الأول",
}
_TWO_WORDS = ("كانون", "تشرين")  # their names are two words: كانون الثاني, تشرين الأول ...


def _month_names() -> dict[str, int]:
    names: dict[str, int] = {}
    for month, listed in _NAMES.items():
        words = listed.split()
        at = 0
        while at < len(words):
            if words[at] in _TWO_WORDS:
                names[fold(f"{words[at]} {words[at + 1]}")] = month
                at += 2
            else:
                names[fold(words[at])] = month
                at += 1
    return names


MONTH_NAMES = _month_names()
_NAME = "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in sorted(MONTH_NAMES, key=len, reverse=True))
# a day before it ("5 سبتمبر", "٥ من سبتمبر"), «شهر» before it, or a year after it; the
# name may carry و/ب/ل ("وسبتمبر", "لسبتمبر")
_DATING = re.compile(
    rf"(?:(?<![\w])و?(?P<day>\d{{1,2}})\s*(?:من\s+)?|(?<![\w])[وبلف]?(?:ال)?شهر\s+)[وبل]?(?P<after>{_NAME})(?![\w])"
    rf"|(?<![\w])[وبلف]?(?P<before>{_NAME})\s*[,،/]?\s*(?:من\s+)?(?:عام\s+|سنه\s+)?\d{{4}}(?!\d)"
)
# Above this many months a text is a chronicle or a calendar: it names none for this purpose.
MAX_MONTHS = 3
LEAD_CHARS = 400  # of the text, read after the title


def named_months(title: str, text: str) -> frozenset[int]:
    """The months (1-12) that ``title`` and the lead of ``text`` date something by; empty
    when they name more than MAX_MONTHS."""
    months: set[int] = set()
    for part in (title, text[:LEAD_CHARS]):
        for match in _DATING.finditer(fold(part)):
            name = match["after"] or match["before"]
            months.add(MONTH_NAMES[" ".join(name.split())])
    return frozenset(months) if len(months) <= MAX_MONTHS else frozenset()


def name_other_months(mine: frozenset[int], theirs: frozenset[int]) -> bool:
    """Whether both date something by a month and share none: two fillings of one monthly
    template, never one article republished."""
    return bool(mine) and bool(theirs) and mine.isdisjoint(theirs)
