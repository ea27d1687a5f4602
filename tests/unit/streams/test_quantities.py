"""Quantity parser: table-driven cases (Arabic and English, positives and traps), the seed
articles, and the unit-class config loader."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kernel.errors import ConfigError
from streams.rules.quantities import (
    DEFAULT_UNITS_PATH,
    QuantityMention,
    UnitClasses,
    default_unit_classes,
    find_quantities,
    find_quantities_normalized,
    load_unit_classes,
)
from streams.textnorm import normalize
from tests.support.stack import SEEDS_DIR


@dataclass(frozen=True)
class M:
    """One expected mention: unit, value, exact [start, end) in the text, the quoted text."""

    unit: str
    value: float
    start: int
    end: int
    text: str
    lower: bool = False
    qualifier: str | None = None


def case(case_id: str, text: str, *mentions: M):
    return pytest.param(text, list(mentions), id=case_id)


CASES = [
    case(
        "seed-style",
        "وحشد الكرملين أكثر من 100 ألف جندي على الحدود",
        M("troops", 100_000, 14, 34, "أكثر من 100 ألف جندي", lower=True, qualifier="أكثر من"),
    ),
    case("usd-million", "بقيمة 60 مليون دولار.", M("usd", 60_000_000, 6, 20, "60 مليون دولار")),
    case("usd-not-troops", "تبرع بمبلغ 100 ألف دولار للجيش", M("usd", 100_000, 11, 24, "100 ألف دولار")),
    case("arabic-indic", "نشرت روسيا ١٠٠ ألف جندي", M("troops", 100_000, 11, 23, "١٠٠ ألف جندي")),
    case("persian-digits", "نشرت ۱۰۰ ألف جندي", M("troops", 100_000, 5, 17, "۱۰۰ ألف جندي")),
    # Gulf agencies bracket the number; the evidence quotes the brackets
    case(
        "bracketed-after-qualifier",
        "حشد أكثر من (100) ألف جندي",
        M("troops", 100_000, 4, 26, "أكثر من (100) ألف جندي", lower=True, qualifier="أكثر من"),
    ),
    case("bracketed-with-scale", "بلغت (15) مليون دولار", M("usd", 15_000_000, 5, 21, "(15) مليون دولار")),
    case("bracketed-plain", "نشر (1,500) جندي", M("troops", 1_500, 4, 16, "(1,500) جندي")),
    case("square-bracketed", "نشر [250] جنديا", M("troops", 250, 4, 15, "[250] جنديا")),
    case("bracketed-article-number", "المادة (5) من الاتفاقية"),
    case(
        "arabic-thousands-sep",
        "ما يزيد على ١٠٠٬٠٠٠ جندي",
        M("troops", 100_000, 0, 24, "ما يزيد على ١٠٠٬٠٠٠ جندي", lower=True, qualifier="ما يزيد على"),
    ),
    case("comma-thousands", "حشد 100,000 جندي", M("troops", 100_000, 4, 16, "100,000 جندي")),
    case("dot-thousands", "حشد 100.000 جندي", M("troops", 100_000, 4, 16, "100.000 جندي")),
    case(
        "arabic-decimal",
        "قرابة ١٫٥ مليون دولار",
        M("usd", 1_500_000, 0, 21, "قرابة ١٫٥ مليون دولار", qualifier="قرابة"),
    ),
    case("decimal-million", "خصصت 1.5 مليون دولار", M("usd", 1_500_000, 5, 20, "1.5 مليون دولار")),
    case("decimal-comma-billion", "بلغت 2,5 مليار دولار", M("usd", 2_500_000_000, 5, 20, "2,5 مليار دولار")),
    case(
        "words-tens-thousand", "نحو خمسين ألف جندي", M("troops", 50_000, 0, 18, "نحو خمسين ألف جندي", qualifier="نحو")
    ),
    case("words-case-ending", "خمسون ألفاً من الجنود", M("troops", 50_000, 0, 21, "خمسون ألفاً من الجنود")),
    case(
        "words-compound",
        "مئة وخمسة وسبعين ألفاً من الجنود",
        M("troops", 175_000, 0, 32, "مئة وخمسة وسبعين ألفاً من الجنود"),
    ),
    case("mia-alef", "مائة ألف جندي", M("troops", 100_000, 0, 13, "مائة ألف جندي")),
    case("dual-hundreds-thousand", "مئتا ألف جندي", M("troops", 200_000, 0, 13, "مئتا ألف جندي")),
    case("dual-hundreds", "قتل مئتي جندي", M("troops", 200, 4, 13, "مئتي جندي")),
    case("three-hundred-joined", "ثلاثمائة ألف جندي", M("troops", 300_000, 0, 17, "ثلاثمائة ألف جندي")),
    case("three-hundred-split", "ثلاث مئة دبابة", M("tanks", 300, 0, 14, "ثلاث مئة دبابة")),
    case("alf", "ألف جندي", M("troops", 1_000, 0, 8, "ألف جندي")),
    case("dual-alfay", "ألفي جندي", M("troops", 2_000, 0, 9, "ألفي جندي")),
    case("dual-alfayn-min", "أرسل ألفين من الجنود", M("troops", 2_000, 5, 20, "ألفين من الجنود")),
    case("dual-alfa", "ألفا جندي", M("troops", 2_000, 0, 9, "ألفا جندي")),
    case("alfan-tanween-single", "قتل ألفاً من الجنود", M("troops", 1_000, 4, 19, "ألفاً من الجنود")),
    case("dual-million", "مليوني دولار", M("usd", 2_000_000, 0, 12, "مليوني دولار")),
    case("billion", "مليار دولار", M("usd", 1_000_000_000, 0, 11, "مليار دولار")),
    case("plural-thousands", "ثلاثة آلاف جندي", M("troops", 3_000, 0, 15, "ثلاثة آلاف جندي")),
    case("ten-thousands", "عشرة آلاف جندي", M("troops", 10_000, 0, 14, "عشرة آلاف جندي")),
    case("digits-plural-thousands", "3 آلاف جندي", M("troops", 3_000, 0, 11, "3 آلاف جندي")),
    case("plural-millions", "خمسة ملايين دولار", M("usd", 5_000_000, 0, 17, "خمسة ملايين دولار")),
    case("thousands-and-hundreds", "خمسة آلاف وخمسمائة جندي", M("troops", 5_500, 0, 23, "خمسة آلاف وخمسمائة جندي")),
    case("million-and-digits-thousand", "مليون و200 ألف دولار", M("usd", 1_200_000, 0, 20, "مليون و200 ألف دولار")),
    case("million-and-half", "مليون ونصف دولار", M("usd", 1_500_000, 0, 16, "مليون ونصف دولار")),
    case("half-million", "نصف مليون جندي", M("troops", 500_000, 0, 14, "نصف مليون جندي")),
    case("teen-tanween", "خمسة عشر جنديًا", M("troops", 15, 0, 15, "خمسة عشر جنديًا")),
    case("teen-ahad", "أحد عشر جنديا", M("troops", 11, 0, 13, "أحد عشر جنديا")),
    case("teen-ithna", "اثنا عشر جنديا", M("troops", 12, 0, 14, "اثنا عشر جنديا")),
    case(
        "vague-tens-thousands",
        "عشرات الآلاف من الجنود",
        M("troops", 20_000, 0, 22, "عشرات الآلاف من الجنود", lower=True),
    ),
    case(
        "vague-hundreds-thousands",
        "مئات الآلاف من الجنود",
        M("troops", 200_000, 0, 21, "مئات الآلاف من الجنود", lower=True),
    ),
    case("vague-thousands", "آلاف الجنود", M("troops", 2_000, 0, 11, "آلاف الجنود", lower=True)),
    case("vague-tens", "عشرات الجنود", M("troops", 20, 0, 12, "عشرات الجنود", lower=True)),
    case("vague-hundreds-tanks", "مئات الدبابات", M("tanks", 200, 0, 13, "مئات الدبابات", lower=True)),
    case("vague-few-thousands", "بضعة آلاف جندي", M("troops", 3_000, 0, 14, "بضعة آلاف جندي", lower=True)),
    case("q-nahw", "نحو 100 ألف جندي", M("troops", 100_000, 0, 16, "نحو 100 ألف جندي", qualifier="نحو")),
    case(
        "q-ma-yuqarib", "ما يقارب 50 ألف جندي", M("troops", 50_000, 0, 20, "ما يقارب 50 ألف جندي", qualifier="ما يقارب")
    ),
    case("q-hawali", "حوالي 30 ألف جندي", M("troops", 30_000, 0, 17, "حوالي 30 ألف جندي", qualifier="حوالي")),
    case("q-zuhaa", "زهاء 40 دبابة", M("tanks", 40, 0, 13, "زهاء 40 دبابة", qualifier="زهاء")),
    case("q-less-than", "أقل من 10 طائرات", M("aircraft", 10, 0, 16, "أقل من 10 طائرات", qualifier="أقل من")),
    case(
        "q-yazid-an",
        "ما يزيد عن 200 دبابة",
        M("tanks", 200, 0, 20, "ما يزيد عن 200 دبابة", lower=True, qualifier="ما يزيد عن"),
    ),
    case("q-clitic", "بنحو ١٠٠ ألف جندي", M("troops", 100_000, 1, 17, "نحو ١٠٠ ألف جندي", qualifier="نحو")),
    case(
        "q-clitic-waw", "وأكثر من ٥٠ دبابة", M("tanks", 50, 1, 17, "أكثر من ٥٠ دبابة", lower=True, qualifier="أكثر من")
    ),
    case(
        "q-after",
        "100 جندي على الأقل",
        M("troops", 100, 0, 18, "100 جندي على الأقل", lower=True, qualifier="على الأقل"),
    ),
    case("min-article", "مئة ألف من الجنود", M("troops", 100_000, 0, 17, "مئة ألف من الجنود")),
    case("min-quwwat", "100 ألف من القوات الروسية", M("troops", 100_000, 0, 17, "100 ألف من القوات")),
    case("min-pronoun", "100 ألف من جنوده", M("troops", 100_000, 0, 16, "100 ألف من جنوده")),
    case("askari", "30 ألف عسكري", M("troops", 30_000, 0, 12, "30 ألف عسكري")),
    case("askariyyin", "ثلاثة عسكريين", M("troops", 3, 0, 13, "ثلاثة عسكريين")),
    case("muqatil", "20 ألف مقاتل", M("troops", 20_000, 0, 12, "20 ألف مقاتل")),
    case("muqatila-aircraft", "24 مقاتلة", M("aircraft", 24, 0, 9, "24 مقاتلة")),
    case(
        "two-units",
        "200 دبابة و50 طائرة مقاتلة",
        M("tanks", 200, 0, 9, "200 دبابة"),
        M("aircraft", 50, 11, 19, "50 طائرة"),
    ),
    case(
        "casualties",
        "أكثر من 3 آلاف قتيل",
        M("casualties", 3_000, 0, 19, "أكثر من 3 آلاف قتيل", lower=True, qualifier="أكثر من"),
    ),
    case(
        "casualties-two",
        "ما لا يقل عن 40 قتيلا و100 جريح",
        M("casualties", 40, 0, 21, "ما لا يقل عن 40 قتيلا", lower=True, qualifier="ما لا يقل عن"),
        M("casualties", 100, 23, 31, "100 جريح"),
    ),
    case("casualties-dahiya", "سقوط 50 ضحية", M("casualties", 50, 5, 12, "50 ضحية")),
    case(
        "diacritics",
        "أكثرُ من مئةِ ألفِ جنديٍّ",
        M("troops", 100_000, 0, 25, "أكثرُ من مئةِ ألفِ جنديٍّ", lower=True, qualifier="أكثرُ من"),
    ),
    case("year-like-count", "2000 جندي", M("troops", 2_000, 0, 9, "2000 جندي")),
    case("range-second", "50 و60 ألف جندي", M("troops", 60_000, 4, 15, "60 ألف جندي")),
    case("year-then-count", "في عام 2014 قتل 300 جندي", M("troops", 300, 16, 24, "300 جندي")),
    case("time-then-count", "at 15:00 100 troops arrived", M("troops", 100, 9, 19, "100 troops")),
    case(
        "en-more-than",
        "more than 100,000 troops",
        M("troops", 100_000, 0, 24, "more than 100,000 troops", lower=True, qualifier="more than"),
    ),
    case(
        "en-thousand-word",
        "about 100 thousand troops",
        M("troops", 100_000, 0, 25, "about 100 thousand troops", qualifier="about"),
    ),
    case("en-million-dollars", "1.5 million dollars", M("usd", 1_500_000, 0, 19, "1.5 million dollars")),
    case("en-dollar-prefix", "$60 million", M("usd", 60_000_000, 0, 11, "$60 million")),
    case("en-dollar-m", "$60m in aid", M("usd", 60_000_000, 0, 4, "$60m")),
    case(
        "en-adjective",
        "some 175,000 Russian troops",
        M("troops", 175_000, 0, 27, "some 175,000 Russian troops", qualifier="some"),
    ),
    case(
        "en-tens-of-thousands",
        "tens of thousands of troops",
        M("troops", 20_000, 0, 27, "tens of thousands of troops", lower=True),
    ),
    case("en-thousands", "thousands of soldiers", M("troops", 2_000, 0, 21, "thousands of soldiers", lower=True)),
    case(
        "en-hundreds-of-thousands",
        "hundreds of thousands of troops",
        M("troops", 200_000, 0, 31, "hundreds of thousands of troops", lower=True),
    ),
    case(
        "en-words",
        "one hundred and seventy-five thousand troops",
        M("troops", 175_000, 0, 44, "one hundred and seventy-five thousand troops"),
    ),
    case("en-fighter-jets", "40 fighter jets", M("aircraft", 40, 0, 15, "40 fighter jets")),
    case("en-nearly", "nearly 2,000 dead", M("casualties", 2_000, 0, 17, "nearly 2,000 dead", qualifier="nearly")),
    case("en-over", "over 1,000 tanks", M("tanks", 1_000, 0, 16, "over 1,000 tanks", lower=True, qualifier="over")),
    case("en-up-to", "up to 40 warplanes", M("aircraft", 40, 0, 18, "up to 40 warplanes", qualifier="up to")),
    case("en-a-million", "a million dollars", M("usd", 1_000_000, 0, 17, "a million dollars")),
    case("en-us-dollar-prefix", "US$ 2 billion", M("usd", 2_000_000_000, 0, 13, "US$ 2 billion")),
    case("en-k", "100K troops", M("troops", 100_000, 0, 11, "100K troops")),
    case(
        "en-at-least",
        "at least 50 killed",
        M("casualties", 50, 0, 18, "at least 50 killed", lower=True, qualifier="at least"),
    ),
    case("en-half-a-million", "half a million troops", M("troops", 500_000, 0, 21, "half a million troops")),
    case("compound-26", "ستة وعشرون ألف جندي", M("troops", 26_000, 0, 19, "ستة وعشرون ألف جندي")),
    case("compound-999", "تسعمائة وتسعة وتسعون جنديا", M("troops", 999, 0, 26, "تسعمائة وتسعة وتسعون جنديا")),
    case("alfan-and-digits", "22 ألفا و500 جندي", M("troops", 22_500, 0, 17, "22 ألفا و500 جندي")),
    case("alf-and-miatan", "ألف ومئتا جندي", M("troops", 1_200, 0, 14, "ألف ومئتا جندي")),
    case("min-pronoun-plural", "هاجم 3 آلاف من مقاتليه", M("troops", 3_000, 5, 22, "3 آلاف من مقاتليه")),
    case("article-glued", "الـ100 ألف جندي", M("troops", 100_000, 3, 15, "100 ألف جندي")),
    case(
        "en-no-and", "one thousand five hundred troops", M("troops", 1_500, 0, 32, "one thousand five hundred troops")
    ),
    case(
        "en-and-splits-amounts",
        "$5 million and 100,000 troops",
        M("usd", 5_000_000, 0, 10, "$5 million"),
        M("troops", 100_000, 15, 29, "100,000 troops"),
    ),
    case(
        "en-billion-bn",
        "more than $1.5bn",
        M("usd", 1_500_000_000, 0, 16, "more than $1.5bn", lower=True, qualifier="more than"),
    ),
    case("en-1500-million", "1,500 million dollars", M("usd", 1_500_000_000, 0, 21, "1,500 million dollars")),
    case("trap-label-raqm", "الجيش رقم 2 جنود"),
    case("trap-list-comma", "3,4 جنود"),
    case("trap-year-prep-en", "prices in 2022 dollars"),
    case("trap-article", "بموجب المادة 5، فهذا التزام"),
    case("trap-ordinal", "للدول الثلاثين الأعضاء"),
    case("trap-date", "7 ديسمبر 2021"),
    case("trap-date-maghreb", "وصل دجنبر 2021 جندي إلى الحدود"),
    case("trap-year-en", "In 2014 troops crossed the border"),
    case("trap-percent", "50% من الجنود"),
    case("trap-percent-words", "50 في المئة من الجنود"),
    case("trap-unit-alone", "جندي"),
    case("trap-unit-plural-alone", "انتشار الجنود على الحدود"),
    case("trap-no-unit", "100 ألف"),
    case("trap-model", "F-16 jets"),
    case("trap-ordinal-en", "30th troops"),
    case("trap-year-after-unit", "القوات 2021"),
    case("trap-newline", "حشد 100 ألف\nجندي"),
    case("trap-year-words", "عام ألفين وأربعة عشر جنود"),
    case("trap-lasta", "لست جنديا"),
]


@pytest.fixture(scope="module")
def units() -> UnitClasses:
    return load_unit_classes()


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_find_quantities(text: str, expected: list[M], units: UnitClasses) -> None:
    found = find_quantities(text, units)
    assert [(m.unit, m.value, m.start, m.end, m.text, m.lower_bound, m.qualifier) for m in found] == [
        (e.unit, float(e.value), e.start, e.end, e.text, e.lower, e.qualifier) for e in expected
    ]
    for mention in found:  # the quoted text is exactly the span of the original
        assert text[mention.start : mention.end] == mention.text


def test_table_is_large_enough() -> None:
    assert len(CASES) >= 60
    assert sum(1 for c in CASES if not c.values[1]) >= 10  # traps


def test_mentions_in_running_text_keep_order_and_offsets(units: UnitClasses) -> None:
    text = (
        "قال المتحدث إن روسيا حشدت نحو 100 ألف جندي و1200 دبابة قرب الحدود، "
        "فيما خصصت واشنطن 60 مليون دولار في عام 2021 لدعم كييف."
    )
    found = find_quantities(text, units)
    assert [(m.unit, m.value, m.text) for m in found] == [
        ("troops", 100000.0, "نحو 100 ألف جندي"),
        ("tanks", 1200.0, "1200 دبابة"),
        ("usd", 60000000.0, "60 مليون دولار"),
    ]
    assert [(m.start, m.end) for m in found] == [(26, 42), (44, 54), (84, 98)]


def test_normalized_entry_point_gives_the_same_mentions(units: UnitClasses) -> None:
    text = "حشدت روسيا أكثر من ١٠٠ ألف جنديٍّ و$60m"
    assert find_quantities_normalized(normalize(text), units) == find_quantities(text, units)


def test_mention_is_a_frozen_value() -> None:
    mention = QuantityMention(1.0, "troops", 0, 1, "x", False, None)
    with pytest.raises(AttributeError):
        mention.value = 2.0  # type: ignore[misc]


# --- seed articles (read from ../shared/corpus/seeds, never copied) --------------------


def _seed(prefix: str) -> str:
    (path,) = sorted(SEEDS_DIR.glob(f"{prefix}_*.txt"))
    return path.read_text(encoding="utf-8")


def test_seed_001_troops(units: UnitClasses) -> None:
    text = _seed("001")
    found = find_quantities(text, units)
    assert len(found) == 1
    (mention,) = found
    start = text.index("أكثر من 100 ألف جندي")
    assert (mention.unit, mention.value, mention.lower_bound, mention.qualifier) == (
        "troops",
        100000.0,
        True,
        "أكثر من",
    )
    assert (mention.start, mention.end, mention.text) == (start, start + 20, "أكثر من 100 ألف جندي")


def test_seed_003_usd_and_article_5(units: UnitClasses) -> None:
    text = _seed("003")
    found = find_quantities(text, units)
    start = text.index("60 مليون دولار")
    assert [(m.unit, m.value, m.start, m.end, m.text) for m in found] == [
        ("usd", 60000000.0, start, start + 14, "60 مليون دولار")
    ]
    article = text.index("المادة 5")
    assert not any(m.start <= article + 7 < m.end for m in found)


def test_seed_002_thirty_is_not_troops(units: UnitClasses) -> None:
    text = _seed("002")
    assert "الثلاثين" in text
    assert find_quantities(text, units) == []


@pytest.mark.parametrize("prefix", ["000", "002", "004"])
def test_seeds_without_quantities(prefix: str, units: UnitClasses) -> None:
    assert find_quantities(_seed(prefix), units) == []


def test_troops_at_least_50000_only_in_seed_001(units: UnitClasses) -> None:
    hits = [
        path.name[:3]
        for path in sorted(SEEDS_DIR.glob("*.txt"))
        if any(
            m.unit == "troops" and m.value >= 50000 for m in find_quantities(path.read_text(encoding="utf-8"), units)
        )
    ]
    assert hits == ["001"]


# --- unit classes ----------------------------------------------------------------------


def test_default_unit_classes(units: UnitClasses) -> None:
    assert units.ids == ("troops", "tanks", "aircraft", "casualties", "usd")
    assert "troops" in units and "ships" not in units
    assert units.source == str(DEFAULT_UNITS_PATH)
    assert default_unit_classes() == units


@pytest.mark.parametrize(
    ("word", "unit"),
    [
        ("جنود", "troops"),
        ("الجنود", None),
        ("جنوده", "troops"),
        ("عسكريين", "troops"),
        ("مقاتلين", "troops"),
        ("مقاتلة", "aircraft"),
        ("مقاتلات", "aircraft"),
        ("دبابات", "tanks"),
        ("دبابتين", "tanks"),
        ("طائرات", "aircraft"),
        ("قتلى", "casualties"),
        ("جرحى", "casualties"),
        ("دولارات", "usd"),
        ("Soldiers", "troops"),
        ("fighter jets", "aircraft"),
        ("أقوات", None),
        ("مليون", None),
    ],
)
def test_unit_of(word: str, unit: str | None, units: UnitClasses) -> None:
    assert units.unit_of(word) == unit


def test_custom_unit_file(tmp_path: Path) -> None:
    path = tmp_path / "units.yaml"
    path.write_text(
        "version: 1\nunits:\n  ships:\n    words: [سفينة, سفن, ship]\n"
        "  euro:\n    words: [يورو, euros]\n    prefixes: ['€']\n",
        encoding="utf-8",
    )
    custom = load_unit_classes(path)
    assert custom.ids == ("ships", "euro")
    found = find_quantities("أرسلت 12 سفينة حربية و€5 million و100 ألف جندي", custom)
    assert [(m.unit, m.value, m.text) for m in found] == [
        ("ships", 12.0, "12 سفينة"),
        ("euro", 5000000.0, "€5 million"),
    ]


def test_in_memory_unit_classes() -> None:
    classes = UnitClasses(words={"drones": ("مسيرة", "drone")})
    found = find_quantities("أطلقت 30 مسيرة و40 drones", classes)
    assert [(m.unit, m.value, m.start, m.end) for m in found] == [("drones", 30.0, 6, 14), ("drones", 40.0, 16, 25)]


@pytest.mark.parametrize(
    ("content", "line", "reason"),
    [
        ("units:\n  troops:\n    words: [جندي\n", 4, "invalid YAML"),
        ("- troops\n", 1, "expected a mapping"),
        ("version: 1\ncolour: red\nunits: {}\n", 2, "unknown key 'colour'"),
        ("version: 2\nunits:\n  troops: {words: [جندي]}\n", 1, "unsupported version 2"),
        ("version: 1\nunits: []\n", 2, "'units' must be a non-empty mapping"),
        ("units:\n  Troops!:\n    words: [جندي]\n", 2, "invalid unit id 'Troops!'"),
        ("units:\n  troops:\n    names: [جندي]\n", 3, "unknown key 'names'"),
        ("units:\n  troops:\n    prefixes: [x]\n", 2, "'words' is missing"),
        ("units:\n  troops:\n    words: []\n", 3, "'words' must be a non-empty list"),
        ("units:\n  troops:\n    words:\n      - جندي\n      - 5\n", 5, "is not a non-empty string"),
        ("units:\n  troops:\n    words:\n      - جندي\n      - ألف\n", 5, "is a number word"),
        ("units:\n  troops:\n    words:\n      - 100 men\n", 4, "contains digits"),
        ("units:\n  troops:\n    words: [جندي]\n  army:\n    words:\n      - جُندي\n", 6, "already in unit 'troops'"),
        ("units:\n  troops:\n    words: [جندي]\n  troops:\n    words: [soldier]\n", 4, "invalid YAML"),
    ],
)
def test_bad_unit_file(tmp_path: Path, content: str, line: int, reason: str) -> None:
    path = tmp_path / "bad-units.yaml"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as info:
        load_unit_classes(path)
    error = info.value
    assert (error.path, error.line) == (str(path), line)
    assert reason in error.reason
    assert str(error).startswith(f"{path}:{line}: ")


def test_missing_unit_file(tmp_path: Path) -> None:
    path = tmp_path / "nope.yaml"
    with pytest.raises(ConfigError) as info:
        load_unit_classes(path)
    assert info.value.path == str(path) and "cannot read unit classes" in info.value.reason


# --- robustness: any mix of number words, digits, units and noise -------------------------

_VOCAB = [
    "100",
    "1.5",
    "١٠٠",
    "100,000",
    "2021",
    "5",
    "ألف",
    "ألفاً",
    "آلاف",
    "الآلاف",
    "مليون",
    "مئة",
    "وخمسة",
    "وسبعين",
    "عشرات",
    "مئات",
    "نحو",
    "أكثر",
    "من",
    "جندي",
    "الجنود",
    "دولار",
    "دبابة",
    "عام",
    "المادة",
    "$",
    "%",
    "،",
    ":",
    "-",
    "\n",
    "thousand",
    "million",
    "troops",
    "of",
    "and",
    "a",
    "half",
    "ونصف",
    "جنديٍّ",
    "ـ",
    "F",
    "th",
]


@given(st.lists(st.sampled_from(_VOCAB), max_size=14), st.lists(st.sampled_from(["", " ", "  "]), max_size=14))
@settings(max_examples=300, deadline=None)
def test_any_text_gives_consistent_mentions(words: list[str], gaps: list[str]) -> None:
    units = default_unit_classes()
    text = "".join(word + (gaps[i] if i < len(gaps) else " ") for i, word in enumerate(words))
    previous_end = 0
    for mention in find_quantities(text, units):
        assert 0 <= previous_end <= mention.start < mention.end <= len(text)
        assert text[mention.start : mention.end] == mention.text
        assert mention.value > 0 and mention.unit in units
        previous_end = mention.end


_PIECES = [
    "ج",
    "ندي",
    "\u064b",
    "\u064f",
    "\u0651",
    "ـ",
    "…",
    "\u200f",
    "\u00a0",
    "ی",
    "۱",
    "٫",
    "A",
    " ",
    "\n",
    "أ",
    "ة",
]


@given(st.lists(st.sampled_from(_PIECES), min_size=1, max_size=30))
@settings(max_examples=300, deadline=None)
def test_mentions_quote_the_original_through_textnorm(pieces: list[str]) -> None:
    # the scanner maps the spans it quotes with NormalizedText.to_original (no mapper of its own)
    original = "".join(pieces) + " أكثر من 100 ألف جندي " + "".join(reversed(pieces))
    norm = normalize(original)
    units = default_unit_classes()
    for mention in find_quantities(original, units):
        assert mention.text == original[mention.start : mention.end]
        folded_start, folded_end = norm.to_folded(mention.start, mention.end)
        assert norm.to_original(folded_start, folded_end) == (mention.start, mention.end)


@pytest.mark.parametrize(
    ("text", "quoted"),
    [
        ("sent 100 troops\u0301 north", "100 troops\u0301"),
        ("أرسل 100 جندي\u0610 أمس", "100 جندي\u0610"),
        ("قتل 5 جنودٍ أمس", "5 جنودٍ"),
    ],
)
def test_a_quoted_unit_keeps_the_marks_that_fold_away(text: str, quoted: str, units: UnitClasses) -> None:
    (mention,) = find_quantities(text, units)
    assert mention.text == quoted
