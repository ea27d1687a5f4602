"""The unit gate skips stretches without a wanted unit word that a number can reach and
changes no wanted mention; quantity thresholds fire the same leaves as testing every leaf."""

from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from streams.rules.model import QuantityLeaf
from streams.rules.quantities import UnitClasses, UnitGate, default_unit_classes, find_quantities_normalized
from streams.rules.quantities.stretches import MAX_ANCHORS, anchors, digit_runs
from streams.rules.thresholds import QuantityThresholds
from streams.textnorm import normalize

TEXTS = [
    "قتل 12 شخصا وأصيب 30 جنديا، وفي عام 2014 وصل 100 ألف من الجنود و3 مليارات دولار",
    "نشر (1,500) جندي وخسائر (15) مليون دولار و(20) طائرة",  # bracketed numbers
    "وصلت بقوات 5000 إلى الحدود، ثم 40 طائرة مقاتلة و$60 million in aid",
    "في 2021 سجلت 7 حالات و15 مصابا بقواتها",
]


def test_gate_keeps_every_mention_of_the_wanted_units() -> None:
    units = default_unit_classes()
    for wanted in (["troops"], ["usd"], ["aircraft", "casualties"], ["troops", "usd", "aircraft", "casualties"]):
        gate = UnitGate(units, wanted)
        for text in TEXTS:
            norm = normalize(text)
            full = [m for m in find_quantities_normalized(norm, units) if m.unit in wanted]
            gated = [m for m in find_quantities_normalized(norm, units, gate) if m.unit in wanted]
            assert gated == full, (wanted, text)


def test_gate_skips_numbers_with_no_wanted_unit() -> None:
    units = default_unit_classes()
    norm = normalize("في عام 2014 قتل 12 شخصا")
    assert find_quantities_normalized(norm, units, UnitGate(units, ["usd"])) == []
    assert UnitGate(units, ["troops"]).unit_starts(normalize("وصلت بقوات كبيرة").text) == []


@pytest.mark.parametrize(
    "text",
    [
        "قتل 5 مدنيين في حين انتشرت قوات الامن",  # an Arabic word between number and unit
        "في عام 2014، قوات",  # a comma
        "قوات الجيش 100",  # the unit word before the number
        "وصلت بقوات 5000 إلى الحدود",  # inside a longer word
    ],
)
def test_gate_drops_unit_words_no_number_reaches(text: str) -> None:
    units = default_unit_classes()
    gate = UnitGate(units, ["troops"])
    assert gate.unit_starts(normalize(text).text) == []
    assert find_quantities_normalized(normalize(text), units, gate) == []


@pytest.mark.parametrize(
    ("text", "unit"),
    [
        ("نشرت 5 قوات", "troops"),
        ("أكثر من 100 ألف جندي", "troops"),
        ("حشد مئة ألف من الجنود", "troops"),
        ("sent 100 of the troops", "troops"),
        ("100,000 Russian elite troops", "troops"),
        ("عشرات الآلاف من الجنود", "troops"),
        ("a $60m aid package", "usd"),
        ("USD 5 million", "usd"),
        ("60m dollars", "usd"),
    ],
)
def test_gate_keeps_unit_words_a_number_reaches(text: str, unit: str) -> None:
    units = default_unit_classes()
    norm = normalize(text)
    gate = UnitGate(units, [unit])
    assert gate.unit_starts(norm.text) != []
    found = find_quantities_normalized(norm, units, gate)
    assert found == find_quantities_normalized(norm, units) and [m.unit for m in found] == [unit]


def test_gate_drops_no_unit_word_when_a_prefix_folds_to_no_token() -> None:
    # "_" is no token: every number is a eur amount, in the stretches the gate reads
    units = UnitClasses(words={"troops": ("قوات",), "eur": ("يورو",)}, prefixes={"eur": ("€", "_")})
    norm = normalize("قال 100 رجل ان قوات وصلت")
    gate = UnitGate(units, ["troops", "eur"])
    assert find_quantities_normalized(norm, units, gate) == find_quantities_normalized(norm, units) != []


