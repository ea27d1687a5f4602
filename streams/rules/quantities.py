"""Quantities in news text: "أكثر من 100 ألف جندي", "1.5 مليون دولار", "$60m", "100,000 troops".

The rule engine's ``quantity: {unit, min, max}`` leaf calls :func:`find_quantities`, which
returns every number that is attached to a unit class, with its value and its span in the
*original* text (qualifier + number + unit), so evidence can quote and highlight it.

How it works, in one pass over the folded text (``streams.textnorm``):

1. digits and number words are located with one regex and one Aho-Corasick pass, and only
   the stretches around them are split into tokens (digit groups, words, single symbols);
2. at each token that can begin a number (digits, an Arabic or English number word, a vague
   amount such as عشرات / thousands), a small state machine reads the longest well-formed
   number phrase: compounds joined by و / and (مئة وخمسة وسبعين ألفاً), scale words and
   their duals and plurals (ألف ألفا ألفي آلاف مليون مليوني ملايين مليار ...), digits with
   thousands separators or decimals (100,000 / 100.000 / ١٫٥ مليون), halves (مليون ونصف);
3. the phrase only becomes a quantity when a unit word of a class follows it directly, or
   through من / of (مئة ألف من الجنود), or a currency prefix precedes it ($60 million);
4. a qualifier before it (أكثر من, نحو, about, more than ...) is included in the span.

Traps handled on purpose: a year (عام 2014, ديسمبر 2021), an article or clause number
(المادة 5), a time or date (15:00, 7/12), a model designation (F-16) and a percentage never
become quantities; "100 ألف دولار" is usd, never troops; a unit word without a number is
nothing.

The tokenizer and the phrase reader are hand-written rather than one large regular
expression: Arabic number grammar (duals, construct states, و-compounds whose parts come
units-before-tens) needs arithmetic and look-behind for qualifiers, which a regex cannot do,
and a per-token dictionary lookup keeps the cost linear in the text length.
"""

from __future__ import annotations

import re
from bisect import bisect_right
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from decimal import Decimal, DecimalException
from functools import lru_cache
from pathlib import Path
from types import MappingProxyType
from typing import Any

import ahocorasick

from kernel.errors import ConfigError
from streams.textnorm import NormalizedText, fold

_ASCII_DIGITS = frozenset("0123456789")
_DIGIT_TOKEN = re.compile(r"[0-9][0-9.,]*")
# No count of troops, tanks or dollars in the news needs more (10^15 is a quadrillion).
MAX_DIGITS = 16
MAX_VALUE = 1e15

__all__ = [
    "QuantityMention",
    "UnitClasses",
    "DEFAULT_UNITS_PATH",
    "load_unit_classes",
    "default_unit_classes",
    "find_quantities",
    "find_quantities_normalized",
]

DEFAULT_UNITS_PATH = Path(__file__).with_name("units.yaml")


@dataclass(frozen=True, slots=True)
class QuantityMention:
    """A number attached to a unit class.

    ``start``/``end`` index the original text; ``text`` is ``original[start:end]`` and covers
    the qualifier, the number and the unit ("أكثر من 100 ألف جندي"). ``lower_bound`` is true
    when the real amount is at least ``value`` ("more than", "عشرات الآلاف" ≥ 20,000).
    ``qualifier`` is the qualifier as written ("أكثر من", "نحو", "about") or None."""

    value: float
    unit: str
    start: int
    end: int
    text: str
    lower_bound: bool
    qualifier: str | None


# --------------------------------------------------------------------------------------
# Tokens
# --------------------------------------------------------------------------------------

# Digit groups with inner separators, words (letters only), or any other single symbol.
_TOKEN_RE = re.compile(r"[0-9]+(?:[.,][0-9]+)*|[^\W\d_]+|[^\w\s]")
_LATIN_WORD_RE = re.compile(r"[a-z]+")

# Single-letter proclitics that may stick to the first word of a number or qualifier
# ("وخمسين", "بنحو", "لأكثر"). و/ف also join the parts of a compound number.
_PROCLITICS = ("و", "ف", "ب", "ل", "ك", "وب", "فب", "ول", "فل", "وك")
_ARTICLE = "ال"


# --------------------------------------------------------------------------------------
# Number lexicon
# --------------------------------------------------------------------------------------


class _K:
    """Kinds of number words (small ints: compared in the hot loop)."""

    UNIT = 1  # 1-9 (واحد, ثلاثة, five)
    TEEN_ONLY = 2  # أحد / إحدى: only in أحد عشر, إحدى عشرة
    TEN = 3  # عشر / عشرة: 10, or the second word of a teen (خمسة عشر)
    TEEN = 4  # eleven..nineteen, ten (English)
    TENS = 5  # عشرون ثلاثين ... twenty thirty ...
    HUNDRED = 6  # مئة (100, or ×100 after a unit: ثلاث مئة), مئتان, ثلاثمائة
    HUNDRED_EN = 7  # hundred (multiplies: one hundred, a hundred)
    SCALE = 8  # ألف مليون مليار thousand million
    SCALE_OR_DUAL = 9  # ألفا مليونا: ×1000 after a number (خمسون ألفاً), else dual 2000
    SCALE_DUAL = 10  # ألفي ألفين مليوني: 2×scale
    SCALE_PLURAL = 11  # آلاف ملايين thousands: ×scale after a number, else vague 2×scale
    SCALE_PLURAL_DEF = 12  # الآلاف الملايين: only after a vague amount (عشرات الآلاف)
    SCALE_ATTACHED = 13  # k m bn glued to digits ($60m, 1.5bn)
    VAGUE = 14  # عشرات مئات بضعة dozens hundreds several: a lower bound
    HALF = 15  # نصف ربع half: before a scale, or "ونصف" after one
    ARTICLE_EN = 16  # a / an before hundred or a scale word


@dataclass(frozen=True, slots=True)
class _Word:
    kind: int
    value: Decimal
    clitic: int = 0  # length of a proclitic glued in front ("وخمسين" → 1)
    joined: bool = False  # the proclitic contains و/ف: joins this part to the previous one
    latin: bool = False


