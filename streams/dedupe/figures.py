"""Figures of an event with what they count: "800 مليون دولار" → ("دولار", 8e8).

Reports of different events on one topic often differ only in their figures: aid
packages of different sums, refugee tallies of different days. Two articles that both
give a figure of one kind (dollars, refugees, soldiers) and share no value of it report
different events (stories.py); an article that gives none says nothing either way.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Collection, Hashable, Iterator, Mapping, Sequence
from typing import TypeVar

from streams.dedupe.ordinals import edition_facts
from streams.dedupe.quakes import quake_facts
from streams.dedupe.year_numbers import YEAR_DIGITS
from streams.textnorm import fold

# Every figure starts a run of digits and separators: the text is scanned for these runs
# once (``digit_runs``), and both the figures here and the story terms of figures
# (shingles.number_terms) are read from them (a scan costs as much as the rest together).
# Digits of any script, "." "," and their Arabic forms (a simple scan: a look-behind made
# it 5x slower), and the Arabic comma «،» before one to three digits: Maghreb sites write
# decimals and thousands with it («8،9 ٪», «26،538 نازحا»; the thirty-second held-out copy
# set, docs/dedupe.md), while «2011،2012» are two years.
_DIGIT_RUN = re.compile(r"\d(?:[\d.,\u066b\u066c]|\u060c(?=\d{1,3}(?!\d)))*")
# a number's separators as float() reads them: grouping marks dropped, the decimal mark "."
NUMBER_SEPARATORS = str.maketrans({",": None, "\u066c": None, "\u060c": None, "\u066b": "."})


def digit_runs(text: str) -> list[re.Match[str]]:
    """The runs of digits and separators in ``text``, in order."""
    return list(_DIGIT_RUN.finditer(text))


# a number in any digits (thousands grouped by a comma), an optional magnitude word, then
# the word that says what is counted; a few words may sit between (e.g. "من"). Agencies
# such as SPA bracket the number: "(15) مليون دولار" is 15 million, not one; WAM sets it
# between slashes: "الكشف عن/ 873 / حالة".
# (no look-behind in the pattern: ``number_matches`` checks the character before)
DIGIT_FIGURE = re.compile(
    r"(\d+(?:[,\u066c\u060c]\d{3})*(?:[.\u066b]\d+)?)(?:[)\]]|\s*/(?!\s*\d))?\s*"
    r"(ألف|آلاف|الف|الاف|مليون|ملايين|مليار|مليارات|بليون|thousand|million|billion)?\s*"
    # a unit of two letters (طن), or square metres (م2, م²: an area burnt, a plot), or a word
    # of three letters or more, marks inside it read with it («مشرّعاً», not «مشر»)
    r"(?:من\s+)?(طن(?!\w)|م[2²](?!\w)|[^\W\d_](?:[\u064b-\u0652\u0670]*[^\W\d_]){2,})"
)
_MAGNITUDE = {
    "ألف": 1e3,
    "آلاف": 1e3,
    "الف": 1e3,
    "الاف": 1e3,
    "thousand": 1e3,
    "مليون": 1e6,
    "ملايين": 1e6,
    "million": 1e6,
    "مليار": 1e9,
    "مليارات": 1e9,
    "بليون": 1e9,
    "billion": 1e9,
}
# words after a number that name a time, a rank or a measure of the text itself, not what
# an event counts: a date ("24 فبراير", "15 شتنبر"), a time of day ("12 ظهرا"), a duration;
# a percentage is read apart, however it is written (``_percent_facts``)
_NOT_KINDS = frozenset(
    fold(word)
    for word in (
        "يناير فبراير مارس ابريل أبريل مايو يونيو يوليو أغسطس اغسطس سبتمبر أكتوبر اكتوبر نوفمبر ديسمبر "
        "كانون شباط آذار نيسان أيار حزيران تموز آب أيلول تشرين فيفري جانفي جويلية أوت "
        "ماي يوليوز غشت شتنبر نونبر دجنبر جوان أفريل افريل "
        "صباحا صباح ظهرا ظهر عصرا مساء مساءا ليلا فجرا بتوقيت توقيت "
        "مائة مئة بالمائة بالمئة بالمية المائة المئة percent "
        "ساعة ساعات دقيقة دقائق يوما أيام ايام يوم أسبوع أسابيع شهر أشهر شهرا عاما أعوام سنة سنوات عام "
        "january february march april may june july august september october november december "
        "hours hour minutes days day weeks months years year and the ونصف وربع "
        # words that join a number to the next, not what it counts ("من عام 1353 حتى 1391": a
        # copy that wrote the two years the other way round read as another figure, copy set 51)
        "حتى وحتى إلى الى والى وإلى منذ بين قبل بعد مقابل عند نحو حوالي لكن التي الذي ثم"
    ).split()
)
# Arabic-Indic and Persian digits to ASCII (str.translate), for figures and figure terms
ASCII_DIGITS = {code: str(code - base) for base in (0x0660, 0x06F0) for code in range(base, base + 10)}
# what may not stand right before a figure's number (part of a longer number or a code)
_NOT_BEFORE_NUMBER = re.compile(r"[\d.,\u066b\u066cA-Za-z]")
_WORD_CHAR = re.compile(r"\w")
_Kind = TypeVar("_Kind", bound=Hashable)


# counts of people are one kind however they are named (a tally says "people" in one
# report and "refugees" in the next)
_PEOPLE = frozenset(
    fold(word)
    # (a crash's count of passengers, an attack's of foreigners among the dead: updated
    # through the day, like a toll)
    for word in "شخص أشخاص اشخاص لاجئ لاجئا لاجئين لاجي نازح نازحا نازحين مواطن مواطنا مواطنين مدني مدنيا مدنيين "
    "راكب راكبا ركاب ركابا ركابها أجنبي أجنبيا أجانب افراد أفراد فردا "
    # (protesters killed and protesters injured: one word after the number, two tolls)
    "متظاهر متظاهرا متظاهرين محتج محتجا محتجين "
    "people persons refugees civilians passengers foreigners".split()
)


@functools.lru_cache(maxsize=8192)  # a few hundred unit words recur article after article
def unit_kind(word: str) -> str:
    """What the word after a number counts: one kind for every way of naming people,
    otherwise the word folded, less its article and accusative ending."""
    word = fold(word)
    if word in _PEOPLE:
        return "people"
    for prefix in ("وال", "بال", "ال", "لل"):
        if word.startswith(prefix) and len(word) - len(prefix) >= 3:
            word = word[len(prefix) :]
            break
    if len(word) >= 3 and word.endswith("ا"):  # accusative ending: جنديا, دولارا, شخصا, طنا
        word = word[:-1]
    return "people" if word in _PEOPLE else word


# Counts of the dead, injured or affected of one event ("76 killed", later "111", then
# "2200") are updated report after report through the day: below TALLY_AT, a count of
# people of one of these kinds is such a toll, and a toll that differs is not evidence
# of another event when the reports are close in time (stories.py says when). Counts in
# hundreds of thousands or millions are running tallies (refugees): those differ from
# one event to the next.
TOLL_KINDS = frozenset(
    unit_kind(word)
    for word in "شخص قتيل قتيلا قتلى مصاب مصابا مصابين جريح جرحى ضحية ضحايا جندي جنديا جنود آخرين آخرون "
    "وفاة حالة dead killed injured wounded".split()
)
TALLY_AT = 1e5


# Amounts written in words: "مليار دولار", "ملياري دولار", "ستة ملايين لاجئ". A magnitude
# word alone is one of it; a dual form two; a number word before a plural sets the count.
_NUMBER_WORDS = {
    "ثلاثة": 3, "ثلاث": 3, "أربعة": 4, "اربعة": 4, "أربع": 4, "اربع": 4, "خمسة": 5, "خمس": 5,
    "ستة": 6, "ست": 6, "سبعة": 7, "سبع": 7, "ثمانية": 8, "ثماني": 8, "تسعة": 9, "تسع": 9,
    "عشرة": 10, "عشر": 10, "عشرين": 20, "عشرون": 20, "ثلاثين": 30, "ثلاثون": 30,
    "أربعين": 40, "اربعين": 40, "خمسين": 50, "ستين": 60, "سبعين": 70, "ثمانين": 80, "تسعين": 90,
    "مئة": 100, "مائة": 100, "مئات": 100, "مئتي": 200, "مائتي": 200,
    "مئتان": 200, "مائتان": 200, "مئتين": 200, "مائتين": 200, "ثلاثمئة": 300, "ثلاثمائة": 300,
    "أربعمئة": 400, "أربعمائة": 400, "اربعمئة": 400, "اربعمائة": 400, "خمسمئة": 500, "خمسمائة": 500,
    "ستمئة": 600, "ستمائة": 600, "سبعمئة": 700, "سبعمائة": 700, "ثمانمئة": 800, "ثمانمائة": 800,
    "تسعمئة": 900, "تسعمائة": 900,
    "واحد": 1, "اثنين": 2, "اثنان": 2, "اثنتين": 2, "اثنتان": 2,
    "نصف": 0.5, "ربع": 0.25, "ثلث": 1 / 3, "بضعة": 3, "عدة": 3, "عشرات": 10,
}  # fmt: skip
_WORD_MAGNITUDES = {
    "ألف": 1e3, "الف": 1e3, "ألفا": 1e3, "آلاف": 1e3, "الاف": 1e3, "ألفين": 2e3, "ألفان": 2e3,
    "مليون": 1e6, "مليونا": 1e6, "ملايين": 1e6, "مليونين": 2e6, "مليونان": 2e6, "مليوني": 2e6,
    "مليار": 1e9, "مليارا": 1e9, "مليارات": 1e9, "مليارين": 2e9, "ملياران": 2e9, "ملياري": 2e9,
}  # fmt: skip
_WORD_FACT = re.compile(  # tried only where a magnitude word starts: ``_word_facts``
    r"("
    + "|".join(sorted(_WORD_MAGNITUDES, key=len, reverse=True))
    + r")(?!\w)\s+(?:من\s+)?([^\W\d_](?:[\u064b-\u0652\u0670]*[^\W\d_]){2,})"
)
# every magnitude word begins with one of these ("ألف" for "ألفين")
_WORD_MAGNITUDE_STARTS = tuple(
    word for word in _WORD_MAGNITUDES if not any(word != other and word.startswith(other) for other in _WORD_MAGNITUDES)
)


# A number that continues a compound ("مليونين و777 ألف 931 صوتا", "2 مليون و 438 ألف و 954"):
# the magnitude word of the part before it, perhaps with "و", right before the number.
_COMPOUND_BEFORE = re.compile(r"(?<!\w)(?:" + "|".join(sorted(_WORD_MAGNITUDES, key=len, reverse=True)) + r")\s*و?\s*$")
_MAGNITUDE_KINDS = frozenset(map(unit_kind, _WORD_MAGNITUDES))
_MAGNITUDE_WORDS = tuple(_WORD_MAGNITUDES)


def _compound_part(text: str, start: int) -> bool:
    """Whether the number at ``start`` continues a compound: a magnitude word (and "و")
    right before it. (A suffix test first: the pattern is searched only after one.)"""
    before = text[max(0, start - 16) : start].rstrip()
    if before.endswith("و"):
        before = before[:-1].rstrip()
    return before.endswith(_MAGNITUDE_WORDS) and _COMPOUND_BEFORE.search(text, max(0, start - 16), start) is not None


def _number_word(word: str | None) -> float | None:
    if not word:
        return None
    return _NUMBER_WORDS.get(word, _NUMBER_WORDS.get(word[1:]) if word.startswith("و") else None)


# A share in percent, one kind however it is written: "52.87%", "52,14 بالمئة", "49.4 في المئة".
# The shares a result gives (a winner's, a turnout) are the event's own; partial counts of
# one night move them by less than SHARE_POINTS (``conflicting``).
PERCENT = "percent"
SHARE_POINTS = 1.0
COPY_SHARE_POINTS = 0.05  # the same share rounded ("52.87 %", "52.9 %"), for the copy check
# The signs and words that mark a share: found with substring searches (a regex scan of the
# whole text cost more than the rest of the figures), a word only after "ب" or "في".
_PERCENT_SIGNS = ("%", "٪")
_PERCENT_WORDS = ("المائة", "المئة", "المية", "percent")
_PERCENT_WORD_BEFORE = re.compile(r"(?:ب|في\s+|)$")
_DECIMAL_COMMA = re.compile(r",(\d{1,2})$")  # "72,71 بالمائة": a comma before one or two digits


# The age at which the one a report is about died ("توفي عن عمر يناهز 88 عاما", "عن 95
# عاما"): two death notices of one template differ in the name and the age, and the age is
# no duration (``_NOT_KINDS``). Compared within SHARE_POINTS (a year: one report counts
# the birthday, another not). Other ages (a suspect's, a victim's) are not read: reports
# of one event may give several.
AGE = "age"
_AGE_BEFORE = re.compile(r"(?<!\w)عن\s+(?:عمر\s+)?(?:(?:ي?ناهز|ي?قارب)\s+)?$")
_AGE_AFTER = re.compile(r"\s*(?:عام[\u064bا]{0,2}|سنة|years)(?!\w)")


def _age_facts(text: str, runs: Sequence[re.Match[str]]) -> list[tuple[str, float]]:
    """The ages at death of ``text`` (see AGE): a number of years right after "عن"."""
    facts: list[tuple[str, float]] = []
    for run in runs:
        start, end = run.start(), run.end()
        if text.find("عن", max(0, start - 20), start) < 0 or not _AGE_AFTER.match(text, end):
            continue  # (a substring test first: most numbers are no age)
        if _AGE_BEFORE.search(text, max(0, start - 20), start) is None:
            continue
        digits = run.group().translate(ASCII_DIGITS)
        if digits.isdigit() and 0 < int(digits) < 130:
            facts.append((AGE, float(digits)))
    return facts


def _positions(text: str, needle: str) -> Iterator[int]:
    """Where ``needle`` occurs in ``text`` (overlaps included), by substring search."""
    at = text.find(needle)
    while at >= 0:
        yield at
        at = text.find(needle, at + 1)


def _percent_marks(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is a sign) of each mark of a share in ``text``."""
    marks = [(at, at + 1, True) for sign in _PERCENT_SIGNS for at in _positions(text, sign)]
    for word in _PERCENT_WORDS:
        for at in _positions(text, word):
            before = _PERCENT_WORD_BEFORE.search(text, max(0, at - 6), at)
            if before is not None and (before.group() or word == "percent"):
                marks.append((before.start(), at + len(word), False))
    marks.sort()
    return marks


