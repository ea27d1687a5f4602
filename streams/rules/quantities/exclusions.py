"""Numbers that are not counts: years (عام 2014, ديسمبر 2021, in 2014), article and clause
numbers (المادة 5), times and dates (15:00, 7/12), ordinals (30th) and model names (F-16, T72)."""

from __future__ import annotations

from streams.month_names import MONTH_NAMES
from streams.rules.quantities.tokens import LATIN_WORD_RE, Tokens
from streams.textnorm import fold

# A number right after one of these is a year, an article number or a label, never a count.
_YEAR_MARKERS = frozenset(
    fold(w)
    for w in (
        "عام",
        "العام",
        "لعام",
        "وعام",
        "بعام",
        "للعام",
        "والعام",
        "عامي",
        "سنة",
        "السنة",
        "لسنة",
        "year",
        "fy",
    )
)
# A four-digit number right after a month's name (or the first word of a two-word one,
# «كانون» of «كانون الأول») is its year: "ديسمبر 2021".
_MONTHS = frozenset(name.split()[0] for names in MONTH_NAMES.values() for name in names)
# Before a year-like number (1900-2100) these make it a year: "in 2014 troops crossed".
_YEAR_PREPOSITIONS = frozenset(
    fold(w)
    for w in (
        "في",
        "منذ",
        "خلال",
        "قبل",
        "بعد",
        "in",
        "since",
        "by",
        "until",
        "during",
        "before",
        "after",
    )
)
_LABEL_MARKERS = frozenset(
    fold(w)
    for w in (
        "المادة",
        "مادة",
        "للمادة",
        "بالمادة",
        "والمادة",
        "البند",
        "بند",
        "الفقرة",
        "فقرة",
        "رقم",
        "القرار",
        "قرار",
        "الفصل",
        "الصفحة",
        "صفحة",
        "الكيلو",
        "article",
        "section",
        "paragraph",
        "clause",
        "resolution",
        "no",
        "number",
        "page",
        "chapter",
    )
)
_ERA_MARKERS = frozenset({"ء", "م", "ه", "هـ", "ad", "bc"})
_ORDINAL_SUFFIXES = frozenset({"st", "nd", "rd", "th"})
_CHAIN_SEPARATORS = frozenset({":", "/"})


def is_excluded_start(tokens: Tokens, index: int) -> bool:
    """A number at token ``index`` is a year, a label, a time/date or a model name, not a count."""
    texts = tokens.texts
    token = texts[index]
    if index > 0:
        before = texts[index - 1]
        if before in _YEAR_MARKERS or before in _LABEL_MARKERS:
            return True
        if before in _CHAIN_SEPARATORS and tokens.adjacent(index - 1, index):
            return True  # 9:21, 7/12
        if (
            before == "-"
            and index > 1
            and tokens.adjacent(index - 1, index)
            and tokens.adjacent(index - 2, index - 1)
            and LATIN_WORD_RE.fullmatch(texts[index - 2])
        ):
            return True  # F-16, S-400
        if tokens.adjacent(index - 1, index) and LATIN_WORD_RE.fullmatch(before) and token[0].isdigit():
            return True  # T72, MiG29
    if token[0].isdigit():
        if index + 1 < tokens.n and tokens.adjacent(index, index + 1):
            after = texts[index + 1]
            if after in _CHAIN_SEPARATORS and index + 2 < tokens.n and texts[index + 2][0].isdigit():
                return True  # 15:00, 7/12/2021
            if after in _ORDINAL_SUFFIXES:
                return True  # 30th
        if len(token) == 4 and token.isdigit() and 1000 <= int(token) <= 2199:
            if index > 0 and texts[index - 1] in _MONTHS:
                return True  # ديسمبر 2021
            if index > 0 and texts[index - 1] in _YEAR_PREPOSITIONS and 1900 <= int(token) <= 2100:
                return True  # في 2014, in 2014
            if index + 1 < tokens.n and texts[index + 1] in _ERA_MARKERS:
                return True  # 2021م, 1443 هـ
    return False
