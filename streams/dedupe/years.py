"""The years a text names, and whether two texts name different ones.

Some texts are templates filled in anew for each event: a palace's bulletin on the same
anniversary every year, a royal court's death notice, a ministry's annual statement. Two
fillings of one template share most of their words (word-pair containment 0.6-0.8 on
real pages, more than many real republished copies), yet they report different events,
and they say so in the years they name ("الذكرى الثالثة والأربعين ... 2018" against
"... 2017", "1440هـ" against "1434هـ"). A republished copy keeps the years of its
original, or adds some (a date line, a background sentence) beside them: two texts that
both name years, none of them in common, are never copies of each other
(``name_other_years``). Measured on 185 real pages (docs/dedupe.md): this turned 94 of
105 false copies away when no published time keeps the fillings apart, and no real copy.

The years a title and the lead's first LEAD_YEAR_CHARS characters name (``lead_year_facts``)
are the event's own: «يورو 2024», «داكار 2020», «عام 2018» in a first sentence. Reports of
one edition and of another share names, places and words; without published times they
are told apart by these (story sets 18-40: of the pairs the code joined whose titles and
first 60 characters name years and share none, 20 were of two events and none of one; at
150 characters, 32 and 2, as a lead goes on to recall an earlier year: «بطل العالم 2018»,
«في عام 1985»). They are given as figures (figures.py) of the kind LEAD_YEAR, a Hijri year
of the kind LEAD_HIJRI_YEAR.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Sequence

from streams.dedupe.figures import AREA_UNITS, ASCII_DIGITS, TOLL_KINDS, digit_runs, unit_kind
from streams.dedupe.year_numbers import GREGORIAN_YEARS

# what may follow a year's digits: its Hijri mark, and the word after it
_AFTER = re.compile(r"\s*(?:(ه)ـ?(?!\w)|([^\W\d_]+))")
_HIJRI = range(1300, 1500)  # written with its mark: "1440هـ", "1434 ه"
# Above this many years a text is a chronicle, and a stored sample of them could miss the
# one another text shares with it: such a text names no years for this purpose.
MAX_YEARS = 4
LEAD_YEAR = "lead-year"  # the figure kind of a year the title or the lead's start names
# ... and of a Hijri one: a lead dated «18 صفر 1441هـ» and its copy dated «17 تشرين الأول 2019»
# name one day in two calendars, which only compare each with its own
LEAD_HIJRI_YEAR = "lead-hijri-year"
LEAD_YEAR_CHARS = 60
_COUNTED_PEOPLE = TOLL_KINDS | {"people"}


def named_years(
    title: str,
    text: str,
    title_runs: Sequence[re.Match[str]] | None = None,
    text_runs: Sequence[re.Match[str]] | None = None,
) -> frozenset[int]:
    """The Gregorian and Hijri years ``title`` and ``text`` name; empty when they name more
    than MAX_YEARS. A number of the Gregorian range that counts people ("2000 قتيل", "1950
    نازحا") is a count, not a year: a republished copy may update it. ``title_runs`` and
    ``text_runs`` are their ``digit_runs`` when the caller has them; the caller bounds the
    text (shingles.py reads years where it reads figures: its first FIGURE_CHARS characters)."""
    years: set[int] = set()
    for part, part_runs in ((title, title_runs), (text, text_runs)):
        for run in digit_runs(part) if part_runs is None else part_runs:
            year = _year(part, run)
            if year is not None:
                years.add(year)
    return frozenset(years) if len(years) <= MAX_YEARS else frozenset()


def _year(text: str, run: re.Match[str]) -> int | None:
    """The year a digit run (``figures.digit_runs``) names, or None."""
    digits = run.group().rstrip(".,\u066b\u066c")  # a year may end a sentence: "في 2019."
    if len(digits) != 4 or not digits.isdigit():
        return None  # a longer number, a decimal or a grouped one
    start = run.start()
    if start and text[start - 1].isascii() and text[start - 1].isalpha():
        return None  # part of a code
    value = int(digits.translate(ASCII_DIGITS))
    after = _AFTER.match(text, start + len(digits))
    hijri_mark, word = (after.group(1), after.group(2)) if after else (None, None)
    if hijri_mark:
        return value if value in _HIJRI else None
    if word is not None and after is not None and text[after.start(2) : after.end() + 1] in AREA_UNITS:
        return None  # square metres ("2000 م2"), not the year 2000 AD ("2000 م")
    if value in GREGORIAN_YEARS and (word is None or unit_kind(word) not in _COUNTED_PEOPLE):
        return value
    return None


def lead_year_facts(
    title: str, text: str, title_runs: Sequence[re.Match[str]] | None = None
) -> list[tuple[str, float]]:
    """[(LEAD_YEAR or LEAD_HIJRI_YEAR, year)] for each year the title and the first LEAD_YEAR_CHARS characters of
    ``text`` name (none when they name more than MAX_YEARS). ``title_runs``: the title's
    ``digit_runs``, when the caller has them."""
    years = named_years(title, text[:LEAD_YEAR_CHARS], title_runs)
    return [(LEAD_HIJRI_YEAR if year in _HIJRI else LEAD_YEAR, float(year)) for year in sorted(years)]


def name_other_years(mine: Collection[int], theirs: Collection[int]) -> bool:
    """Whether both name years of one calendar and none of them in common: two fillings of
    one template for different events, never one article republished. A Hijri year is
    compared only with Hijri ones: a page dated «18 صفر 1441هـ» and its copy dated «17 تشرين
    الأول 2019» name one day (the forty-fifth held-out story set: 35 pilgrims killed on the
    Hijra road, republished the next day)."""
    for hijri in (False, True):
        my_years = [year for year in mine if (year in _HIJRI) is hijri]
        their_years = [year for year in theirs if (year in _HIJRI) is hijri]
        if my_years and their_years and not any(year in their_years for year in my_years):
            return True
    return False