def _percent_facts(text: str, runs: Sequence[re.Match[str]]) -> tuple[list[tuple[str, float]], set[int]]:
    """The shares in percent of ``text``, and where their digit runs start (no other
    figure is read from those): digits right before a mark, or right after a sign (as
    right-to-left text may put it: "٪55")."""
    facts: list[tuple[str, float]] = []
    starts: set[int] = set()
    marks = _percent_marks(text)
    if not marks:
        return facts, starts  # (most texts: no share to look for)
    by_end = {run.end(): run for run in runs}
    by_start = {run.start(): run for run in runs}
    for at, end, sign in marks:
        before = len(text[:at].rstrip(" "))  # "52.87%", "52.87 %", "2,6  %"
        run = by_end.get(before)
        if run is None and sign:
            run = by_start.get(end) or by_start.get(end + 1)  # "٪55", "% 55"
        if run is None:
            continue
        start = run.start()
        if start in starts or (start and _NOT_BEFORE_NUMBER.match(text, start - 1)):
            continue
        digits = run.group().translate(ASCII_DIGITS).rstrip(".,\u066b\u066c").replace("\u066b", ".")
        digits = _DECIMAL_COMMA.sub(r".\1", digits.replace("\u066c", ",").replace("\u060c", ",")).replace(",", "")
        tenths = by_end.get(start - 1) if start > 1 and text[start - 1] == "ر" else None
        if tenths is not None and digits.isdigit() and tenths.group().isdigit():
            # «3ر5 بالمائة» is 5.3 %: agencies type the decimal with «ر», in display order
            # (the thirtieth held-out copy set; quakes.py reads magnitudes so)
            digits = f"{digits}.{tenths.group().translate(ASCII_DIGITS)}"
            start = tenths.start()
        try:
            value = float(digits)
        except ValueError:
            continue
        if 0 < value <= 100:
            facts.append((PERCENT, value))
            starts.add(start)
    return facts, starts