def _arabic_lexicon() -> dict[str, tuple[int, int | str]]:
    words: dict[str, tuple[int, int | str]] = {}

    def add(kind: int, value: int | str, *forms: str) -> None:
        for form in forms:
            words[fold(form)] = (kind, value)

    add(_K.UNIT, 1, "واحد", "واحدة")
    add(_K.TEEN_ONLY, 1, "أحد", "إحدى")
    add(_K.UNIT, 2, "اثنان", "اثنين", "اثنتان", "اثنتين", "اثنا", "اثني", "اثنتا", "اثنتي")
    roots = {3: "ثلاث", 4: "أربع", 5: "خمس", 6: "ست", 7: "سبع", 8: "ثمان", 9: "تسع"}
    for value, root in roots.items():
        add(_K.UNIT, value, root, root + "ة")
    add(_K.UNIT, 8, "ثماني", "ثمانية")
    add(_K.TEN, 10, "عشر", "عشرة")
    tens = {20: "عشر", 30: "ثلاث", 40: "أربع", 50: "خمس", 60: "ست", 70: "سبع", 80: "ثمان", 90: "تسع"}
    for value, root in tens.items():
        add(_K.TENS, value, root + "ون", root + "ين")
    add(_K.HUNDRED, 100, "مئة", "مائة", "مية", "ماية")
    add(_K.HUNDRED, 200, "مئتان", "مائتان", "مئتين", "مائتين", "مئتا", "مائتا", "مئتي", "مائتي")
    for value, root in roots.items():
        if value >= 3:
            add(_K.HUNDRED, value * 100, root + "مئة", root + "مائة")
    add(_K.HUNDRED, 800, "ثمانيمئة", "ثمانيمائة")
    scales = {
        1000: ("ألف", "ألفا", ("ألفي", "ألفين", "ألفان"), ("آلاف", "ألوف"), ("الآلاف", "الألوف")),
        10**6: ("مليون", "مليونا", ("مليوني", "مليونين", "مليونان"), ("ملايين",), ("الملايين",)),
        10**9: ("مليار", "مليارا", ("ملياري", "مليارين", "ملياران"), ("مليارات",), ("المليارات",)),
        10**12: ("تريليون", "تريليونا", ("تريليوني", "تريليونين", "تريليونان"), ("تريليونات",), ("التريليونات",)),
    }
    for value, (single, single_or_dual, duals, plurals, definite) in scales.items():
        add(_K.SCALE, value, single)
        add(_K.SCALE_OR_DUAL, value, single_or_dual)
        add(_K.SCALE_DUAL, value, *duals)
        add(_K.SCALE_PLURAL, value, *plurals)
        add(_K.SCALE_PLURAL_DEF, value, *definite)
    add(_K.SCALE, 10**9, "بليون")
    add(_K.SCALE_PLURAL, 10**9, "بلايين")
    add(_K.SCALE, 10**12, "ترليون")
    add(_K.VAGUE, 20, "عشرات")
    add(_K.VAGUE, 200, "مئات", "مئآت")
    add(_K.VAGUE, 3, "بضع", "بضعة", "عدة")
    add(_K.HALF, "0.5", "نصف")
    add(_K.HALF, "0.25", "ربع")
    return words


def _english_lexicon() -> dict[str, tuple[int, int | str]]:
    words: dict[str, tuple[int, int | str]] = {}
    for value, word in enumerate("one two three four five six seven eight nine".split(), 1):
        words[word] = (_K.UNIT, value)
    for value, word in enumerate(
        "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(), 10
    ):
        words[word] = (_K.TEEN, value)
    for value, word in zip(range(20, 100, 10), "twenty thirty forty fifty sixty seventy eighty ninety".split()):
        words[word] = (_K.TENS, value)
    words["hundred"] = (_K.HUNDRED_EN, 100)
    for value, word in ((1000, "thousand"), (10**6, "million"), (10**9, "billion"), (10**12, "trillion")):
        words[word] = (_K.SCALE, value)
        words[word + "s"] = (_K.SCALE_PLURAL, value)
    for word, value in (
        ("k", 1000),
        ("m", 10**6),
        ("mn", 10**6),
        ("mln", 10**6),
        ("bn", 10**9),
        ("b", 10**9),
        ("tn", 10**12),
    ):
        words[word] = (_K.SCALE_ATTACHED, value)
    for word, value in (("tens", 20), ("dozens", 24), ("scores", 40), ("hundreds", 200), ("several", 3)):
        words[word] = (_K.VAGUE, value)
    words["half"] = (_K.HALF, "0.5")
    words["a"] = (_K.ARTICLE_EN, 1)
    words["an"] = (_K.ARTICLE_EN, 1)
    return words


# Short words that would turn into other words with a proclitic (ل + ست = "لست", "I am not").
_NO_CLITIC = {fold("ست"), fold("عشر")}


def _build_lexicon() -> dict[str, _Word]:
    lexicon: dict[str, _Word] = {}
    for form, (kind, value) in _english_lexicon().items():
        lexicon[form] = _Word(kind, Decimal(value), latin=True)
    arabic = _arabic_lexicon()
    for form, (kind, value) in arabic.items():
        lexicon[form] = _Word(kind, Decimal(value))
    for form, (kind, value) in arabic.items():
        if form in _NO_CLITIC or kind == _K.SCALE_PLURAL_DEF:
            continue
        for clitic in _PROCLITICS:
            variant = clitic + form
            if variant not in lexicon:  # a plain word always wins over a clitic reading
                lexicon[variant] = _Word(kind, Decimal(value), len(clitic), clitic[0] == "و")
    return lexicon


_LEXICON: dict[str, _Word] = _build_lexicon()
_SCALE_KINDS = frozenset(
    {_K.SCALE, _K.SCALE_OR_DUAL, _K.SCALE_DUAL, _K.SCALE_PLURAL, _K.SCALE_PLURAL_DEF, _K.SCALE_ATTACHED}
)
_JOINERS = frozenset({"و", "and", "-"})
_FATHATAN = "\u064b"


# --------------------------------------------------------------------------------------
# Context words: qualifiers, "من"/"of", and what rules a number out
# --------------------------------------------------------------------------------------

_LOWER, _ABOUT, _LESS, _UP_TO = "lower", "about", "less", "up_to"

