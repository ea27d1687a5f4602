"""The unit gate skips stretches without a wanted unit word and changes no wanted mention;
quantity thresholds fire the same leaves as testing every leaf."""

from __future__ import annotations

import re

from streams.rules.model import QuantityLeaf
from streams.rules.quantities import UnitGate, default_unit_classes, find_quantities_normalized
from streams.rules.quantities.stretches import MAX_ANCHORS, anchors, digit_runs
from streams.rules.thresholds import QuantityThresholds
from streams.textnorm import normalize

TEXTS = [
    "قتل 12 شخصا وأصيب 30 جنديا، وفي عام 2014 وصل 100 ألف من الجنود و3 مليارات دولار",
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