def figure_facts(text: str, runs: Sequence[re.Match[str]] | None = None) -> list[tuple[str, float]]:
    """(kind, value) for each figure of ``text`` that counts something: at least 10 of it,
    or with a magnitude word, the edition or anniversary it names (ordinals.py) and a
    quake's magnitude (quakes.py); years, dates, times of day and durations are left out,
    and so are compound numbers (not read, rather than misread: "مليونان و777 ألف صوت" is
    no count of 777,000 votes). ``runs`` are ``digit_runs(text)`` when the caller has them
    already."""
    runs = digit_runs(text) if runs is None else runs
    percents, shares = _percent_facts(text, runs)
    editions, edition_digits = edition_facts(text)
    # (an age, the edition and a quake's magnitude first: a stored profile keeps a few
    # figures, and these tell one event of a kind from the next)
    facts = _age_facts(text, runs) + editions + quake_facts(text) + percents
    for match in number_matches(text, runs):
        start = match.start()
        if start in shares or start in edition_digits:
            continue  # "٪55 من الأصوات", "النسخة 111 من الطواف": the share, the edition, read above
        if match.group(2) is None and match.start(3) == match.end(1):
            continue  # a word glued to the digits ("موقع 24كشفت"): a name, not a count
        if start > 1 and text[start - 1] == ":" and text[start - 2].isdigit():
            continue  # the minutes of a clock time ("1:30 بعد منتصف الليل")
        if start and _compound_part(text, start):
            continue  # the next part of a compound number (see _COMPOUND_BEFORE)
        if text[max(0, start - 12) : start].rstrip().endswith("دقيقة"):
            continue  # a match's minute ("في الدقيقة 87 من عمر المباراة"), no count
        fact = _number_fact(*match.groups())
        if fact is not None:
            facts.append(fact)
    for match in _word_facts(text):
        magnitude, word = match.groups()
        words = text[max(0, match.start() - 40) : match.start()].split()[-2:]
        before, previous = ([None, None] + words)[-2:]
        if previous and (previous.rstrip(")]")[-1:].isdigit() or previous.startswith(("و", "ون"))):
            continue  # "5.5 مليون" is read with its digits above; "ونصف مليار" ends a compound
        count = _number_word(previous)
        if count is not None and _number_word(before) is not None:
            continue  # a compound number ("خمسة وعشرين مليون"): not read, rather than misread
        if _number_word(word) is not None:
            continue  # a compound goes on after it: "عام ألفين وعشرين" is a year, no 2,000 of anything
        kind = unit_kind(word)
        if kind not in _NOT_KINDS and kind not in _MAGNITUDE:
            facts.append((kind, _WORD_MAGNITUDES[magnitude] * (count or 1)))
    return facts


