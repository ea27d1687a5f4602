"""Terms: Arabic clitics and suffixes, traps, phrases, exact, English word boundaries.

Each case lists the exact set of rules that fire and, per rule, the exact evidence
(original wording; offsets are located independently in the input text)."""

from __future__ import annotations

import pytest

from streams.rules import compile_ruleset

RULES = [
    {"id": "ghazw", "when": {"terms": ["غزو"]}},
    {"id": "ghazw-exact", "when": {"terms": ["غزو"], "exact": True}},
    {"id": "quwat", "when": {"terms": ["قوات"]}},
    {"id": "putin-term", "when": {"terms": ["بوتين"]}},
    {"id": "gov", "when": {"terms": ["حكومة"]}},
    {"id": "nato-term", "when": {"terms": ["الناتو"]}},
    {"id": "tank", "when": {"terms": ["دبابة"]}},
    {"id": "nato-phrase", "when": {"terms": ["حلف شمال الأطلسي"]}},
    {"id": "english", "when": {"terms": ["invasion", "air strike"]}},
    {"id": "fighter", "when": {"terms": ["مقاتل"]}},
    {"id": "f16", "when": {"terms": ["F-16"]}},
]
RULESET = compile_ruleset(RULES, {})


def span(text: str, sub: str, nth: int = 0) -> tuple[str, int, int]:
    start = -1
    for _ in range(nth + 1):
        start = text.index(sub, start + 1)
    return sub, start, start + len(sub)


def check(text: str, expected: dict[str, list]) -> None:
    got = {m.rule.id: [(e.text, e.start, e.end) for e in m.evidence] for m in RULESET.match(text)}
    want = {
        rule: [span(text, *item) if isinstance(item, tuple) else span(text, item) for item in items]
        for rule, items in expected.items()
    }
    assert got == want
    for m in RULESET.match(text):
        for e in m.evidence:
            assert text[e.start : e.end] == e.text
            assert e.leaf == "terms"


CLITIC_CASES = [
    ("غزو", {"ghazw": ["غزو"], "ghazw-exact": ["غزو"]}),
    ("وغزو", {"ghazw": ["وغزو"]}),
    ("فغزو", {"ghazw": ["فغزو"]}),
    ("بغزو", {"ghazw": ["بغزو"]}),
    ("كغزو", {"ghazw": ["كغزو"]}),
    ("لغزو", {"ghazw": ["لغزو"]}),
    ("الغزو", {"ghazw": ["الغزو"]}),
    ("للغزو", {"ghazw": ["للغزو"]}),
    ("والغزو", {"ghazw": ["والغزو"]}),
    ("بالغزو", {"ghazw": ["بالغزو"]}),
    ("فالغزو", {"ghazw": ["فالغزو"]}),
    ("كالغزو", {"ghazw": ["كالغزو"]}),
    ("وللغزو", {"ghazw": ["وللغزو"]}),
    ("فللغزو", {"ghazw": ["فللغزو"]}),
    ("وبغزو", {"ghazw": ["وبغزو"]}),
    ("وكغزو", {"ghazw": ["وكغزو"]}),
    ("فبغزو", {"ghazw": ["فبغزو"]}),
    ("ولغزو", {"ghazw": ["ولغزو"]}),
    ("فلغزو", {"ghazw": ["فلغزو"]}),
    ("وبالغزو", {"ghazw": ["وبالغزو"]}),
    ("وقوات", {"quwat": ["وقوات"]}),
    ("للقوات", {"quwat": ["للقوات"]}),
    ("وبوتين", {"putin-term": ["وبوتين"]}),
    ("لبوتين", {"putin-term": ["لبوتين"]}),
]