_QUALIFIERS_BEFORE: tuple[tuple[str, str], ...] = (
    ("أكثر من", _LOWER),
    ("ما يزيد على", _LOWER),
    ("ما يزيد عن", _LOWER),
    ("يزيد على", _LOWER),
    ("يزيد عن", _LOWER),
    ("ما يربو على", _LOWER),
    ("يربو على", _LOWER),
    ("ما لا يقل عن", _LOWER),
    ("لا يقل عن", _LOWER),
    ("أزيد من", _LOWER),
    ("ما فوق", _LOWER),
    ("نحو", _ABOUT),
    ("قرابة", _ABOUT),
    ("ما يقارب", _ABOUT),
    ("يقارب", _ABOUT),
    ("ما يقرب من", _ABOUT),
    ("حوالي", _ABOUT),
    ("زهاء", _ABOUT),
    ("ما يناهز", _ABOUT),
    ("يناهز", _ABOUT),
    ("تقريبا", _ABOUT),
    ("أقل من", _LESS),
    ("ما يقل عن", _LESS),
    ("ما دون", _LESS),
    ("ما يصل إلى", _UP_TO),
    ("يصل إلى", _UP_TO),
    ("حتى", _UP_TO),
    ("لا يتجاوز", _UP_TO),
    ("more than", _LOWER),
    ("over", _LOWER),
    ("at least", _LOWER),
    ("upwards of", _LOWER),
    ("in excess of", _LOWER),
    ("no fewer than", _LOWER),
    ("no less than", _LOWER),
    ("about", _ABOUT),
    ("some", _ABOUT),
    ("around", _ABOUT),
    ("approximately", _ABOUT),
    ("roughly", _ABOUT),
    ("nearly", _ABOUT),
    ("almost", _ABOUT),
    ("close to", _ABOUT),
    ("an estimated", _ABOUT),
    ("estimated", _ABOUT),
    ("less than", _LESS),
    ("fewer than", _LESS),
    ("under", _LESS),
    ("below", _LESS),
    ("up to", _UP_TO),
    ("as many as", _UP_TO),
)
_QUALIFIERS_AFTER: tuple[tuple[str, str], ...] = (
    ("على الأقل", _LOWER),
    ("أو أكثر", _LOWER),
    ("تقريبا", _ABOUT),
    ("at least", _LOWER),
    ("or more", _LOWER),
)

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
_MONTHS = frozenset(
    fold(w)
    for w in (
        "يناير",
        "فبراير",
        "مارس",
        "أبريل",
        "إبريل",
        "ابريل",
        "مايو",
        "يونيو",
        "يوليو",
        "أغسطس",
        "سبتمبر",
        "أكتوبر",
        "نوفمبر",
        "ديسمبر",
        "كانون",
        "شباط",
        "آذار",
        "نيسان",
        "أيار",
        "حزيران",
        "تموز",
        "آب",
        "أيلول",
        "تشرين",
        "جانفي",
        "فيفري",
        "أفريل",
        "ماي",
        "جوان",
        "جويلية",
        "أوت",
        "january",
        "february",
        "march",
        "april",
        "may",
        "june",
        "july",
        "august",
        "september",
        "october",
        "november",
        "december",
        "jan",
        "feb",
        "mar",
        "apr",
        "jun",
        "jul",
        "aug",
        "sep",
        "sept",
        "oct",
        "nov",
        "dec",
    )
)
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

_THROUGH = frozenset({"من", "of"})
_ENGLISH_DETERMINERS = frozenset({"the", "its", "their", "his", "her", "our", "these", "those"})
# English words that may not stand between a number and its unit ("100,000 Russian troops"
# is fine; "50 percent of troops" and "2 days and troops" are not).
_ENGLISH_STOP = frozenset(
    """
    a an and or of the to in on at for by with from per percent than were was are is be been
    have has had that which who this these those not no but as into over under about after
    before since until while during between among against their its his her our your my
    they them he she it we you i
""".split()
)
_MAX_ENGLISH_MODIFIERS = 2


def _phrase_index(
    phrases: Iterable[tuple[str, str]],
) -> dict[str, tuple[tuple[tuple[str, ...], str, int], ...]]:
    """Qualifier phrases keyed by their last folded token (for looking behind a number).

    The first token may carry a proclitic ("بنحو", "وأكثر من"); the int is its length."""
    by_last: dict[str, list[tuple[tuple[str, ...], str, int]]] = {}
    for phrase, kind in phrases:
        tokens = tuple(_TOKEN_RE.findall(fold(phrase)))
        variants = [(tokens, 0)]
        if not _LATIN_WORD_RE.fullmatch(tokens[0]):
            variants += [((clitic + tokens[0],) + tokens[1:], len(clitic)) for clitic in _PROCLITICS]
        for variant, clitic_len in variants:
            by_last.setdefault(variant[-1], []).append((variant, kind, clitic_len))
    return {last: tuple(sorted(items, key=lambda item: -len(item[0]))) for last, items in by_last.items()}


_QUALIFIERS_BY_LAST = _phrase_index(_QUALIFIERS_BEFORE)
_QUALIFIERS_AFTER_TOKENS: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    (tuple(_TOKEN_RE.findall(fold(phrase))), kind) for phrase, kind in _QUALIFIERS_AFTER
)


# --------------------------------------------------------------------------------------
# Unit classes
# --------------------------------------------------------------------------------------

_UNIT_ID_RE = re.compile(r"[a-z][a-z0-9_]{0,31}")
_ARABIC_PLURAL_SUFFIXES = ("ون", "ين", "ان")
_ARABIC_PRONOUNS = ("ه", "ها", "هم", "هما", "كم", "كن", "نا", "ي")


def _arabic_forms(word: str) -> list[tuple[str, int]]:
    """Derived forms of a folded Arabic word, with a rank (0 listed, 1 inflected, 2 +pronoun).

    Tanween (جنديًا → جنديا), sound plurals and duals (عسكريون عسكريين, دبابة → دبابات
    دبابتين) and attached pronouns (جنوده, قواتها, دبابته)."""
    forms = [(word, 0), (word + "ا", 1)]
    if word.endswith("ه"):  # ta marbuta, folded
        stem = word[:-1]
        inflected = [stem + "ات", stem + "تان", stem + "تين"]
        forms += [(form, 1) for form in inflected]
        forms += [(stem + "ت" + pronoun, 2) for pronoun in _ARABIC_PRONOUNS]
        forms += [(stem + "ات" + pronoun, 2) for pronoun in _ARABIC_PRONOUNS]
    else:
        inflected = [word + suffix for suffix in _ARABIC_PLURAL_SUFFIXES]
        forms += [(form, 1) for form in inflected]
        forms += [(word + pronoun, 2) for pronoun in _ARABIC_PRONOUNS]
        # a sound plural or dual drops its ن before a pronoun: عسكرييه, مقاتليهم
        forms += [(word + "ي" + pronoun, 2) for pronoun in _ARABIC_PRONOUNS[:5]]
    return forms