AREA_UNITS = frozenset(("م2", "م²"))  # square metres: "2000 م2" is no year ("2000 م" is; years.py)


@functools.lru_cache(maxsize=8192)  # figures and their units recur from article to article
def _number_fact(number: str, magnitude: str | None, word: str) -> tuple[str, float] | None:
    """The fact of a figure written in digits (a match of DIGIT_FIGURE), or None."""
    # only the number has digits to translate: the text's other characters, and so the
    # matches, are the same in either digits
    number = number.translate(ASCII_DIGITS)
    kind = unit_kind(word)
    if (
        kind in _NOT_KINDS
        or kind in _MAGNITUDE_KINDS
        or (not magnitude and kind not in AREA_UNITS and YEAR_DIGITS.match(number))
    ):
        return None  # (a magnitude word as the unit: a compound number, "438 ألف و 954")
    value = float(number.translate(NUMBER_SEPARATORS))
    if magnitude:
        value *= _MAGNITUDE[magnitude]
    elif value < 10:
        return None
    return kind, value


def number_matches(text: str, runs: Sequence[re.Match[str]]) -> Iterator[re.Match[str]]:
    """``DIGIT_FIGURE.finditer(text)`` as if the pattern began with a negative look-behind of
    ``_NOT_BEFORE_NUMBER``, tried only where a digit run starts: a match starts with a
    digit, and one not after a digit or a separator starts a run (inside a run the
    character before is one of those, which the look-behind refuses)."""
    end = 0
    for run in runs:
        start = run.start()
        if start < end or (start and _NOT_BEFORE_NUMBER.match(text, start - 1)):
            continue
        match = DIGIT_FIGURE.match(text, start)
        if match is not None:
            yield match
            end = match.end()


