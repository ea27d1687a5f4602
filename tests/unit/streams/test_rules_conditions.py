"""all / any / not, near + within, regex, quantities, languages and feeds filters."""

from __future__ import annotations

import pytest

from streams.rules import compile_ruleset

ENTITIES = {
    "putin": {"names": ["بوتين", "Putin"]},
    "kremlin": {"names": ["الكرملين", "Kremlin"]},
}
RULES = [
    {"id": "all-of", "when": {"all": [{"terms": ["غزو"]}, {"entity": ["putin"]}]}},
    {"id": "any-of", "when": {"any": [{"terms": ["اجتياح"]}, {"entity": ["kremlin"]}]}},
    {"id": "invasion-not-drill", "when": {"terms": ["غزو"], "not": {"terms": ["مناورات"]}}},
    {"id": "not-list", "when": {"terms": ["قمة"], "not": [{"terms": ["رياضة"]}, {"terms": ["جبل"]}]}},
    {"id": "near3", "when": {"near": [{"terms": ["غزو"]}, {"entity": ["putin"]}], "within": 3}},
    {"id": "near-default", "when": {"near": [{"terms": ["هجوم"]}, {"terms": ["مسيرة"]}]}},
    {"id": "regex-code", "when": {"regex": r"قرار رقم \d{3,4}"}},
    {"id": "regex-hamza", "when": {"regex": "أوكراني(ا|ة)"}},
    {"id": "en-only", "languages": ["en"], "when": {"terms": ["summit", "قمة"]}},
    {"id": "ar-feed", "languages": ["ar"], "feeds": ["sahil-news"], "when": {"terms": ["سد"]}},
    {"id": "troops", "when": {"quantity": {"unit": "troops", "min": 50000}}},
    {"id": "usd-range", "when": {"quantity": {"unit": "usd", "min": 1000000, "max": 100000000}}},
    {
        "id": "near-quantity",
        "when": {"near": [{"quantity": {"unit": "troops", "min": 1000}}, {"entity": ["kremlin"]}], "within": 4},
    },
]
RULESET = compile_ruleset(RULES, ENTITIES)


def matched(text: str, **kw) -> dict[str, list[tuple]]:
    return {m.rule.id: [(e.leaf, e.text, e.start, e.end) for e in m.evidence] for m in RULESET.match(text, **kw)}


def ev(text: str, leaf: str, sub: str, nth: int = 0) -> tuple:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return (leaf, sub, start, start + len(sub))


BOOLEAN_CASES = [
    (
        "بوتين يهدد بغزو",
        lambda t: {
            "all-of": [ev(t, "entity", "بوتين"), ev(t, "terms", "بغزو")],
            "near3": [ev(t, "entity", "بوتين"), ev(t, "terms", "بغزو")],
            "invasion-not-drill": [ev(t, "terms", "بغزو")],
        },
    ),
    ("مناورات تحاكي صد غزو", lambda t: {}),
    ("غزو محتمل", lambda t: {"invasion-not-drill": [ev(t, "terms", "غزو")]}),
    ("بيان الكرملين", lambda t: {"any-of": [ev(t, "entity", "الكرملين")]}),
    ("اجتياح الكرملين", lambda t: {"any-of": [ev(t, "terms", "اجتياح"), ev(t, "entity", "الكرملين")]}),
    ("قمة الرياضة", lambda t: {}),
    ("قمة الجبل", lambda t: {}),
    ("قمة الزعيمين", lambda t: {"not-list": [ev(t, "terms", "قمة")]}),
]

NEAR_CASES = [
    # within 3: positions differ by at most 3 tokens
    ("غزو ا ب بوتين", {"near3"}),
    ("غزو ا ب ج بوتين", set()),
    ("بوتين ا ب لغزو", {"near3"}),
    ("بوتين ا ب ج د لغزو", set()),
    # default within (10)
    ("هجوم " + "ا " * 9 + "مسيرة", {"near-default"}),
    ("هجوم " + "ا " * 10 + "مسيرة", set()),
]

REGEX_CASES = [
    ("صدر قرار رقم 2231 اليوم", [("regex", "قرار رقم 2231")]),
    ("صدر قرار رقم ٢٢٣١ اليوم", [("regex", "قرار رقم ٢٢٣١")]),  # Arabic-Indic digits fold
    ("صدر قرار رقم 22", None),
    ("دعم أوكرانيا", [("regex", "أوكرانيا")]),  # pattern and text hamza both fold
    ("دعم اوكرانيا", [("regex", "اوكرانيا")]),
    ("الحكومة الأوكرانية", [("regex", "أوكرانية")]),
]


@pytest.mark.parametrize("text, expected", BOOLEAN_CASES, ids=[c[0] for c in BOOLEAN_CASES])
def test_boolean(text, expected) -> None:
    assert matched(text) == expected(text)


@pytest.mark.parametrize("text, rules", NEAR_CASES, ids=[c[0] for c in NEAR_CASES])
def test_near(text, rules) -> None:
    got = {r for r in matched(text) if r.startswith("near")}
    assert got == rules


