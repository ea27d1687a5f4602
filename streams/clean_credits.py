"""Agency credits: who wrote a text, as its page credits it.

A standalone credit line ("(د ب أ)", "رويترز / أ ف ب", "المصدر: وكالات"), a credit in
parentheses inside prose, a dateline parenthesis opening a paragraph ("( … / سبوتنيك - 07
ديسمبر 2021)") and a "CITY - AGENCY -" dateline. The agency found names the article's
source (dedupe reads it); the credit line itself is chrome (``streams.clean_chrome``).
Patterns run on folded text (``streams.textnorm.fold``).
"""

from __future__ import annotations

import re
from dataclasses import dataclass

from streams.clean_dates import FoundDate, find_dates
from streams.textnorm import fold

# Folded spellings → agency id. Abbreviations are listed with single spaces between their
# letters; dots in the text are treated as spaces ("د.ب.أ" = "د ب أ").
_AGENCY_NAMES: dict[str, tuple[str, ...]] = {
    "dpa": ("د ب ا", "dpa", "الانباء الالمانيه", "وكاله الانباء الالمانيه"),
    "afp": ("ا ف ب", "afp", "فرانس برس", "وكاله فرانس برس", "الصحافه الفرنسيه", "وكاله الصحافه الفرنسيه"),
    "reuters": ("رويترز", "رويتر", "reuters"),
    "sputnik": ("سبوتنيك", "سبوتنك", "sputnik"),
    "mena": ("ا ش ا", "mena", "وكاله انباء الشرق الاوسط"),
    "spa": ("واس", "spa", "وكاله الانباء السعوديه"),
    "qna": ("قنا", "qna", "وكاله الانباء القطريه"),
    "anadolu": ("الاناضول", "اناضول", "وكاله الاناضول", "الاناضول للانباء", "anadolu", "anadolu agency"),
    "wam": ("وام", "wam", "وكاله انباء الامارات"),
    "petra": ("بترا", "petra", "وكاله الانباء الاردنيه"),
    "kuna": ("كونا", "kuna", "وكاله الانباء الكويتيه"),
    "sana": ("سانا", "sana", "وكاله الانباء السوريه"),
    "ap": ("ap", "a p", "اسوشيتد برس", "اسوشيتدبرس", "اسوشيتيد برس", "اسوشييتد برس", "associated press", "ا ب"),
    "xinhua": ("شينخوا", "xinhua"),
    "tass": ("تاس", "tass"),
    "ria": ("ريا نوفوستي", "نوفوستي", "ria novosti", "ria"),
    "interfax": ("انترفاكس", "interfax"),
    "irna": ("ارنا", "irna"),
    "bna": ("بنا", "bna"),
    "ona": ("العمانيه", "ona"),
    "wafa": ("وفا", "wafa"),
    "aps": ("واج", "aps"),
    "map": ("لاماب", "ماب", "map"),
    "tap": ("وات", "tap"),
    "ina": ("واع", "ina"),
    "suna": ("سونا", "suna"),
    "saba": ("سبا", "saba", "وكاله الانباء اليمنيه"),
    "upi": ("upi", "يو بي اي"),
    "kyodo": ("كيودو", "kyodo"),
    "yonhap": ("يونهاب", "yonhap"),
    "bloomberg": ("بلومبرغ", "بلومبرج", "bloomberg"),
}
AGENCIES: dict[str, str] = {
    " ".join(fold(name).split()): agency for agency, names in _AGENCY_NAMES.items() for name in names
}
# Photo agencies: a credit naming one ("غيتي - أناضول" under a picture) is a photo credit,
# which names no author of the text (the article's agency stays the one its text credits).
PHOTO_CREDIT_WORDS = frozenset(fold(word) for word in "غيتي جيتي ايميجز إيميجز getty images epa".split())
# "<photographer> | عبر رويترز": a picture's credit under it, via an agency.
PHOTO_VIA = re.compile(r"^[^|\d]{3,40}\|\s*(?:عبر|via)\s+(?P<agency>[^|]{2,30})$")
# Words that may surround agency names in a credit without being one.
_CREDIT_WORDS = (
    frozenset(
        fold(word)
        for word in "وكالات ووكالات وكالة المصدر المصادر للأنباء مع و agencies agency source sources with and news".split()
    )
    | PHOTO_CREDIT_WORDS
)
_CREDIT_SPLIT = re.compile(r"\s*(?:[/,;|+\-–—:]|\s(?:و|and|&)\s)\s*")
_CREDIT_STRIP = re.compile(r"^[\s(\[{«\"'\-–—]+|[\s)\]}»\"'.\-–—]+$")
_DOTS = re.compile(r"[.\s]+")
_AGENCY_ALT = "|".join(re.escape(name).replace(r"\ ", r"[.\s]+") for name in sorted(AGENCIES, key=len, reverse=True))
# An agency name inside a longer credit or dateline (word boundaries on both sides).
_AGENCY_IN_TEXT = re.compile(rf"(?<![\w])و?(?P<name>{_AGENCY_ALT})(?![\w])")
_PARENTHESIS = re.compile(r"\(([^()\n]{1,60})\)")
_DATELINE_MARK = re.compile(r"[-–—:(]")
# "موسكو - رويترز -", "القاهرة - أ ش أ:", "MOSCOW (Reuters) -" at the start of a paragraph.
DATELINE_CREDIT = re.compile(
    rf"^[^\s.!?]{{1,30}}(?:\s[^\s.!?]{{1,30}}){{0,3}}?\s*(?:[-–—:,]\s*\(?|\()\s*"
    rf"(?P<name>{_AGENCY_ALT})\s*\)?\s*[-–—:]"
)