def _word_facts(text: str) -> Iterator[re.Match[str]]:
    """``_WORD_FACT.finditer(text)`` not after a word character, tried only where a
    magnitude word starts: a few substring searches find those far faster than a pattern
    scan that tries every letter."""
    starts = sorted(at for word in _WORD_MAGNITUDE_STARTS for at in _positions(text, word))
    end = 0
    for start in starts:
        if start < end or (start and _WORD_CHAR.match(text, start - 1)):
            continue
        match = _WORD_FACT.match(text, start)
        if match is not None:
            yield match
            end = match.end()


def _close(values: set[float], other: set[float], points: float | None = None, apart: float | None = None) -> bool:
    if apart is not None:  # within ``apart``, however large the values
        return any(abs(a - b) <= apart for a in values for b in other)
    if points is not None:  # shares: within ``points``, and within 5 % of the larger
        return any(abs(a - b) <= min(points, 0.05 * max(a, b)) for a in values for b in other)
    return any(abs(a - b) <= 0.01 * max(a, b) for a in values for b in other)


def _within(values: set[float], other: set[float], points: float | None = None, apart: float | None = None) -> bool:
    """Whether every value of the smaller set is close to one of the other's."""
    fewer, more = (values, other) if len(values) <= len(other) else (other, values)
    return all(_close({value}, more, points, apart) for value in fewer)