SUFFIX_CASES = [
    ("غزوها", {"ghazw": ["غزوها"]}),
    ("غزوه", {"ghazw": ["غزوه"]}),
    ("غزوهم", {"ghazw": ["غزوهم"]}),
    ("غزوهما", {"ghazw": ["غزوهما"]}),
    ("غزوكم", {"ghazw": ["غزوكم"]}),
    ("غزوكن", {"ghazw": ["غزوكن"]}),
    ("غزونا", {"ghazw": ["غزونا"]}),
    ("غزوي", {"ghazw": ["غزوي"]}),
    ("غزوات", {"ghazw": ["غزوات"]}),
    ("غزوان", {"ghazw": ["غزوان"]}),
    ("غزوين", {"ghazw": ["غزوين"]}),
    ("غزوون", {"ghazw": ["غزوون"]}),
    ("غزواً", {"ghazw": ["غزواً"]}),
    ("مقاتلون", {"fighter": ["مقاتلون"]}),
    ("مقاتلين", {"fighter": ["مقاتلين"]}),
    ("مقاتلان", {"fighter": ["مقاتلان"]}),
    ("مقاتليهم", {"fighter": ["مقاتليهم"]}),
    ("قواتها", {"quwat": ["قواتها"]}),
    ("قواتنا", {"quwat": ["قواتنا"]}),
    ("قواتهم", {"quwat": ["قواتهم"]}),
    # ة becomes ت before a suffix and gives way to ات in the plural
    ("حكومة", {"gov": ["حكومة"]}),
    ("حكومته", {"gov": ["حكومته"]}),
    ("حكومتها", {"gov": ["حكومتها"]}),
    ("حكومات", {"gov": ["حكومات"]}),
    ("حكوماتهم", {"gov": ["حكوماتهم"]}),
    ("حكومتان", {"gov": ["حكومتان"]}),
    ("الحكومه", {"gov": ["الحكومه"]}),
    ("دبابتين", {"tank": ["دبابتين"]}),
    ("بالدبابات", {"tank": ["بالدبابات"]}),
]

COMBINATION_CASES = [
    ("بغزوها", {"ghazw": ["بغزوها"]}),
    ("وبغزوهم", {"ghazw": ["وبغزوهم"]}),
    ("لقواتها", {"quwat": ["لقواتها"]}),
    ("وللقوات", {"quwat": ["وللقوات"]}),
    ("وبحكومتها", {"gov": ["وبحكومتها"]}),
    ("وللحكومات", {"gov": ["وللحكومات"]}),
    ("والمقاتلين", {"fighter": ["والمقاتلين"]}),
    ("بالغزوات", {"ghazw": ["بالغزوات"]}),
]

TRAP_CASES = [
    ("أقوات الشتاء", {}),  # not قوات
    ("راسبوتين", {}),  # not بوتين
    ("أغزو", {}),
    ("الغزوية", {}),
    ("غزوتهم", {}),  # ت is not an ending of غزو
    ("استغزو", {}),
    ("سغزو", {}),  # future س is not a clitic of a noun
    ("حكوم", {}),
    ("حكومي", {}),  # an adjective, not حكومة + ي
    ("مقاتلة", {}),  # feminine form is another word
    ("قوا", {}),
    ("القو", {}),
    ("بوتينية", {}),
    ("ناتو", {}),  # the term was written with ال
    ("غ ز و", {}),
]

DEFINITE_TERM_CASES = [
    ("الناتو", {"nato-term": ["الناتو"]}),
    ("للناتو", {"nato-term": ["للناتو"]}),
    ("والناتو", {"nato-term": ["والناتو"]}),
    ("بالناتو", {"nato-term": ["بالناتو"]}),
    ("وللناتو", {"nato-term": ["وللناتو"]}),
]