# The words a credit's chunk can be made of: credit words and the words of agency names,
# a name's first word perhaps with "و" attached. A name is matched only between non-word
# characters, and every other character stays behind as a leftover that is no credit word,
# so a chunk holding another word is no credit.
_NAME_WORDS = frozenset(word for name in AGENCIES for word in name.split())
_CREDIT_CHUNK_WORDS = _CREDIT_WORDS | _NAME_WORDS | {"و" + word for word in _NAME_WORDS}


def agency_key(text: str) -> str:
    """The lookup form of a folded agency name: dots and runs of spaces as one space."""
    return _DOTS.sub(" ", text).strip()


def credit_agencies(folded: str) -> tuple[str, ...] | None:
    """Agencies of a text that is *only* a credit ("د ب ا", "رويترز / ا ف ب",
    "المصدر: وكالات"), else None. An empty tuple is a credit naming no agency."""
    body = _CREDIT_STRIP.sub("", folded)
    if not body or len(body.split()) > 10:
        return None
    agencies: list[str] = []
    for chunk in _CREDIT_SPLIT.split(body):
        key = agency_key(_CREDIT_STRIP.sub("", chunk))
        if not key:
            continue
        agency = AGENCIES.get(key) or AGENCIES.get(key.replace(" ", ""))
        if agency:
            if agency not in agencies:
                agencies.append(agency)
            continue
        # Several names in one chunk, or names with attached "و" ("رويترز وا ف ب").
        if not _CREDIT_CHUNK_WORDS.issuperset(key.split()):
            return None  # what the scan below concludes for most lines, without the scan
        leftover = _AGENCY_IN_TEXT.sub(" ", key).split()
        if not all(word in _CREDIT_WORDS for word in leftover):
            return None
        agencies.extend(agency for agency in agencies_in(key) if agency not in agencies)
    if not agencies and not any(word in _CREDIT_WORDS for word in body.split()):
        return None
    return tuple(agencies)


def agencies_in(folded: str) -> tuple[str, ...]:
    """Agency names anywhere in ``folded`` (used inside credits and datelines only)."""
    found: list[str] = []
    for match in _AGENCY_IN_TEXT.finditer(folded):
        agency = AGENCIES.get(agency_key(match["name"]))
        if agency and agency not in found:
            found.append(agency)
    return tuple(found)


def inline_credit_agencies(folded: str) -> tuple[str, ...]:
    """Agencies credited inside a prose line: a parenthesised credit ("(د ب أ)") anywhere,
    or a "CITY - AGENCY -" dateline opening it."""
    found: list[str] = []
    if "(" in folded:
        for match in _PARENTHESIS.finditer(folded):
            for agency in credit_agencies(match.group(1)) or ():
                if agency not in found:
                    found.append(agency)
    dateline = DATELINE_CREDIT.match(folded) if _DATELINE_MARK.search(folded, 0, 130) else None
    if dateline is not None:
        credited = AGENCIES.get(agency_key(dateline["name"]))
        if credited and credited not in found:
            found.append(credited)
    return tuple(found)


# A paragraph opening with a parenthesis ("( أردو بوینت نتورك ۔ / سبوتنيك - 07 ديسمبر 2021ء)")
# is a dateline when the parenthesis holds an agency or a date.
_LEADING_PARENTHESIS = re.compile(r"^\(([^()\n]{1,160})\)\s*(?:[-–—:]\s*)?")


@dataclass(frozen=True, slots=True)
class Dateline:
    end: int  # characters of the line the dateline covers (parenthesis and following spaces)
    agencies: tuple[str, ...]
    published: FoundDate | None


def leading_dateline(line: str) -> Dateline | None:
    """A dateline parenthesis opening ``line`` (which must be followed by prose)."""
    match = _LEADING_PARENTHESIS.match(line)
    if match is None or match.end() >= len(line):
        return None
    inside = fold(match.group(1))
    # An agency counts only as a whole part of the parenthesis ("… / سبوتنيك - …"), so
    # "(Spa town of Bath)" is no dateline.
    agencies: list[str] = []
    for chunk in _CREDIT_SPLIT.split(inside):
        agency = AGENCIES.get(agency_key(_CREDIT_STRIP.sub("", chunk)))
        if agency and agency not in agencies:
            agencies.append(agency)
    dates = find_dates(inside)
    if not agencies and not dates:
        return None
    return Dateline(match.end(), tuple(agencies), dates[0] if dates else None)