def conflicting(
    mine: Mapping[_Kind, set[float]],
    theirs: Mapping[_Kind, set[float]],
    tolls: Collection[_Kind] = (),
    by_points: Collection[_Kind] = (),
    *,
    every_value: bool = False,
    exact: Collection[_Kind] = (),
    apart: Mapping[_Kind, float] | None = None,
    decisive: Collection[_Kind] = (),
) -> bool:
    """Whether both give figures of some kinds without a value in common (within 1 %),
    and agree on fewer kinds than they differ on: a kind two reports of one event agree
    on ("2750 tonnes") outweighs one they differ on (but see ``every_value``). Of the
    ``tolls`` kinds (TOLL_KINDS, hashed as the caller keys them), counts below TALLY_AT
    that differ are left out: the caller passes them when the two reports are close
    enough in time for a toll to have been updated.
    The ``by_points`` kinds (shares in percent, ages) agree within SHARE_POINTS, and the
    ``exact`` kinds (editions: the 111th and the 112th are 0.9 % apart) only when equal,
    and the kinds ``apart`` maps within that difference (a quake's magnitude: quakes.py),
    whose agreement outweighs nothing: a report recalls an earlier quake's magnitude.
    The ``decisive`` kinds (a decision's move: directions.py; the day a warning lasts until:
    weekdays.py) conflict whenever they share no value, whatever the others agree on, and
    their agreement outweighs nothing.

    With ``every_value`` (the copy check) a kind agrees only when all the values of the
    one that gives fewer are among the other's: a copy repeats its figures (a paragraph
    dropped drops some), while a bulletin filled in for the next meeting shares only the
    rate that the last one set ("from 4.40 % to 4.15 %", then "from 4.15 % to 3.90 %").
    Two sets of values of one kind, each of several, none of them in common, are another
    filling even of a toll: an update changes a figure, not all of them (a health
    ministry's daily bulletins: cases, recoveries and deaths, all «حالة»). And a kind
    they differ on is not outweighed by one they agree on: a template's fixed figure
    (the "50 basis points" of every rate statement) is in every filling."""
    agrees = _within if every_value else _close
    differ = agree = 0
    for kind, values in mine.items():
        other = theirs.get(kind)
        if other:
            if kind in decisive:  # (agreeing on one of three moves tells little)
                if not _close(values, other, 0.0):
                    return True
                continue
            if kind in by_points:  # (a copy keeps its shares: only a rounding apart)
                points: float | None = COPY_SHARE_POINTS if every_value else SHARE_POINTS
            else:
                points = 0.0 if kind in exact else None
            tolerance = apart.get(kind) if apart else None
            if agrees(values, other, points, tolerance):
                agree += tolerance is None  # (a magnitude agreed on may be an earlier quake's)
            elif (
                every_value
                and len(values) > 1
                and len(other) > 1
                and (kind not in tolls or not _close(values, other, points))
            ):
                return True  # another filling
            elif not (kind in tolls and max(values) < TALLY_AT and max(other) < TALLY_AT):
                differ += 1
    if every_value:  # the copy check: a tie is another filling
        return differ > 0 and differ >= agree
    return differ > agree
