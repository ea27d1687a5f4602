"""Entities: names, generated spelling variants of each kind, clitics on the first token,
and the common-word guard. Evidence names the entity and the variant that matched."""

from __future__ import annotations

import pytest

from streams.rules import compile_ruleset
from streams.rules.variants import VariantOptions, entity_variants

ENTITIES = {
    "putin": {"kind": "person", "names": ["فلاديمير بوتين", "بوتين", "Vladimir Putin", "Putin"]},
    "pentagon": {"kind": "organization", "names": ["البنتاغون", "Pentagon"]},
    "stoltenberg": {"kind": "person", "names": ["ستولتنبرغ"]},
    "peskov": {"kind": "person", "names": ["ديميتري بيسكوف", "بيسكوف"], "exclude": ["بسكوف"]},
    "zelensky": {"kind": "person", "names": ["زيلينسكي"]},
    "medvedev": {"kind": "person", "names": ["ميدفيديف"]},
    "kirby": {"kind": "person", "names": ["كيربي"]},
    "blinken": {"kind": "person", "names": ["أنتوني بلينكن"]},
    "kyiv": {"kind": "place", "names": ["كييف", "Kyiv"]},
    "hama": {"kind": "place", "names": ["حماة"]},
    "gaddafi": {"kind": "person", "names": ["غيث"], "variants": {"qaf": True}},
    "golan": {"kind": "place", "names": ["غولان"], "variants": {"generate": False}},
    "israel": {"kind": "place", "names": ["إسرائيل"]},
}
RULES = [{"id": eid, "when": {"entity": [eid]}} for eid in ENTITIES]
RULESET = compile_ruleset(RULES, ENTITIES)


def span(text: str, sub: str) -> tuple[int, int]:
    start = text.index(sub)
    return start, start + len(sub)


CASES = [
    # (text, rule, matched wording, variant) — rule None: nothing fires
    ("قال بوتين", "putin", "بوتين", "بوتين"),
    ("وبوتين", "putin", "وبوتين", "بوتين"),
    ("لبوتين", "putin", "لبوتين", "بوتين"),
    ("فلاديمير بوتين", "putin", "فلاديمير بوتين", "فلاديمير بوتين"),
    ("وفلاديمير بوتين", "putin", "وفلاديمير بوتين", "فلاديمير بوتين"),
    ("said Vladimir PUTIN", "putin", "Vladimir PUTIN", "vladimir putin"),
    ("راسبوتين", None, None, None),
    ("بوتينها", None, None, None),  # names take no suffixes
    ("Putinism", None, None, None),
    # ج/غ for a foreign G
    ("البنتاغون", "pentagon", "البنتاغون", "البنتاغون"),
    ("البنتاجون", "pentagon", "البنتاجون", "البنتاجون"),
    ("للبنتاجون", "pentagon", "للبنتاجون", "البنتاجون"),
    ("وللبنتاغون", "pentagon", "وللبنتاغون", "البنتاغون"),
    ("بالبنتاجون", "pentagon", "بالبنتاجون", "البنتاجون"),
    ("بنتاغون", None, None, None),  # the name is written with ال
    ("the Pentagon's view", "pentagon", "Pentagon", "pentagon"),
    ("ستولتنبرج", "stoltenberg", "ستولتنبرج", "ستولتنبرج"),
    ("وستولتنبرغ", "stoltenberg", "وستولتنبرغ", "ستولتنبرغ"),
    ("ستولتنبرق", None, None, None),  # ق only where configured
    ("غيث", "gaddafi", "غيث", "غيث"),
    ("جيث", "gaddafi", "جيث", "جيث"),
    ("قيث", "gaddafi", "قيث", "قيث"),
    ("جولان", None, None, None),  # generate: false
    ("غولان", "golan", "غولان", "غولان"),
    # optional long vowels
    ("ديميتري بيسكوف", "peskov", "ديميتري بيسكوف", "ديميتري بيسكوف"),
    ("دميتري بيسكوف", "peskov", "دميتري بيسكوف", "دميتري بيسكوف"),
    ("بسكوف", None, None, None),  # excluded by the entity (Pskov)
    ("زيلينسكي", "zelensky", "زيلينسكي", "زيلينسكي"),
    ("زيلنسكي", "zelensky", "زيلنسكي", "زيلنسكي"),
    ("ميدفيديف", "medvedev", "ميدفيديف", "ميدفيديف"),
    ("مدفيديف", "medvedev", "مدفيديف", "مدفيديف"),
    # ى/ي and hamza forms
    ("كيربى", "kirby", "كيربى", "كيربي"),
    ("أنتونى بلينكن", "blinken", "أنتونى بلينكن", "انتوني بلينكن"),
    ("انتوني بلينكن", "blinken", "انتوني بلينكن", "انتوني بلينكن"),
    ("بلينكن", None, None, None),  # only the full name was given
    ("اسرائيل", "israel", "اسرائيل", "اسراييل"),
    ("لإسرائيل", "israel", "لإسرائيل", "اسراييل"),
    # ة/ه
    ("حماة", "hama", "حماة", "حماة"),
    ("حماه", "hama", "حماه", "حماة"),
    # the guard: كييف never yields كيف
    ("كييف", "kyiv", "كييف", "كييف"),
    ("وكييف", "kyiv", "وكييف", "كييف"),
    ("كيف حالك", None, None, None),
    ("Kyiv", "kyiv", "Kyiv", "kyiv"),
]


@pytest.mark.parametrize("text, rule, wording, variant", CASES, ids=[c[0] for c in CASES])
def test_entity(text: str, rule: str | None, wording: str | None, variant: str | None) -> None:
    matches = RULESET.match(text)
    if rule is None:
        assert matches == []
        return
    assert [m.rule.id for m in matches] == [rule]
    [evidence] = matches[0].evidence
    start, end = span(text, wording)
    assert (evidence.leaf, evidence.text, evidence.start, evidence.end) == ("entity", wording, start, end)
    assert evidence.entity == rule
    assert evidence.variant == variant


def test_guard_drops_common_word_variants() -> None:
    result = entity_variants("kyiv", ["كييف"], VariantOptions())
    assert [v.text for v in result.variants] == ["كييف"]
    assert ("كيف", "a common Arabic word") in result.dropped


def test_longest_name_wins_in_evidence() -> None:
    text = "قال الرئيس فلاديمير بوتين إن بوتين"
    [m] = RULESET.match(text)
    assert [(e.text, e.start) for e in m.evidence] == [("فلاديمير بوتين", 11), ("بوتين", 29)]


def test_entity_list_matches_any_of_them() -> None:
    ruleset = compile_ruleset([{"id": "both", "when": {"entity": ["kirby", "kyiv"]}}], ENTITIES)
    [m] = ruleset.match("وصل كيربي إلى كييف")
    assert [(e.entity, e.text, e.start, e.end) for e in m.evidence] == [
        ("kirby", "كيربي", 4, 9),
        ("kyiv", "كييف", 14, 18),
    ]
