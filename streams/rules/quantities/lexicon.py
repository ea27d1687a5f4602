"""The number lexicon: Arabic and English number words, their kinds and values.

Every form is stored folded (``streams.textnorm.fold``), with the proclitic readings of
the Arabic words ("وخمسين" → و + خمسين), so the scanner looks a token up once.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal

from streams.rules.quantities.tokens import PROCLITICS
from streams.textnorm import fold


class Kind:
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
class NumberWord:
    """One lexicon entry: what a folded token means as part of a number."""

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

    add(Kind.UNIT, 1, "واحد", "واحدة")
    add(Kind.TEEN_ONLY, 1, "أحد", "إحدى")
    add(Kind.UNIT, 2, "اثنان", "اثنين", "اثنتان", "اثنتين", "اثنا", "اثني", "اثنتا", "اثنتي")
    roots = {3: "ثلاث", 4: "أربع", 5: "خمس", 6: "ست", 7: "سبع", 8: "ثمان", 9: "تسع"}
    for value, root in roots.items():
        add(Kind.UNIT, value, root, root + "ة")
    add(Kind.UNIT, 8, "ثماني", "ثمانية")
    add(Kind.TEN, 10, "عشر", "عشرة")
    tens = {20: "عشر", 30: "ثلاث", 40: "أربع", 50: "خمس", 60: "ست", 70: "سبع", 80: "ثمان", 90: "تسع"}
    for value, root in tens.items():
        add(Kind.TENS, value, root + "ون", root + "ين")
    add(Kind.HUNDRED, 100, "مئة", "مائة", "مية", "ماية")
    add(Kind.HUNDRED, 200, "مئتان", "مائتان", "مئتين", "مائتين", "مئتا", "مائتا", "مئتي", "مائتي")
    for value, root in roots.items():
        if value >= 3:
            add(Kind.HUNDRED, value * 100, root + "مئة", root + "مائة")
    add(Kind.HUNDRED, 800, "ثمانيمئة", "ثمانيمائة")
    scales = {
        1000: ("ألف", "ألفا", ("ألفي", "ألفين", "ألفان"), ("آلاف", "ألوف"), ("الآلاف", "الألوف")),
        10**6: ("مليون", "مليونا", ("مليوني", "مليونين", "مليونان"), ("ملايين",), ("الملايين",)),
        10**9: ("مليار", "مليارا", ("ملياري", "مليارين", "ملياران"), ("مليارات",), ("المليارات",)),
        10**12: ("تريليون", "تريليونا", ("تريليوني", "تريليونين", "تريليونان"), ("تريليونات",), ("التريليونات",)),
    }
    for value, (single, single_or_dual, duals, plurals, definite) in scales.items():
        add(Kind.SCALE, value, single)
        add(Kind.SCALE_OR_DUAL, value, single_or_dual)
        add(Kind.SCALE_DUAL, value, *duals)
        add(Kind.SCALE_PLURAL, value, *plurals)
        add(Kind.SCALE_PLURAL_DEF, value, *definite)
    add(Kind.SCALE, 10**9, "بليون")
    add(Kind.SCALE_PLURAL, 10**9, "بلايين")
    add(Kind.SCALE, 10**12, "ترليون")
    add(Kind.VAGUE, 20, "عشرات")
    add(Kind.VAGUE, 200, "مئات", "مئآت")
    add(Kind.VAGUE, 3, "بضع", "بضعة", "عدة")
    add(Kind.HALF, "0.5", "نصف")
    add(Kind.HALF, "0.25", "ربع")
    return words


def _english_lexicon() -> dict[str, tuple[int, int | str]]:
    words: dict[str, tuple[int, int | str]] = {}
    for value, word in enumerate("one two three four five six seven eight nine".split(), 1):
        words[word] = (Kind.UNIT, value)
    for value, word in enumerate(
        "ten eleven twelve thirteen fourteen fifteen sixteen seventeen eighteen nineteen".split(), 10
    ):
        words[word] = (Kind.TEEN, value)
    for value, word in zip(range(20, 100, 10), "twenty thirty forty fifty sixty seventy eighty ninety".split()):
        words[word] = (Kind.TENS, value)
    words["hundred"] = (Kind.HUNDRED_EN, 100)
    for value, word in ((1000, "thousand"), (10**6, "million"), (10**9, "billion"), (10**12, "trillion")):
        words[word] = (Kind.SCALE, value)
        words[word + "s"] = (Kind.SCALE_PLURAL, value)
    for word, value in (
        ("k", 1000),
        ("m", 10**6),
        ("mn", 10**6),
        ("mln", 10**6),
        ("bn", 10**9),
        ("b", 10**9),
        ("tn", 10**12),
    ):
        words[word] = (Kind.SCALE_ATTACHED, value)
    for word, value in (("tens", 20), ("dozens", 24), ("scores", 40), ("hundreds", 200), ("several", 3)):
        words[word] = (Kind.VAGUE, value)
    words["half"] = (Kind.HALF, "0.5")
    words["a"] = (Kind.ARTICLE_EN, 1)
    words["an"] = (Kind.ARTICLE_EN, 1)
    return words


# Short words that would turn into other words with a proclitic (ل + ست = "لست", "I am not").
_NO_CLITIC = {fold("ست"), fold("عشر")}


def _build_lexicon() -> dict[str, NumberWord]:
    lexicon: dict[str, NumberWord] = {}
    for form, (kind, value) in _english_lexicon().items():
        lexicon[form] = NumberWord(kind, Decimal(value), latin=True)
    arabic = _arabic_lexicon()
    for form, (kind, value) in arabic.items():
        lexicon[form] = NumberWord(kind, Decimal(value))
    for form, (kind, value) in arabic.items():
        if form in _NO_CLITIC or kind == Kind.SCALE_PLURAL_DEF:
            continue
        for clitic in PROCLITICS:
            variant = clitic + form
            if variant not in lexicon:  # a plain word always wins over a clitic reading
                lexicon[variant] = NumberWord(kind, Decimal(value), len(clitic), clitic[0] == "و")
    return lexicon


LEXICON: dict[str, NumberWord] = _build_lexicon()
SCALE_KINDS = frozenset(
    {Kind.SCALE, Kind.SCALE_OR_DUAL, Kind.SCALE_DUAL, Kind.SCALE_PLURAL, Kind.SCALE_PLURAL_DEF, Kind.SCALE_ATTACHED}
)
# Between the parts of one number: "مئة وخمسون", "one hundred and five", "twenty-five".
JOINERS = frozenset({"و", "and", "-"})
FATHATAN = "\u064b"  # tanween on ألفاً: "a thousand", where bare ألفا is the dual
