"""The Gregorian months' names as news writes them, folded: one table for every reader of
dates (clean_dates.py reads full dates, dedupe/months.py the months a lead dates by, the
quantity reader's exclusions a year after a month).

Names of the Arab east (ديسمبر), of the Levant and Iraq (كانون الأول), of Algeria and
Tunisia (ديسمبر, جانفي, جويلية), of Morocco (دجنبر, شتنبر, يوليوز, غشت) and English ones with
their usual abbreviations. A two-word Levantine name is also written without the article
(كانون أول). Hijri months are left out: «رمضان» names the month of fasting more than a
date. Spellings are given as outlets write them and folded here (``streams.textnorm.fold``),
so that every reader compares folded text with folded names.
"""

from __future__ import annotations

from streams.textnorm import fold

_WRITTEN: dict[int, tuple[str, ...]] = {
    1: ("يناير", "كانون الثاني", "كانون ثاني", "جانفي", "january", "jan"),
    2: ("فبراير", "شباط", "فيفري", "february", "feb"),
    3: ("مارس", "آذار", "march", "mar"),
    4: ("أبريل", "إبريل", "ابريل", "نيسان", "أفريل", "april", "apr"),
    5: ("مايو", "أيار", "ماي", "may"),
    6: ("يونيو", "يونيه", "حزيران", "جوان", "june", "jun"),
    7: ("يوليو", "يوليه", "يوليوز", "تموز", "جويلية", "july", "jul"),
    8: ("أغسطس", "أغسطوس", "آب", "أوت", "غشت", "august", "aug"),
    9: ("سبتمبر", "أيلول", "شتنبر", "september", "sept", "sep"),
    10: ("أكتوبر", "تشرين الأول", "تشرين أول", "october", "oct"),
    11: ("نوفمبر", "تشرين الثاني", "تشرين ثاني", "نونبر", "november", "nov"),
    12: ("ديسمبر", "كانون الأول", "كانون أول", "دجنبر", "december", "dec"),
}

# month -> its folded names, distinct, in the order above
MONTH_NAMES: dict[int, tuple[str, ...]] = {
    month: tuple(dict.fromkeys(fold(name) for name in names)) for month, names in _WRITTEN.items()
}
# folded name (one word, or two separated by one space) -> month
MONTH_OF: dict[str, int] = {name: month for month, names in MONTH_NAMES.items() for name in names}
