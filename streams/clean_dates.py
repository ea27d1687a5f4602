"""Dates and times in news text and feed fields, as ISO 8601 strings.

Everything here works on *folded* text (``streams.textnorm.fold``): hamza forms, ة/ه,
ى/ي, tanween and Arabic-Indic digits are already unified, Latin is lower-case, so one
month table covers أغسطس/اغسطس, أيار/ايار, مساءً/مساء and ٧/7.

Supported forms:
- day + month name (+ year): "7 ديسمبر 2021", "7 كانون الأول/ديسمبر 2021",
  "07 December 2021", Gregorian names of both Arabic systems (Egyptian ديسمبر,
  Levantine كانون الأول) and the Maghreb ones (دجنبر, جوان …);
- month name + day + year: "December 7, 2021", "Dec. 7, 2021";
- numeric: "2021-12-07", "2021-12-07T09:21:37Z", "2021/12/07", "07/12/2021"
  (day first, the Arab-world and European order; month first only when the day-first
  reading is impossible, e.g. "12/25/2021");
- a time next to the date: "9:21:37 ص" (ص = AM, م/مساء = PM), "10:30 PM",
  "الساعة 15:00 بتوقيت غرينتش", with GMT/UTC or a numeric offset when stated.

A date without a year is never returned: the year cannot be guessed safely.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, date, datetime, time, timedelta, timezone
from email.utils import parsedate_to_datetime

from streams.month_names import MONTH_OF
from streams.textnorm import fold

_MONTH_ALT = "|".join(re.escape(name).replace(r"\ ", r"\s+") for name in sorted(MONTH_OF, key=len, reverse=True))
# A month expression: one name, optionally followed by its name in the other system
# ("كانون الأول/ديسمبر", "ديسمبر (كانون الأول)").
_MONTH = (
    rf"(?P<{{g}}>{_MONTH_ALT})(?!\w)\.?"
    rf"(?:\s*(?:/|-|\()\s*(?:{_MONTH_ALT})(?!\w)\s*\)?)?"
)

_DAY_FIRST = re.compile(
    r"(?<![\d\w])(?P<day>\d{1,2})(?:(?:st|nd|rd|th),?)?\s*(?:من\s+)?(?:شهر\s+)?"
    + _MONTH.format(g="month")
    + r"(?:\s*,?\s*(?:عام\s+|سنه\s+)?(?P<year>\d{4})(?!\d))?"
)
_MONTH_FIRST = re.compile(
    r"(?<!\w)" + _MONTH.format(g="month") + r"\s*(?P<day>\d{1,2})(?:st|nd|rd|th)?(?!\d)\s*,?\s*(?P<year>\d{4})(?!\d)"
)
_ISO = re.compile(
    r"(?<![\d\w])(?P<year>\d{4})-(?P<month>\d{2})-(?P<day>\d{2})"
    r"(?:[t ](?P<h>\d{2}):(?P<m>\d{2})(?::(?P<s>\d{2})(?:\.\d+)?)?"
    r"(?P<tz>z|[+-]\d{2}:?\d{2})?)?(?![\d])"
)
_YMD = re.compile(r"(?<![\d\w/.])(?P<year>\d{4})[/.](?P<month>\d{1,2})[/.](?P<day>\d{1,2})(?![\d/.]\d)")
_DMY = re.compile(r"(?<![\d\w/.-])(?P<a>\d{1,2})(?P<sep>[/.-])(?P<b>\d{1,2})(?P=sep)(?P<year>\d{4})(?!\d)")

_TIME = re.compile(
    r"(?<![\d:])(?P<h>\d{1,2}):(?P<m>\d{2})(?::(?P<s>\d{2}))?(?![\d:])"
    r"\s*(?P<ampm>صباحا|صباح|مساء|ظهرا|ص|م|a\.m\.|p\.m\.|am|pm)?(?!\w)"
    r"(?:\s*(?P<utc>gmt|utc|z|بتوقيت\s+(?:غرينتش|جرينتش|غرينيتش|جرينيتش))(?!\w)"
    r"\s*(?P<utcoff>[+-]\d{1,2}(?::?\d{2})?)?|\s*(?P<off>[+-]\d{2}:?\d{2})(?!\d))?"
)
_TIME_WINDOW = 40  # characters around a date searched for its time of day

_PM = {"م", "مساء", "pm", "p.m.", "ظهرا"}
_AM = {"ص", "صباح", "صباحا", "am", "a.m."}

MIN_YEAR, MAX_YEAR = 1900, 2100


@dataclass(frozen=True, slots=True)
class FoundDate:
    """A date found in folded text: its ISO 8601 form and the span it covers (date and
    time of day together) in the searched string."""

    iso: str
    start: int
    end: int
    has_time: bool


def _offset(text: str | None) -> timezone | None:
    if not text:
        return None
    sign = -1 if text[0] == "-" else 1
    digits = text[1:].replace(":", "")
    hours = int(digits[:2]) if len(digits) >= 3 else int(digits)
    minutes = int(digits[2:4]) if len(digits) >= 3 else 0
    if hours > 14 or minutes > 59:
        return None
    return timezone(sign * timedelta(hours=hours, minutes=minutes))


def _time_from(match: re.Match[str]) -> tuple[time, bool] | None:
    """The time of day of a _TIME match and whether its zone was stated."""
    hour, minute = int(match["h"]), int(match["m"])
    second = int(match["s"]) if match["s"] else 0
    ampm = match["ampm"]
    if ampm:
        # a 24-hour clock with a redundant "مساءً" ("17:20 مساءً") is common on Arabic pages
        if hour < 1 or (hour > 12 and not (ampm in _PM and hour <= 23)):
            return None
        if ampm in _PM and hour < 12:
            hour += 12
        elif ampm in _AM and hour == 12:
            hour = 0
    if hour > 23 or minute > 59 or second > 59:
        return None
    tz: timezone | None = None
    if match["utc"]:
        tz = _offset(match["utcoff"]) or UTC
    elif match["off"]:
        tz = _offset(match["off"])
    return time(hour, minute, second, tzinfo=tz), tz is not None


def _valid_date(year: int, month: int, day: int) -> date | None:
    if not MIN_YEAR <= year <= MAX_YEAR:
        return None
    try:
        return date(year, month, day)
    except ValueError:
        return None


def _iso(day: date, clock: time | None) -> str:
    if clock is None:
        return day.isoformat()
    return datetime.combine(day, clock).isoformat(timespec="seconds")


def _nearby_time(folded: str, start: int, end: int) -> tuple[re.Match[str], time] | None:
    """The time of day written right after a date (or, failing that, right before it)."""
    after = _TIME.search(folded, end, min(len(folded), end + _TIME_WINDOW))
    if after is not None and not _has_words_between(folded, end, after.start()):
        parsed = _time_from(after)
        if parsed:
            return after, parsed[0]
    window_start = max(0, start - _TIME_WINDOW)
    before = None
    for candidate in _TIME.finditer(folded, window_start, start):
        before = candidate
    if before is not None and not _has_words_between(folded, before.end(), start):
        parsed = _time_from(before)
        if parsed:
            return before, parsed[0]
    return None


# Words allowed between a date and its time ("7 ديسمبر 2021، الساعة 9:21"), a time zone among
# them ("20/11/2023 توقيت عمان - القدس 11:21:48 PM": copy set 49)
_GLUE = re.compile(r"^[\s,\-|/@]*(?:(?:الساعه|at|في|علي|ب?توقيت(?:[\s\-–]+[^\W\d_]+){1,3})\s*[\s,\-|/@]*)*$")


def _has_words_between(folded: str, start: int, end: int) -> bool:
    return _GLUE.match(folded[start:end]) is None


def _candidates(folded: str) -> list[tuple[int, int, date]]:
    found: list[tuple[int, int, date]] = []
    for match in _ISO.finditer(folded):
        day = _valid_date(int(match["year"]), int(match["month"]), int(match["day"]))
        if day:
            found.append((match.start(), match.end(), day))
    for match in _DAY_FIRST.finditer(folded):
        if match["year"] is None:
            continue
        day = _valid_date(int(match["year"]), MONTH_OF[_month_key(match["month"])], int(match["day"]))
        if day:
            found.append((match.start(), match.end(), day))
    for match in _MONTH_FIRST.finditer(folded):
        day = _valid_date(int(match["year"]), MONTH_OF[_month_key(match["month"])], int(match["day"]))
        if day:
            found.append((match.start(), match.end(), day))
    for match in _YMD.finditer(folded):
        day = _valid_date(int(match["year"]), int(match["month"]), int(match["day"]))
        if day:
            found.append((match.start(), match.end(), day))
    for match in _DMY.finditer(folded):
        first, second, year = int(match["a"]), int(match["b"]), int(match["year"])
        day = _valid_date(year, second, first) or _valid_date(year, first, second)
        if day:
            found.append((match.start(), match.end(), day))
    return found


def _month_key(name: str) -> str:
    return " ".join(name.split())


# Every date form read here has a four-digit year: a text without one is not scanned (most
# lines of an article; five pattern scans cost more than the rest of a line's checks).
_FOUR_DIGITS = re.compile(r"\d{4}")


def find_dates(folded: str) -> list[FoundDate]:
    """Every full date (with a year) in ``folded``, in order, without overlaps."""
    if _FOUR_DIGITS.search(folded) is None:
        return []
    candidates = sorted(_candidates(folded), key=lambda c: (c[0], -(c[1] - c[0])))
    results: list[FoundDate] = []
    last_end = -1
    for start, end, day in candidates:
        if start < last_end:
            continue
        iso_match = _ISO.match(folded, start)
        if iso_match is not None and iso_match.end() == end and iso_match["h"]:
            tz = UTC if iso_match["tz"] == "z" else _offset(iso_match["tz"])
            clock = time(int(iso_match["h"]), int(iso_match["m"]), int(iso_match["s"] or 0), tzinfo=tz)
            results.append(FoundDate(_iso(day, clock), start, end, True))
            last_end = end
            continue
        near = _nearby_time(folded, start, end)
        if near is not None:
            match, clock = near
            span_start, span_end = min(start, match.start()), max(end, match.end())
            results.append(FoundDate(_iso(day, clock), span_start, span_end, True))
            last_end = span_end
        else:
            results.append(FoundDate(_iso(day, None), start, end, False))
            last_end = end
    return results


# a line that names the date as its publication ("نشر في", "تاريخ النشر", "published on"),
# folded; an update ("اخر تحديث") is not one
_PUBLISHED_LABEL = re.compile(r"(?<![^\W\d_])(?:نشر|تاريخ\s+(?:ال)?نشر|published|posted)(?![^\W\d_])")


@dataclass(frozen=True)
class PageDate:
    """A date a page's chrome gives, and whether its line says it is the publication date
    (a label, or the article's own dateline)."""

    iso: str
    stated: bool


def names_publication(folded_line: str) -> bool:
    """Whether a (folded) date line labels its date as the publication date."""
    return _PUBLISHED_LABEL.search(folded_line) is not None


def page_published(dates: list[PageDate]) -> str | None:
    """The page's publication date among the dates its chrome lines give, in page order: the
    first one stated as such, else the earliest day (the first of that day). A header's clock
    shows the day the page was read, and an update line a later day, both often above the
    line that says when it was published ("السبت 15 مارس 2025" over "نشر في: الجمعة 22 مارس
    2024": story sets 46, 47, 50 and 52, copy set 55; docs/cleaning.md)."""
    stated = [found for found in dates if found.stated]
    if stated:
        return stated[0].iso
    return min(dates, key=lambda found: found.iso[:10]).iso if dates else None


def first_date(text: str) -> str | None:
    """The first full date in ``text`` (any script; folded here) as ISO 8601, else None."""
    dates = find_dates(fold(text))
    return dates[0].iso if dates else None


def normalize_feed_date(value: str | None) -> str | None:
    """A feed's published value (ISO 8601, RFC 822 or a written date) as ISO 8601.

    The zone is kept when the feed states one; None when the value is empty or unreadable."""
    if value is None:
        return None
    value = value.strip()
    if not value:
        return None
    iso_candidate = value[:-1] + "+00:00" if value[-1:] in ("Z", "z") else value
    try:
        parsed = datetime.fromisoformat(iso_candidate)
    except ValueError:
        parsed = None
    if parsed is not None:
        if len(value) <= 10 and "T" not in value and ":" not in value:
            return parsed.date().isoformat()
        return parsed.replace(microsecond=0).isoformat(timespec="seconds")
    try:
        rfc = parsedate_to_datetime(value)
    except (TypeError, ValueError, IndexError):
        rfc = None
    if rfc is not None:
        if rfc.tzinfo is not None and "-0000" in value:
            # RFC 5322: "-0000" means "zone unknown", not UTC.
            rfc = rfc.replace(tzinfo=None)
        return rfc.replace(microsecond=0).isoformat(timespec="seconds")
    return first_date(value)
