"""Which edition of a recurring event a report tells: "النسخة الـ112", "الدورة الثامنة
والسبعين", "في دورتها العادية الـ79".

A recurring event (a race, a festival, a book fair, a session of an assembly, a vote's
round) is told every time with the same names, places and words; what tells one year's
from the next is its number. Reports of one edition agree on it, and reports of two
editions differ: read as a figure (figures.py) of the kind EDITION, compared exactly (the
111th and the 112th are 0.9 % apart), two reports that both give one and share no value of
it tell different events (stories.py), and a text filled in for the next edition is not a
copy of the last (core.py). Measured on real pages:
docs/dedupe.md, "Editions of recurring events".

Which anniversary of a past event a report marks is read the same way, as ANNIVERSARY:
"الذكرى السنوية الأولى", "في ذكراها الخامسة", "الذكرى الـ13 للثورة". A revolution, a coup, a
disaster is remembered every year with the same names, places and words; the first
anniversary's marches and the second's are two events. Digits count only after "الـ" here:
"ذكرى 15 تموز" is the anniversary of a date, not the fifteenth.

How many times someone did something ("للمرة الرابعة في مسيرته") is not read: on real
pages a third of those counts were of something else (the host country's hosting, the
captain's own titles, a country's cups), which split reports of one event. An ordinal
that is not read whole (a compound other than "الحادية عشرة" or "الثامنة والسبعين") is
left out rather than misread: a misread edition would split its own reports.
"""

from __future__ import annotations

import re

from streams.dedupe.year_numbers import GREGORIAN_YEARS

EDITION = "edition"  # the number of an edition or session of a recurring event
ANNIVERSARY = "anniversary"  # the number of an anniversary of a past event

_UNITS = {
    "اول": 1, "أول": 1, "اولى": 1, "أولى": 1, "اولي": 1, "أولي": 1, "حادي": 1, "حادية": 1, "حاديه": 1,
    "ثاني": 2, "ثانية": 2, "ثانيه": 2, "ثالث": 3, "ثالثة": 3, "ثالثه": 3, "رابع": 4, "رابعة": 4, "رابعه": 4,
    "خامس": 5, "خامسة": 5, "خامسه": 5, "سادس": 6, "سادسة": 6, "سادسه": 6, "سابع": 7, "سابعة": 7, "سابعه": 7,
    "ثامن": 8, "ثامنة": 8, "ثامنه": 8, "تاسع": 9, "تاسعة": 9, "تاسعه": 9, "عاشر": 10, "عاشرة": 10, "عاشره": 10,
}  # fmt: skip
_TENS = {
    "عشرين": 20, "عشرون": 20, "ثلاثين": 30, "ثلاثون": 30, "أربعين": 40, "اربعين": 40, "أربعون": 40,
    "اربعون": 40, "خمسين": 50, "خمسون": 50, "ستين": 60, "ستون": 60, "سبعين": 70, "سبعون": 70,
    "ثمانين": 80, "ثمانون": 80, "تسعين": 90, "تسعون": 90,
}  # fmt: skip
_WORD = r"[^\W\d_]+"
# the nouns whose ordinal is read, with their article, a preposition and a possessive
# ("دوره" without its article is "his role", not a session)
_EDITION_NOUN = re.compile(
    r"[وف]?(?:لل|[بلك]?(?:ال)?)(?:نسخ[ةه]|دورة)|[وف]?[بلك]?الدوره|[وف]?[بلك]?(?:نسخت|دورت)(?:ه|ها)"
)
# where the nouns are looked for: every one holds one of these (str.find is far faster
# than a pattern tried at every position of a long text)
_STEMS = ("نسخ", "دورة", "دوره", "دورت")
_LETTER = re.compile(r"[^\W\d_]")
# what follows the noun: digits ("الـ112", "112") or a definite ordinal ("الرابعة", "الحادية
# عشرة", "الثامنة والسبعين"); an indefinite one ("نسخة ثالثة") is "another", not a number
# (an edition may be called the ordinary one first: "الدورة العادية الثانية والثلاثين",
# "دورتها الاعتيادية الـ79")
_ORDINARY = re.compile(r"\s+ال(?:ا?عتيادي|عادي)(?:ة|ه)?(?!\w)")
_DIGITS = re.compile(r"\s+(?:الـ?\s*|ـ\s*)?(\d{1,4})(?![\d.,٫٬])")
_ORDINAL = re.compile(rf"\s+الـ?({_WORD})(?:\s+(و\s*)?(?:ال)?({_WORD}))?")
# an anniversary: the noun with its article, a preposition or a possessive ("ذكرى" alone
# opens a phrase: "إحياء ذكرى الضحايا"), maybe called the yearly one first ("الذكرى السنوية
# الأولى"), its digits only after "الـ"
_ANNIVERSARY_NOUN = re.compile(r"[وف]?(?:لل|[بلك]?ال)ذكر[ىي]|[وف]?[بلك]?ذكرا(?:ه|ها)")
_ANNIVERSARY_STEMS = ("ذكرى", "ذكري", "ذكرا")
_YEARLY = re.compile(r"\s+السنوي(?:ة|ه)(?!\w)")
_MARKED_DIGITS = re.compile(r"\s+(?:الـ?\s*|ـ\s*)(\d{1,3})(?![\d.,٫٬])")


