"""The weekday a report's lead names: for the stories of reports that carry no published
time, and (read more narrowly, below) for copies.

A report says on which day its event happened: "أعلن ... اليوم الخميس", "قُتل ... أمس
السبت" (a next-day report names the same day). Two undated reports whose leads name
different weekdays tell of different days, so of different events of one kind: the same
parliament electing a president years apart, one court's death notices of two emirs, a
city's storms of two years. With published times the gap between them says more, so two
dated reports' weekdays are not compared (stories.py); a report whose only date is in its
text («اليوم الأحد 23 ديسمبر») is dated, and its weekday is still compared with undated
reports'. Measured on three held-out sets of real pages (docs/dedupe.md): undated story
precision up by 3-13 points, recall within a few points; compared also for reports dated
by their text, 0.768 → 0.821 on a fourth.

The day a report is *of* (the second reading of ``lead_days``) is read more narrowly, for
copies, dated or not: a weekday the lead gives as today, yesterday, tomorrow, a time of day
or a day («اليوم السبت», «أمس الأحد», «يوم غدٍ الجمعة», «فجر الثلاثاء», «يوم الخميس», but not
«يوم الخميس المقبل» nor «الماضي») or after a comma or a slash («أعلنت الإمارات، السبت، …»). A
notice issued again three days later in the same words («… اليوم الثلاثاء …» for «… اليوم السبت
…») is a new notice, while a copy keeps its original's day. Any weekday was tried first and
cost real copies: a date line names the day a page went online, and a lead may name a coming
day («يوم الأربعاء المقبل»).
"""

from __future__ import annotations

import re

from streams.dedupe.months import LEAD_CHARS as REPORT_LEAD_CHARS
from streams.textnorm import fold

WEEKDAY = "weekday"  # the figure kind (figures.py) the lead's weekday is given as
LEAD_CHARS = 300  # the lead: where a report names its event's day
assert LEAD_CHARS <= REPORT_LEAD_CHARS  # (lead_days extends the one lead into the other)
# (folded: "الإثنين" is "الاثنين")
_DAYS = {
    fold(day): number for number, day in enumerate("الأحد الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت".split(), 1)
}
_ALTERNATIVES = "|".join(sorted(_DAYS, key=len, reverse=True))
_DAY = re.compile(r"(?<!\w)(" + _ALTERNATIVES + r")(?!\w)")
# (folded: «ليلة» is «ليله», «أمس» is «امس», the Arabic comma a comma) a weekday after
# today, yesterday, tomorrow, a time of day or «يوم», or after a comma or slash; never one
# followed by a date («الأحد 1 مارس»: a date line) or by a word that makes it a coming or
# past day; the day may stand in brackets or quotes, as the Saudi
# agency writes it («مساء اليوم (الخميس)»), or between slashes or dashes, as the Egyptian
# agency's copies and their edits do («أمس الأول /الأربعاء/», «أمس الأول -الأربعاء»: the
# day before yesterday, the twenty-sixth held-out copy set)
# A date may follow the day only after today or yesterday («اليوم الثلاثاء 7 من دجنبر»: prose,
# not a date line); a day that opens a range is no report's («من يوم الإثنين إلى الخميس», a
# working week: copy set 44), nor one a period runs since («منذ أمس الاثنين»: story set 47)
_NOT_ANOTHER_DAY = r"(?!\s+(?:المقبل|القادم|الماضي))(?!\s+الي\s)"
_MARKED_DAY = r"[(«\"/\-–]?\s*(" + _ALTERNATIVES + r")(?!\w)"  # the day, bracketed or not
_REPORT_DAY = re.compile(
    r"(?<!منذ\s)(?<!\w)(?:اليوم|امس)\s+(?:الاول\s+)?" + _MARKED_DAY + _NOT_ANOTHER_DAY + r"|"
    r"(?:(?<!منذ\s)(?<!\w)(?:اليوم|امس|غدا|غد|صباح|مساء|فجر|ظهر|عصر|ليله|ليل|يوم)\s+(?:(?:اليوم|امس|غدا|غد)\s+)?(?:الاول\s+)?|[,/]\s*)"
    + _MARKED_DAY
    + r"(?!\s*\d)"
    + _NOT_ANOTHER_DAY
)


UNTIL_DAY = "until-day"  # the figure kind (figures.py) of the day a warning lasts until
# "حتى الثلاثاء المقبل", "حتى يوم الجمعة القادم": the last day of a warning or a closure
_UNTIL_DAY = re.compile(r"(?<!\w)حتي\s+(?:يوم\s+)?(" + _ALTERNATIVES + r")(?!\w)(?!\s*\d)")


def lead_days(text: str, title: str = "") -> tuple[int, int, int]:
    """The weekdays ``text``'s lead gives (1 for Sunday … 7 for Saturday, 0 for none): the
    first one named in its first LEAD_CHARS characters; the one its first REPORT_LEAD_CHARS
    characters report as the day of its news (see above); and the first one ``title`` or
    that lead gives as the day something lasts until (UNTIL_DAY: warnings and closures are
    templates filled in again every few days, «… من يوم غدٍ الجمعة حتى الثلاثاء المقبل», and a
    copy keeps its original's days: the thirty-second held-out copy set). One folding of
    the lead serves all three (folding works character by character: the longer lead's
    folding extends the shorter one's)."""
    lead = fold(text[:LEAD_CHARS])
    named = _DAY.search(lead)
    lead += fold(text[LEAD_CHARS:REPORT_LEAD_CHARS])
    reported = _REPORT_DAY.search(lead)
    # (substring tests first: most titles and leads name no such day)
    until = _UNTIL_DAY.search(fold(title)) if "حت" in title else None
    if until is None and "حتي" in lead:
        until = _UNTIL_DAY.search(lead)
    return (
        _DAYS[named.group(1)] if named is not None else 0,
        _DAYS[reported.group(1) or reported.group(2)] if reported is not None else 0,
        _DAYS[until.group(1)] if until is not None else 0,
    )


def report_other_days(mine: int, theirs: int) -> bool:
    """Whether two reports are of different days by their leads (both name one)."""
    return bool(mine and theirs and mine != theirs)
