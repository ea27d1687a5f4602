"""Entities: names, generated spelling variants of each kind, clitics on the first token,
and the common-word guard. Evidence names the entity and the variant that matched."""

from __future__ import annotations

import pytest

from streams.rules import compile_ruleset
from streams.rules.variants import Variant, VariantOptions, entity_variants, spelling_groups

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


def test_a_name_and_its_spellings_are_one_phrase() -> None:
    """Every spelling of each word of a name, as one phrase (not one phrase per
    combination); the evidence still names the spelling that stood in the text."""
    phrases = [RULESET.phrases[pid] for pid in RULESET.entity_info["peskov"].phrases]
    # ديميتري بيسكوف: four spellings of each word; بيسكوف: four, less the excluded بسكوف
    assert [[len(spellings) for spellings in p.words] for p in phrases] == [[4, 4], [3]]
    [m] = RULESET.match("قال دمتري بسكوف")
    assert [(e.text, e.variant) for e in m.evidence] == [("دمتري بسكوف", "دمتري بسكوف")]


def test_a_dropped_combination_of_a_name_stays_dropped() -> None:
    """A name some of whose combinations are excluded is kept as its remaining spellings,
    so that the excluded one does not come back."""
    entities = {"peskov": {"kind": "person", "names": ["ديميتري بيسكوف"], "exclude": ["دميتري بسكوف"]}}
    ruleset = compile_ruleset([{"id": "p", "when": {"entity": "peskov"}}], entities)
    assert ruleset.match("قال ديميتري بسكوف") and ruleset.match("قال دمتري بيسكوف")
    assert ruleset.match("قال دمتري بسكوف") and not ruleset.match("قال دميتري بسكوف")


def test_spelling_groups() -> None:
    variants = [
        Variant(("a", "b"), False, 0),
        Variant(("a", "c"), True, 0),
        Variant(("d", "b"), True, 0),
        Variant(("d", "c"), True, 0),
        Variant(("b",), False, 1),
        Variant(("x", "y"), False, 2),
        Variant(("z", "w"), True, 2),  # not every combination of name 2: one group each
    ]
    assert spelling_groups(variants) == [
        (("a", "d"), ("b", "c")),
        (("b",),),
        (("x",), ("y",)),
        (("z",), ("w",)),
    ]


def test_an_entity_leaf_keeps_its_first_occurrences_up_to_the_cap() -> None:
    """The cap on a leaf's occurrences holds for a name of several spellings too, each
    occurrence naming the spelling that stood there."""
    names = ["دمتري بسكوف", "ديميتري بيسكوف"]
    text = " و ".join(names[i % 2] for i in range(250))
    [m] = RULESET.match(text)
    assert len(m.evidence) == 200
    assert [e.variant for e in m.evidence] == [names[i % 2] for i in range(200)]
    assert m.evidence[-1].end < len(text) - 100