def _english_forms(word: str) -> list[tuple[str, int]]:
    forms = [(word, 0), (word + "s", 1)]
    if word.endswith(("s", "x", "ch", "sh")):
        forms.append((word + "es", 1))
    return forms


@dataclass(frozen=True, slots=True)
class _UnitEntry:
    unit: str
    rest: tuple[str, ...]  # the following tokens of a multi-word entry
    rank: int


@dataclass(frozen=True)
class UnitClasses:
    """Unit classes: unit id → the words that name it (as written in the config), plus the
    symbols that may stand before a number for it ($). Build with :func:`load_unit_classes`
    or directly from mappings (tests, other config sources)."""

    words: Mapping[str, tuple[str, ...]] = field(hash=False)
    prefixes: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    source: str = "<memory>"
    # first folded token of every derived form → candidate entries, longest first
    _by_first: Mapping[str, tuple[_UnitEntry, ...]] = field(init=False, repr=False, compare=False, hash=False)
    _prefix_phrases: tuple[tuple[tuple[str, ...], str], ...] = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        words = MappingProxyType({unit: tuple(ws) for unit, ws in self.words.items()})
        prefixes = MappingProxyType({unit: tuple(ps) for unit, ps in self.prefixes.items()})
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "prefixes", prefixes)
        for unit in prefixes:
            if unit not in words:
                raise ConfigError(f"prefixes given for unknown unit class {unit!r}", path=self.source)
        best: dict[tuple[str, ...], _UnitEntry] = {}
        for unit, unit_words in words.items():
            for word in unit_words:
                tokens = tuple(_TOKEN_RE.findall(fold(word)))
                if not tokens:
                    raise ConfigError(f"unit class {unit!r} has an empty word", path=self.source)
                latin = all(_LATIN_WORD_RE.fullmatch(t) for t in tokens)
                # inflect the head: the last word in English (fighter jets), the first in
                # Arabic (طائرة مقاتلة → طائرات مقاتلة)
                head = len(tokens) - 1 if latin else 0
                derive = _english_forms if latin else _arabic_forms
                for form, rank in derive(tokens[head]):
                    variant = tokens[:head] + (form,) + tokens[head + 1 :]
                    current = best.get(variant)
                    if current is None or rank < current.rank:
                        best[variant] = _UnitEntry(unit, variant[1:], rank)
        by_first: dict[str, list[_UnitEntry]] = {}
        for variant, entry in best.items():
            by_first.setdefault(variant[0], []).append(entry)
        object.__setattr__(
            self,
            "_by_first",
            {first: tuple(sorted(entries, key=lambda e: -len(e.rest))) for first, entries in by_first.items()},
        )
        object.__setattr__(
            self,
            "_prefix_phrases",
            tuple(
                sorted(
                    ((tuple(_TOKEN_RE.findall(fold(p))), unit) for unit, ps in prefixes.items() for p in ps),
                    key=lambda item: -len(item[0]),
                )
            ),
        )

    @property
    def ids(self) -> tuple[str, ...]:
        """The unit class ids, in config order."""
        return tuple(self.words)

    def __contains__(self, unit: object) -> bool:
        return unit in self.words

    def unit_of(self, word: str) -> str | None:
        """The unit class a single word (any derived form) belongs to, or None."""
        tokens = _TOKEN_RE.findall(fold(word))
        if not tokens:
            return None
        for entry in self._by_first.get(tokens[0], ()):
            if entry.rest == tuple(tokens[1:]):
                return entry.unit
        return None


def _config_error(path: Path, node: Any, key: Any, reason: str) -> ConfigError:
    line = None
    try:
        if key is None:
            line = node.lc.line + 1
        elif isinstance(key, int):
            line = node.lc.item(key)[0] + 1
        else:
            line = node.lc.key(key)[0] + 1
    except (AttributeError, KeyError, IndexError, TypeError):
        pass
    return ConfigError(reason, path=str(path), line=line)


def load_unit_classes(path: Path | None = None) -> UnitClasses:
    """Load unit classes from YAML (default: the packaged ``units.yaml``).

    Raises :class:`kernel.errors.ConfigError` naming the file, the line and the reason when
    the file cannot be read or is not a valid unit-class file."""
    from ruamel.yaml import YAML
    from ruamel.yaml.error import MarkedYAMLError, YAMLError

    path = Path(path) if path is not None else DEFAULT_UNITS_PATH
    try:
        raw = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"cannot read unit classes: {exc}", path=str(path)) from None
    try:
        doc = YAML(typ="rt").load(raw)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = exc.problem or exc.context or "invalid YAML"
        raise ConfigError(f"invalid YAML: {reason}", path=str(path), line=line) from None
    except YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", path=str(path)) from None

    if not isinstance(doc, Mapping):
        raise ConfigError("expected a mapping with a 'units' key", path=str(path), line=1)
    for key in doc:
        if key not in ("version", "units"):
            raise _config_error(path, doc, key, f"unknown key {key!r} (expected 'version', 'units')")
    if "version" in doc and doc["version"] != 1:
        raise _config_error(path, doc, "version", f"unsupported version {doc['version']!r} (expected 1)")
    units = doc.get("units")
    if not isinstance(units, Mapping) or not units:
        where = "units" if "units" in doc else None
        raise _config_error(path, doc, where, "'units' must be a non-empty mapping of unit id → class")

    words: dict[str, tuple[str, ...]] = {}
    prefixes: dict[str, tuple[str, ...]] = {}
    owner: dict[str, str] = {}  # folded word → unit id, to refuse a word in two classes
    for unit, spec in units.items():
        if not isinstance(unit, str) or not _UNIT_ID_RE.fullmatch(unit):
            raise _config_error(path, units, unit, f"invalid unit id {unit!r} (lowercase letters, digits, _; up to 32)")
        if not isinstance(spec, Mapping):
            raise _config_error(path, units, unit, f"unit {unit!r}: expected a mapping with 'words'")
        for key in spec:
            if key not in ("words", "prefixes"):
                raise _config_error(
                    path, spec, key, f"unit {unit!r}: unknown key {key!r} (expected 'words', 'prefixes')"
                )
        for key, required in (("words", True), ("prefixes", False)):
            if key not in spec:
                if required:
                    raise _config_error(path, units, unit, f"unit {unit!r}: 'words' is missing")
                continue
            items = spec[key]
            if not isinstance(items, list) or (required and not items):
                raise _config_error(path, spec, key, f"unit {unit!r}: '{key}' must be a non-empty list")
            checked: list[str] = []
            for index, item in enumerate(items):
                if not isinstance(item, str) or not item.strip():
                    raise _config_error(
                        path, items, index, f"unit {unit!r}: {key} entry {item!r} is not a non-empty string"
                    )
                folded = " ".join(_TOKEN_RE.findall(fold(item)))
                if not folded:
                    raise _config_error(path, items, index, f"unit {unit!r}: {key} entry {item!r} has no letters")
                if key == "words":
                    if any(t[0].isdigit() for t in folded.split()):
                        raise _config_error(path, items, index, f"unit {unit!r}: word {item!r} contains digits")
                    if folded.split()[0] in _LEXICON:
                        raise _config_error(path, items, index, f"unit {unit!r}: word {item!r} is a number word")
                    if owner.get(folded, unit) != unit:
                        raise _config_error(
                            path, items, index, f"unit {unit!r}: word {item!r} is already in unit {owner[folded]!r}"
                        )
                    owner[folded] = unit
                checked.append(item.strip())
            (words if key == "words" else prefixes)[unit] = tuple(checked)
    return UnitClasses(words=words, prefixes=prefixes, source=str(path))