PHRASE_CASES = [
    ("عضو في حلف شمال الأطلسي منذ عقود", {"nato-phrase": ["حلف شمال الأطلسي"]}),
    ("عضو في حلف شمال الأطلسى", {"nato-phrase": ["حلف شمال الأطلسى"]}),
    ("ولحلف شمال الأطلسي", {"nato-phrase": ["ولحلف شمال الأطلسي"]}),
    ("حلف  شمال\nالأطلسي", {"nato-phrase": ["حلف  شمال\nالأطلسي"]}),
    ("حلف شمال الأطلسي وحلف شمال الأطلسي", {"nato-phrase": [("حلف شمال الأطلسي", 0), "وحلف شمال الأطلسي"]}),
    ("حلف شمال. الأطلسي", {}),
    ("حلف الأطلسي", {}),
    ("شمال الأطلسي حلف", {}),
    ("حلف شمال افريقيا", {}),
]

EXACT_CASES = [
    ("بدأ غزو جديد", {"ghazw": ["غزو"], "ghazw-exact": ["غزو"]}),
    ("بدأ الغزو", {"ghazw": ["الغزو"]}),
    ("بغزوها", {"ghazw": ["بغزوها"]}),
    ("غَزْوٌ", {"ghazw": ["غَزْوٌ"], "ghazw-exact": ["غَزْوٌ"]}),
]

ENGLISH_CASES = [
    ("The invasion began", {"english": ["invasion"]}),
    ("INVASION!", {"english": ["INVASION"]}),
    ("An Invasion, then another invasion.", {"english": ["Invasion", "invasion"]}),
    ("invasions", {}),
    ("reinvasion", {}),
    ("invasion-era maps", {"english": ["invasion"]}),
    ("an air strike on the port", {"english": ["air strike"]}),
    ("an AIR  Strike", {"english": ["AIR  Strike"]}),
    ("airstrike", {}),
    ("an air. strike", {}),
    ("F-16 jets", {"f16": ["F-16"]}),
    ("f 16 jets", {"f16": ["f 16"]}),
    ("F-161", {}),
]

MIXED_CASES = [
    (
        "أكدت الحكومة أن القوات لن تشارك في أي غزو",
        {"gov": ["الحكومة"], "quwat": ["القوات"], "ghazw": ["غزو"], "ghazw-exact": ["غزو"]},
    ),
    ("«الغزو» و(غزو)", {"ghazw": ["الغزو", ("غزو", 1)], "ghazw-exact": [("غزو", 1)]}),
    ("غزو2021", {}),
]

ALL_CASES = (
    CLITIC_CASES
    + SUFFIX_CASES
    + COMBINATION_CASES
    + TRAP_CASES
    + DEFINITE_TERM_CASES
    + PHRASE_CASES
    + EXACT_CASES
    + ENGLISH_CASES
    + MIXED_CASES
)


@pytest.mark.parametrize("text, expected", ALL_CASES, ids=[c[0][:30] for c in ALL_CASES])
def test_terms(text: str, expected: dict) -> None:
    check(text, expected)


def test_offsets_index_title_and_body() -> None:
    from kernel.messages import document_text

    text = document_text("عنوان", "بدأ الغزو")
    [m] = [m for m in RULESET.match(text) if m.rule.id == "ghazw"]
    assert [(e.text, e.start, e.end) for e in m.evidence] == [("الغزو", 11, 16)]


def test_a_leaf_keeps_its_first_occurrences_up_to_the_cap() -> None:
    """A leaf gives at most MAX_OCCURRENCES_PER_LEAF occurrences: its phrases in the order
    found, the last one cut where the cap falls."""
    from streams.rules.hits import MAX_OCCURRENCES_PER_LEAF

    ruleset = compile_ruleset([{"id": "invasion", "when": {"terms": ["غزو", "اجتياح"]}}], {})
    text = "غزو " * 150 + "اجتياح " * 100
    [m] = ruleset.match(text)
    expected = [("غزو", 4 * i) for i in range(150)] + [("اجتياح", 600 + 7 * i) for i in range(50)]
    assert len(expected) == MAX_OCCURRENCES_PER_LEAF
    assert [(e.text, e.start) for e in m.evidence] == expected