@pytest.mark.parametrize("text, expected", REGEX_CASES, ids=[c[0] for c in REGEX_CASES])
def test_regex(text, expected) -> None:
    got = {k: v for k, v in matched(text).items() if k.startswith("regex")}
    if expected is None:
        assert got == {}
        return
    [(rule, evidence)] = got.items()
    leaf, sub = expected[0]
    assert evidence == [ev(text, leaf, sub)]


FILTER_CASES = [
    ("قمة الرياض", {"language": "en"}, {"en-only", "not-list"}),
    ("قمة الرياض", {"language": "ar"}, {"not-list"}),
    ("the summit", {}, {"en-only"}),  # language detected from the text
    ("the summit", {"language": "en-GB"}, {"en-only"}),
    ("قمة", {}, {"not-list"}),
    ("افتتاح سد جديد", {"language": "ar", "feed": "sahil-news"}, {"ar-feed"}),
    ("افتتاح سد جديد", {"language": "ar", "feed": "other"}, set()),
    ("افتتاح سد جديد", {"language": "ar"}, set()),  # no feed: a feed filter cannot hold
    ("افتتاح سد جديد", {"language": "en", "feed": "sahil-news"}, set()),
]


@pytest.mark.parametrize("text, kw, rules", FILTER_CASES, ids=[f"{c[0]}-{c[1]}" for c in FILTER_CASES])
def test_filters(text, kw, rules) -> None:
    assert set(matched(text, **kw)) == rules


QUANTITY_CASES = [
    (
        "حشد الكرملين أكثر من 100 ألف جندي",
        {"troops": "أكثر من 100 ألف جندي", "near-quantity": "أكثر من 100 ألف جندي", "any-of": None},
        100000,
    ),
    ("نشر ١٢٠٬٠٠٠ جندي", {"troops": "١٢٠٬٠٠٠ جندي"}, 120000),
    ("more than 100,000 troops", {"troops": "more than 100,000 troops"}, 100000),
    ("خمسين ألف جندي", {"troops": "خمسين ألف جندي"}, 50000),
    ("40 ألف جندي", {}, None),
    ("100 ألف دولار", {}, None),  # not a troop count, and below the usd minimum
    ("60 مليون دولار", {"usd-range": "60 مليون دولار"}, 60000000),
    ("500 مليون دولار", {}, None),  # above max
    ("عام 2021", {}, None),  # a year is never a quantity
]


@pytest.mark.parametrize("text, expected, value", QUANTITY_CASES, ids=[c[0] for c in QUANTITY_CASES])
def test_quantity(text, expected, value) -> None:
    matches = {m.rule.id: m.evidence for m in RULESET.match(text)}
    assert set(matches) == set(expected)
    for rule, wording in expected.items():
        if wording is None:
            continue  # fires through another leaf
        [q] = [e for e in matches[rule] if e.leaf == "quantity"]
        start = text.index(wording)
        assert (q.text, q.start, q.end, q.value) == (wording, start, start + len(wording), value)


def test_near_with_quantity_needs_the_entity_close_by() -> None:
    text = "الكرملين " + "ا " * 6 + "حشد 5000 جندي"
    assert "near-quantity" not in matched(text)
    text = "الكرملين حشد 5000 جندي"
    assert matched(text)["near-quantity"] == [ev(text, "entity", "الكرملين"), ev(text, "quantity", "5000 جندي")]


def test_rule_fields_and_defaults() -> None:
    ruleset = compile_ruleset(
        [
            {
                "id": "r1",
                "when": {"terms": ["x"]},
                "throttle": "1h30m",
                "notify": ["ops-slack"],
                "escalate": {"sources": [10, 3]},
                "severity": "critical",
                "languages": ["AR"],
            },
            {"id": "r2", "when": {"terms": ["y"]}},
            {"id": "r3", "enabled": False, "when": {"terms": ["z"]}},
        ],
        {},
    )
    r1, r2 = ruleset.rules
    assert (r1.title, r1.severity, r1.throttle_seconds, r1.notify, r1.escalate_at_sources, r1.languages) == (
        "r1",
        "critical",
        5400.0,
        ["ops-slack"],
        [3, 10],
        ["ar"],
    )
    assert (r2.severity, r2.enabled, r2.throttle_seconds, r2.notify, r2.languages, r2.feeds) == (
        "medium",
        True,
        0.0,
        [],
        None,
        None,
    )
    assert [r["id"] for r in ruleset.raw_rules] == ["r1", "r2", "r3"]


def test_version_is_a_content_hash_and_message_round_trips() -> None:
    from streams.rules import ruleset_from_message

    again = compile_ruleset(RULES, ENTITIES)
    assert again.version == RULESET.version
    other = compile_ruleset(RULES[:3], ENTITIES)
    assert other.version != RULESET.version
    message = RULESET.to_message(author="tester")
    restored = ruleset_from_message(type(message).from_bytes(message.to_bytes()))
    assert restored.version == RULESET.version
    assert [r.id for r in restored.rules] == [r["id"] for r in RULES]
    assert matched("بوتين يهدد بغزو") == {
        m.rule.id: [(e.leaf, e.text, e.start, e.end) for e in m.evidence] for m in restored.match("بوتين يهدد بغزو")
    }