@lru_cache(maxsize=1)
def default_unit_classes() -> UnitClasses:
    """The packaged unit classes, loaded once per process."""
    return load_unit_classes()


# --------------------------------------------------------------------------------------
# Matching
# --------------------------------------------------------------------------------------

_ZERO = Decimal(0)


# Only the surroundings of a digit or a number word are tokenized: tokenizing whole Arabic
# articles with `re` cost ~1 ms each (measured on the seeds), finding the anchors with one
# Aho-Corasick pass plus one digit regex costs ~0.1 ms. The margins cover the longest
# qualifier or currency prefix before a number and unit + من/of + adjectives after it.
_WINDOW_BEFORE = 48
_WINDOW_AFTER = 96
_DIGIT_RUN_RE = re.compile(r"[0-9]+")


def _anchor_automaton() -> ahocorasick.Automaton:
    automaton = ahocorasick.Automaton()
    for form, word in _LEXICON.items():
        # "a"/"an" and k/m/bn only count next to another anchor (a scale word, digits)
        if word.kind not in (_K.ARTICLE_EN, _K.SCALE_ATTACHED):
            automaton.add_word(form, len(form))
    automaton.make_automaton()
    return automaton


_ANCHORS = _anchor_automaton()


def _windows(folded: str) -> list[tuple[int, int]]:
    """Stretches of ``folded`` that may hold a quantity, cut at whitespace, merged, in order."""
    size = len(folded)
    anchors = [match.span() for match in _DIGIT_RUN_RE.finditer(folded)]
    for last, length in _ANCHORS.iter(folded):
        first = last - length + 1
        if (first == 0 or not folded[first - 1].isalpha()) and (last + 1 == size or not folded[last + 1].isalpha()):
            anchors.append((first, last + 1))
    if not anchors:
        return []
    anchors.sort()
    windows: list[tuple[int, int]] = []
    for first, last in anchors:
        begin = max(0, first - _WINDOW_BEFORE)
        while begin > 0 and not folded[begin - 1].isspace():
            begin -= 1
        end = min(size, last + _WINDOW_AFTER)
        while end < size and not folded[end].isspace():
            end += 1
        if windows and begin <= windows[-1][1]:
            windows[-1] = (windows[-1][0], max(windows[-1][1], end))
        else:
            windows.append((begin, end))
    return windows


_FOLDED_LENGTH: dict[str, int] = {}  # character → length of its folding (memo)


def _folded_length(ch: str) -> int:
    length = _FOLDED_LENGTH.get(ch)
    if length is None:
        length = _FOLDED_LENGTH[ch] = len(fold(ch))
    return length


@lru_cache(maxsize=256)
def _odd_chars_re(chars: frozenset[str]) -> re.Pattern[str]:
    return re.compile("[" + "".join(re.escape(ch) for ch in sorted(chars)) + "]")


class _OriginalOffsets:
    """Folded → original offsets for the few spans a scan quotes.

    ``NormalizedText.offsets`` builds a per-character map in Python (~2 ms for a 2,500
    character article on the dev box); most articles with a quantity need two or three
    spans. Only characters that fold to zero or several characters (diacritics, tatweel,
    "…") shift offsets, so this finds those with one regex and maps through them. Same
    results as ``NormalizedText.to_original``."""

    __slots__ = ("original", "folded_size", "points", "origins", "lengths", "dropped")

    def __init__(self, original: str, folded_size: int) -> None:
        self.original = original
        self.folded_size = folded_size
        odd = frozenset(ch for ch in set(original) if _folded_length(ch) != 1)
        self.dropped = frozenset(ch for ch in odd if _folded_length(ch) == 0)
        self.points: list[int] = []  # folded index where each odd character's output begins
        self.origins: list[int] = []  # its original index
        self.lengths: list[int] = []  # its folded length
        if odd:
            folded_at = after_last = 0
            for match in _odd_chars_re(odd).finditer(original):
                at = match.start()
                folded_at += at - after_last
                length = _folded_length(original[at])
                self.points.append(folded_at)
                self.origins.append(at)
                self.lengths.append(length)
                folded_at += length
                after_last = at + 1

    def _origin(self, folded_index: int) -> int:
        k = bisect_right(self.points, folded_index) - 1
        if k < 0:
            return folded_index
        inside = folded_index - self.points[k]
        if inside < self.lengths[k]:
            return self.origins[k]  # one of the characters an expansion produced
        return self.origins[k] + 1 + inside - self.lengths[k]

    def span(self, start: int, end: int) -> tuple[int, int]:
        """Original span of the folded span [start, end), extended over trailing diacritics."""
        original_start = self._origin(start)
        original_end = self._origin(end - 1) + 1
        dropped, original = self.dropped, self.original
        # up to where the next folded character comes from (the end of the text after the last)
        limit = self._origin(end) if end < self.folded_size else len(original)
        while original_end < limit and original[original_end] in dropped and not original[original_end].isspace():
            original_end += 1
        return original_start, original_end