# numbers, unit words (with and without ال), what may stand between them, and what may not
_GATE_VOCAB = [
    "100",
    "100,000",
    "5",
    "2014",
    "ألف",
    "آلاف",
    "الآلاف",
    "عشرات",
    "مئة",
    "وخمسين",
    "ثلاثة",
    "مليون",
    "مليار",
    "نصف",
    "a",
    "half",
    "million",
    "thousand",
    "m",
    "bn",
    "k",
    "من",
    "of",
    "the",
    "Russian",
    "elite",
    "and",
    "جندي",
    "الجنود",
    "جنود",
    "قوات",
    "القوات",
    "بقوات",
    "دولار",
    "dollars",
    "troops",
    "soldiers",
    "طائرة",
    "قتيلا",
    "$",
    "us",
    "usd",
    "نحو",
    "أكثر",
    "على",
    "الأقل",
    "عام",
    "الحدود",
    "مدنيين",
    "،",
    ",",
    "-",
    ":",
    "\n",
    "\x00",  # the automaton's space key is a space and a NUL
]


@given(
    st.lists(st.sampled_from(_GATE_VOCAB), max_size=16),
    st.lists(st.sampled_from(["", " ", "  ", " ", "\u00a0"]), max_size=16),
)
@settings(max_examples=400, deadline=None)
def test_gate_keeps_every_wanted_mention_of_any_text(words: list[str], gaps: list[str]) -> None:
    units = default_unit_classes()
    text = "".join(word + (gaps[i] if i < len(gaps) else " ") for i, word in enumerate(words))
    norm = normalize(text)
    full = find_quantities_normalized(norm, units)
    for wanted in (["troops"], ["usd"], ["troops", "usd", "aircraft", "casualties"]):
        gated = find_quantities_normalized(norm, units, UnitGate(units, wanted))
        assert [m for m in gated if m.unit in wanted] == [m for m in full if m.unit in wanted], (wanted, text)


def test_thresholds_fire_the_leaves_a_value_satisfies() -> None:
    leaves = [
        (0, QuantityLeaf("troops", 100, None)),
        (1, QuantityLeaf("troops", 5000, None)),
        (2, QuantityLeaf("troops", None, None)),
        (3, QuantityLeaf("troops", 10, 50)),
        (4, QuantityLeaf("troops", 60, 70)),
    ]
    thresholds = QuantityThresholds(leaves)
    for values in ([], [5.0], [30.0], [100.0], [65.0, 4999.0], [5000.0], [1e9]):
        expected = sorted(lid for lid, leaf in leaves if any(leaf.accepts(v) for v in values))
        assert sorted(lid for lid, _ in thresholds.fired(values)) == expected, values


DIGIT_EDGE_CASES = [
    "",
    "0",
    "abc",
    "12 ألف و٣٠٠ جندي، 1,500,000 و2.5",
    "x9\ud800" + "7" * 20 + "\U0001d7d9" + "²3",  # a lone surrogate, an astral digit, a superscript
    " 1" * (MAX_ANCHORS + 5),
    "1 " * 512,  # as many digits as are grouped in Python
    "12" * 256 + " 3",  # one more: grouped by numpy
]


def test_digit_runs_are_the_ascii_digit_runs() -> None:
    for text in DIGIT_EDGE_CASES:
        for padded in (text, text + " " * 2000):  # short texts take a regex, long ones numpy
            expected = [m.span() for m in re.finditer("[0-9]+", padded)][:MAX_ANCHORS]
            assert digit_runs(padded) == expected, padded[:40]


def test_gate_finds_the_anchors_of_the_stretches() -> None:
    units = default_unit_classes()
    gate = UnitGate(units, ["troops", "usd"])
    for text in [*TEXTS, *DIGIT_EDGE_CASES, "ثلاثة آلاف جندي " * (MAX_ANCHORS // 2 + 10)]:
        folded = normalize(text).text
        unit_starts, found = gate.scan(folded)
        assert unit_starts == gate.unit_starts(folded)
        if unit_starts:
            assert found == anchors(folded)