def _ordinal(
    text: str, at: int, qualifier: re.Pattern[str], digit_form: re.Pattern[str]
) -> tuple[int, int | None] | None:
    """The ordinal written at ``at`` (after its noun, and after ``qualifier`` if that is
    there: the ordinary session, the yearly anniversary) and where its digits start (None
    for words), or None when none is there or it is not read whole."""
    ordinary = qualifier.match(text, at)
    if ordinary is not None:
        at = ordinary.end()
    digits = digit_form.match(text, at)
    if digits is not None:
        number = int(digits.group(1))  # (int reads Arabic-Indic and Persian digits too)
        # "دورة 2024": the edition named by its year, which years.py reads
        return None if number in GREGORIAN_YEARS else (number, digits.start(1))
    match = _ORDINAL.match(text, at)
    if match is None:
        return None
    first, conjunction, second = match.groups()
    unit = _UNITS.get(first)
    if unit is None:
        # "العشرين" alone: the twentieth
        tens = _TENS.get(first) if second is None else None
        return None if tens is None else (tens, None)
    if second in ("عشر", "عشرة", "عشره") and not conjunction:
        return unit + 10, None
    if second in _TENS and conjunction:
        return unit + _TENS[second], None
    if first in ("حادي", "حادية", "حاديه"):
        return None  # "the eleventh" or "the twenty-first" written in a way not read
    return unit, None


def _nouns(text: str, stems: tuple[str, ...], noun: re.Pattern[str]) -> list[int]:
    """Where each ``noun`` (found by its ``stems``) ends, in text order."""
    found = set()
    for stem in stems:
        at = text.find(stem)
        while at >= 0:
            start = at
            while start > 0 and start > at - 4 and _LETTER.match(text, start - 1):
                start -= 1  # (its prefixes: "وللدورة", "وبنسختها")
            end = at + len(stem)
            while end < len(text) and end < at + len(stem) + 3 and _LETTER.match(text, end):
                end += 1  # (its possessives: "دورته", "نسختها")
            word_before = start > 0 and _LETTER.match(text, start - 1)
            word_after = end < len(text) and _LETTER.match(text, end)
            if not word_before and not word_after and noun.fullmatch(text, start, end):
                found.add(end)
            at = text.find(stem, at + 1)
    return sorted(found)


# what is read: (kind, the nouns' stems, the noun, what may stand between it and its
# ordinal, the ordinal's digits)
_READINGS = (
    (EDITION, _STEMS, _EDITION_NOUN, _ORDINARY, _DIGITS),
    (ANNIVERSARY, _ANNIVERSARY_STEMS, _ANNIVERSARY_NOUN, _YEARLY, _MARKED_DIGITS),
)


def edition_facts(text: str) -> tuple[list[tuple[str, float]], set[int]]:
    """(EDITION, number) for each edition of a recurring event that ``text`` names,
    (ANNIVERSARY, number) for each anniversary of a past event, and
    where the digits of those written in digits start (figures.py reads no count from
    them: "النسخة 111 من الطواف" is no count of 111 of anything)."""
    facts: list[tuple[str, float]] = []
    starts: set[int] = set()
    for kind, stems, noun, qualifier, digit_form in _READINGS:
        for end in _nouns(text, stems, noun):
            read = _ordinal(text, end, qualifier, digit_form)
            if read is not None:
                number, start = read
                facts.append((kind, float(number)))
                if start is not None:
                    starts.add(start)
    return facts, starts