@dataclass(slots=True)
class _Phrase:
    value: Decimal
    vague: bool
    end: int  # index after the last token
    start_char: int  # folded offset where the number starts (after a proclitic)


class _Scanner:
    """Reads quantities out of one folded text. Holds the token arrays for one call."""

    __slots__ = ("original", "folded", "texts", "starts", "ends", "units", "n", "_offsets")

    def __init__(self, original: str, folded: str, units: UnitClasses) -> None:
        self.original = original
        self.folded = folded
        self._offsets: _OriginalOffsets | None = None
        self.units = units
        self.texts: list[str] = []
        self.starts: list[int] = []
        self.ends: list[int] = []
        self.n = 0

    def _tokenize(self, begin: int, end: int) -> None:
        """Tokens of folded[begin:end] (a window cut at whitespace)."""
        self.texts, self.starts, self.ends = texts, starts, ends = [], [], []
        for match in _TOKEN_RE.finditer(self.folded, begin, end):
            texts.append(match.group())
            starts.append(match.start())
            ends.append(match.end())
        self.n = len(texts)

    # -- helpers ------------------------------------------------------------------------

    def _adjacent(self, left: int, right: int) -> bool:
        """Token ``right`` follows token ``left`` with no gap at all."""
        return self.ends[left] == self.starts[right]

    def _same_line(self, left: int, right: int) -> bool:
        """No line break between tokens ``left`` and ``right`` (a quantity never spans one)."""
        return "\n" not in self.folded[self.ends[left] : self.starts[right]]

    def _word(self, index: int) -> _Word | None:
        return _LEXICON.get(self.texts[index]) if index < self.n else None

    # -- number phrases -----------------------------------------------------------------

    def _parse_digits(self, token: str, before_scale: bool) -> Decimal | None:
        """Digits with thousands separators or a decimal part ("100,000", "100.000", "1.5")."""
        # ASCII digits only ("²".isdigit() is true too), and no more than any real count
        # needs: a 400-digit run is not a quantity, and a million digits would overflow.
        if not _DIGIT_TOKEN.fullmatch(token) or sum(ch.isdigit() for ch in token) > MAX_DIGITS:
            return None
        if token.isdigit():
            return Decimal(token)
        groups = re.split(r"[.,]", token)
        separators = [ch for ch in token if ch in ".,"]
        tail_is_three = all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3
        if len(set(separators)) == 2:
            decimal_sep = separators[-1]
            if separators.count(decimal_sep) != 1:
                return None
            whole, frac = token.rsplit(decimal_sep, 1)
            thousands = re.split(r"[.,]", whole)
            if not (1 <= len(thousands[0]) <= 3 and all(len(g) == 3 for g in thousands[1:])):
                return None
            return Decimal("".join(thousands) + "." + frac)
        if len(separators) == 1:
            if separators[0] == ",":
                if tail_is_three:
                    return Decimal("".join(groups))  # 100,000 / 1,500 million
                # "1,5 million" is a decimal comma; "3,4" with no scale is a list
                return Decimal(token.replace(",", ".")) if before_scale else None
            if tail_is_three and not before_scale:
                return Decimal("".join(groups))  # 100.000 جندي
            return Decimal(token)  # 1.5 مليون, 2.5
        if tail_is_three:
            return Decimal("".join(groups))  # 1,500,000 / 1.500.000
        return None

    def _is_excluded_start(self, index: int) -> bool:
        """A number here is a year, a label, a time/date or a model name, not a count."""
        texts = self.texts
        token = texts[index]
        if index > 0:
            before = texts[index - 1]
            if before in _YEAR_MARKERS or before in _LABEL_MARKERS:
                return True
            if before in _CHAIN_SEPARATORS and self._adjacent(index - 1, index):
                return True  # 9:21, 7/12
            if (
                before == "-"
                and index > 1
                and self._adjacent(index - 1, index)
                and self._adjacent(index - 2, index - 1)
                and _LATIN_WORD_RE.fullmatch(texts[index - 2])
            ):
                return True  # F-16, S-400
            if self._adjacent(index - 1, index) and _LATIN_WORD_RE.fullmatch(before) and token[0].isdigit():
                return True  # T72, MiG29
        if token[0].isdigit():
            if index + 1 < self.n and self._adjacent(index, index + 1):
                after = texts[index + 1]
                if after in _CHAIN_SEPARATORS and index + 2 < self.n and texts[index + 2][0].isdigit():
                    return True  # 15:00, 7/12/2021
                if after in _ORDINAL_SUFFIXES:
                    return True  # 30th
            if len(token) == 4 and token.isdigit() and 1000 <= int(token) <= 2199:
                if index > 0 and texts[index - 1] in _MONTHS:
                    return True  # ديسمبر 2021
                if index > 0 and texts[index - 1] in _YEAR_PREPOSITIONS and 1900 <= int(token) <= 2100:
                    return True  # في 2014, in 2014
                if index + 1 < self.n and texts[index + 1] in _ERA_MARKERS:
                    return True  # 2021م, 1443 هـ
        return False

    def _read_number(self, first: int) -> _Phrase | None:
        """The longest well-formed number phrase starting at token ``first``, or None."""
        texts, n = self.texts, self.n
        head = _LEXICON.get(texts[first])
        if head is None and not texts[first][0].isdigit():
            return None
        start_char = self.starts[first] + (head.clitic if head is not None else 0)

        total = _ZERO  # sum of completed scaled groups
        group = _ZERO  # the group being read (below the last scale)
        slots = 0  # 1 hundreds, 2 tens, 4 units filled in this group
        last_scale: Decimal | None = None
        last_kind = 0
        vague = False
        parts = 0
        joined = False  # a و / and / - was read since the last part
        joiner = ""  # which one
        last_latin = False  # the last part was an English word
        best: _Phrase | None = None

        j = first
        while j < n:
            token = texts[j]
            if parts and j > first and not self._same_line(j - 1, j):
                break
            if parts and token in _JOINERS:
                if joined:
                    break
                joined, joiner = True, token
                j += 1
                continue
            if parts and last_kind == _K.VAGUE and token == "of":
                # "tens of thousands", "hundreds of millions"
                nxt = self._word(j + 1)
                if nxt is not None and nxt.kind in (_K.SCALE, _K.SCALE_PLURAL):
                    j += 1
                    continue
                break
            word = _LEXICON.get(token)
            if word is None and token[0] not in _ASCII_DIGITS:
                break
            if word is not None and parts:
                if word.clitic and not word.joined:
                    break  # "ب" or "ل" glued to a later part: a new phrase
                if word.joined:
                    if joined:
                        break
                    joined, joiner = True, "و"
            kind = word.kind if word is not None else 0
            latin = word.latin if word is not None else False
            # English needs no "and" inside a number: "seventy five", "one thousand five hundred"
            free = latin and last_latin and last_kind in (_K.TENS, _K.HUNDRED_EN, _K.SCALE)

            if word is None:  # digits
                # digits continue a phrase only as in "مليون و200 ألف"; English never writes
                # "$5 million and 100,000", so "and" there starts another amount
                if (
                    group
                    or slots
                    or (parts and not (joined and last_scale is not None and joiner == "و" and not last_latin))
                ):
                    break
                nxt = self._word(j + 1)
                before_scale = nxt is not None and nxt.kind in _SCALE_KINDS
                value = self._parse_digits(token, before_scale)
                if value is None:
                    break
                group, slots = value, 7
            elif kind == _K.UNIT or kind == _K.TEEN_ONLY:
                if slots & 4:
                    break
                if parts and not joined and not free:
                    break
                if kind == _K.TEEN_ONLY:
                    nxt = self._word(j + 1)
                    if nxt is None or nxt.kind != _K.TEN or nxt.clitic:
                        break
                group += word.value
                slots |= 4
            elif kind == _K.TEN:
                if last_kind in (_K.UNIT, _K.TEEN_ONLY) and slots == 4 and not joined and not word.clitic:
                    group += word.value  # خمسة عشر
                    slots = 6
                elif not slots and (not parts or joined):
                    group += word.value
                    slots = 6
                else:
                    break
            elif kind == _K.TEEN:
                if slots & 6 or (parts and not (joined or (free and last_kind != _K.TENS))):
                    break
                group += word.value
                slots |= 6
            elif kind == _K.TENS:
                if slots & 2:
                    break
                if parts and not joined and not (free and last_kind != _K.TENS):
                    break
                group += word.value
                slots |= 2
            elif kind == _K.HUNDRED:
                if (
                    word.value == 100
                    and slots == 4
                    and not joined
                    and not word.clitic
                    and last_kind == _K.UNIT
                    and 1 <= group <= 9
                ):
                    group *= 100  # ثلاث مئة
                    slots = 1
                elif not slots and (not parts or joined):
                    group += word.value
                    slots = 1
                else:
                    break
            elif kind == _K.HUNDRED_EN:
                if slots == 4 and 1 <= group <= 9 and not joined:
                    group *= 100
                    slots = 1
                else:
                    break
            elif kind == _K.ARTICLE_EN:
                if parts:
                    break
                nxt = self._word(j + 1)
                if nxt is None or nxt.kind not in (_K.SCALE, _K.HUNDRED_EN):
                    break
                group, slots = Decimal(1), 4
            elif kind in _SCALE_KINDS:
                if joined or (last_scale is not None and word.value >= last_scale):
                    break
                if kind == _K.SCALE_ATTACHED:
                    if not (parts and last_kind == 0 and self._adjacent(j - 1, j)):
                        break
                    multiplier = group
                elif kind == _K.SCALE:
                    if group:
                        multiplier = group
                    elif not slots and not parts:
                        multiplier = Decimal(1)  # ألف جندي, مليون دولار
                    else:
                        break
                elif kind == _K.SCALE_OR_DUAL:
                    if group:
                        multiplier = group  # خمسون ألفاً
                    elif not parts:
                        # ألفاً with tanween is "a thousand"; bare ألفا is the dual construct
                        multiplier = Decimal(1) if self._has_fathatan(j) else Decimal(2)
                    else:
                        break
                elif kind == _K.SCALE_DUAL:
                    if parts:
                        break
                    multiplier = Decimal(2)
                elif kind == _K.SCALE_PLURAL:
                    if group:
                        multiplier = group  # ثلاثة آلاف, عشرات آلاف
                    elif not parts:
                        multiplier, vague = Decimal(2), True  # آلاف, thousands
                    else:
                        break
                else:  # SCALE_PLURAL_DEF
                    if last_kind != _K.VAGUE:
                        break
                    multiplier = group
                if last_scale is not None and group >= last_scale:
                    break
                total += multiplier * word.value
                group, slots, last_scale = _ZERO, 0, word.value
            elif kind == _K.VAGUE:
                if parts:
                    break
                group, slots, vague = word.value, 7, True
            elif kind == _K.HALF:
                if not parts:
                    nxt_index = j + 1
                    if latin and nxt_index < n and texts[nxt_index] in ("a", "an"):
                        nxt_index += 1
                    nxt = self._word(nxt_index)
                    if nxt is None or nxt.kind != _K.SCALE or nxt.clitic:
                        break
                    group, slots = word.value, 7
                    j = nxt_index - 1  # skip "a" of "half a million"
                elif joined and last_scale is not None and not group and not slots:
                    total += word.value * last_scale  # مليون ونصف
                    group, slots = _ZERO, 7
                else:
                    break
            else:
                break

            parts += 1
            joined = False
            last_kind, last_latin = kind, latin
            j += 1
            complete = kind not in (_K.ARTICLE_EN,) and not (kind == _K.HALF and parts == 1)
            if last_scale is not None and group >= last_scale:
                complete = False
            if complete and (total + group) > 0:
                best = _Phrase(total + group, vague, j, start_char)
            if kind == _K.HALF and parts > 1:
                break
        return best

    def _to_original(self, start: int, end: int) -> tuple[int, int]:
        if self._offsets is None:
            self._offsets = _OriginalOffsets(self.original, len(self.folded))
        return self._offsets.span(start, end)

    def _original_text(self, start: int, end: int) -> str:
        original_start, original_end = self._to_original(start, end)
        return self.original[original_start:original_end]

    def _has_fathatan(self, index: int) -> bool:
        return _FATHATAN in self._original_text(self.starts[index], self.ends[index])

    # -- units, prefixes, qualifiers ------------------------------------------------------

    def _unit_at(self, index: int, allow_article: bool) -> tuple[str, int] | None:
        """The unit class whose word starts at token ``index``, and the index after it."""
        if index >= self.n:
            return None
        token = self.texts[index]
        candidates = self.units._by_first.get(token)
        if candidates is None and allow_article and token.startswith(_ARTICLE) and len(token) > 3:
            candidates = self.units._by_first.get(token[2:])
        if not candidates:
            return None
        for entry in candidates:
            end = index + 1 + len(entry.rest)
            if entry.rest and (
                end > self.n or tuple(self.texts[index + 1 : end]) != entry.rest or not self._same_line(index, end - 1)
            ):
                continue
            return entry.unit, end
        return None

    def _unit_after(self, phrase: _Phrase) -> tuple[str, int] | None:
        """The unit following a number: directly, through من/of, or after English adjectives."""
        index = phrase.end
        if index >= self.n or not self._same_line(index - 1, index):
            return None
        found = self._unit_at(index, allow_article=phrase.vague)
        if found:
            return found
        if self.texts[index] in _THROUGH:
            index += 1
            if index < self.n and self.texts[index] in _ENGLISH_DETERMINERS:
                index += 1
            if index >= self.n or not self._same_line(phrase.end, index):
                return None
            found = self._unit_at(index, allow_article=True)
            if found:
                return found
        return self._unit_after_modifiers(index)

    def _unit_after_modifiers(self, index: int) -> tuple[str, int] | None:
        """English: up to two adjectives between number and unit ("100,000 Russian troops")."""
        for _ in range(_MAX_ENGLISH_MODIFIERS):
            if index >= self.n or not self._same_line(index - 1, index):
                return None
            token = self.texts[index]
            if not _LATIN_WORD_RE.fullmatch(token) or token in _ENGLISH_STOP or token in _LEXICON:
                return None
            index += 1
            found = self._unit_at(index, allow_article=False)
            if found and _LATIN_WORD_RE.fullmatch(self.texts[index]):
                return found
        return None

    def _prefix_before(self, first: int) -> tuple[str, int] | None:
        """A currency symbol written before the number ($60 million): (unit, first token)."""
        for tokens, unit in self.units._prefix_phrases:
            begin = first - len(tokens)
            if begin >= 0 and tuple(self.texts[begin:first]) == tokens and self._same_line(begin, first):
                return unit, begin
        return None

    def _qualifier_before(self, first: int) -> tuple[int, str] | None:
        """A qualifier ending right before token ``first``: (folded start, kind)."""
        if first == 0:
            return None
        for tokens, kind, clitic_len in _QUALIFIERS_BY_LAST.get(self.texts[first - 1], ()):
            begin = first - len(tokens)
            if begin >= 0 and tuple(self.texts[begin:first]) == tokens and self._same_line(begin, first):
                return self.starts[begin] + clitic_len, kind
        return None

    def _qualifier_after(self, index: int) -> tuple[int, str] | None:
        """A qualifier right after the unit ("على الأقل"): (index after it, kind)."""
        for tokens, kind in _QUALIFIERS_AFTER_TOKENS:
            end = index + len(tokens)
            if end <= self.n and tuple(self.texts[index:end]) == tokens and self._same_line(index - 1, end - 1):
                return end, kind
        return None

    # -- driver -------------------------------------------------------------------------

    def scan(self) -> list[QuantityMention]:
        mentions: list[QuantityMention] = []
        for begin, end in _windows(self.folded):
            self._tokenize(begin, end)
            self._scan_tokens(mentions)
        return mentions

    def _scan_tokens(self, mentions: list[QuantityMention]) -> None:
        texts, n = self.texts, self.n
        i = 0
        while i < n:
            token = texts[i]
            if not (token[0] in _ASCII_DIGITS or token in _LEXICON):
                i += 1
                continue
            try:
                phrase = self._read_number(i)
            except DecimalException:  # e.g. scale words multiplied past any real amount
                phrase = None
            if phrase is None:
                i += 1
                continue
            if self._is_excluded_start(i):
                i = phrase.end  # the whole year ("عام ألفين وأربعة عشر"), not just its first word
                continue
            prefix = self._prefix_before(i)
            if prefix is not None:
                unit, unit_end = prefix[0], phrase.end
                # "$60 million dollars": the trailing unit word belongs to the mention too
                trailing = self._unit_after(phrase)
                if trailing is not None and trailing[0] == unit:
                    unit_end = trailing[1]
                begin_token = prefix[1]
                start = self.starts[begin_token]
            else:
                found = self._unit_after(phrase)
                if found is None:
                    i = phrase.end
                    continue
                unit, unit_end = found
                begin_token = i
                start = phrase.start_char
            qualifier = self._qualifier_before(begin_token)
            qualifier_text: str | None = None
            lower_bound = phrase.vague
            if qualifier is not None:
                q_start, kind = qualifier
                qualifier_text = self._original_text(q_start, self.ends[begin_token - 1])
                lower_bound = lower_bound or kind == _LOWER
                start = q_start
            end_token = unit_end
            after = self._qualifier_after(unit_end)
            if after is not None:
                end_token, kind = after
                lower_bound = lower_bound or kind == _LOWER
                if qualifier_text is None:
                    qualifier_text = self._original_text(self.starts[unit_end], self.ends[end_token - 1])
            value = float(phrase.value)
            if not value <= MAX_VALUE:  # also false for inf and nan
                i = phrase.end
                continue
            o_start, o_end = self._to_original(start, self.ends[end_token - 1])
            mentions.append(
                QuantityMention(
                    value=value,
                    unit=unit,
                    start=o_start,
                    end=o_end,
                    text=self.original[o_start:o_end],
                    lower_bound=lower_bound,
                    qualifier=qualifier_text,
                )
            )
            i = end_token


def find_quantities_normalized(norm: NormalizedText, units: UnitClasses) -> list[QuantityMention]:
    """Like :func:`find_quantities` for a text already normalized (the rule engine has one);
    offsets index ``norm.original``."""
    return _Scanner(norm.original, norm.text, units).scan()


def find_quantities(text: str, units: UnitClasses) -> list[QuantityMention]:
    """Every number attached to a unit class in ``text``, in order of appearance.

    Offsets index ``text`` itself; each span covers qualifier + number + unit, e.g.
    "أكثر من 100 ألف جندي" → value 100000.0, unit "troops", lower_bound True."""
    return _Scanner(text, fold(text), units).scan()
