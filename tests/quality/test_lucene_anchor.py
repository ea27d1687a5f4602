"""The bench's industrial anchor (``bench/lucene_anchor.py``): Lucene Monitor must be given the
same rules Marsad runs, or its rate means nothing. The ``exact`` translation fires the same
rules as Marsad on texts written to exercise attached forms, a final taa, name spellings,
phrases, near and not; the ``light`` one (Lucene's own Arabic stemming) is shown to stem more.

Runs the real Java program (JDK and Maven, which the local Kafka needs too)."""

from __future__ import annotations

from typing import Any

import pytest

from bench.lucene_anchor import (
    REGEXES,
    MonitorServer,
    Translator,
    agreement,
    comparable,
    run_monitor,
    word_keys,
)
from streams.rules import compile_ruleset
from streams.rules.morphology import term_word

ENTITIES: dict[str, dict[str, Any]] = {
    "putin": {"kind": "person", "names": ["فلاديمير بوتين", "بوتين"]},
    "stoltenberg": {"kind": "person", "names": ["ستولتنبرغ"]},
}
RULES: list[dict[str, Any]] = [
    {"id": "borders", "when": {"terms": ["الحدود"]}},
    {"id": "government", "when": {"terms": ["حكومة"]}},
    {"id": "prisoners", "when": {"terms": ["الأسرى"]}},
    {"id": "putin", "when": {"entity": ["putin"]}},
    {"id": "stoltenberg", "when": {"entity": ["stoltenberg"]}},
    {"id": "phrase", "when": {"terms": ["وقف إطلاق النار"]}},
    {"id": "near", "when": {"near": [{"terms": ["قوات"]}, {"terms": ["الحدود"]}], "within": 3}},
    {"id": "not", "when": {"terms": ["هجوم"], "not": {"terms": ["تدريب"]}}},
    {"id": "all", "when": {"all": [{"terms": ["اجتماع"]}, {"entity": ["putin"]}]}},
    {"id": "jets", "when": {"regex": r"\b(?:F|Su|MiG)-\d{2}\b"}},
]
DOCUMENTS = [
    "وصلت قوات إضافية إلى الحدود الشرقية صباح اليوم",  # near (2 words apart), borders
    "انتشرت قوات الجيش في المدن ثم تحركت بعد أيام طويلة نحو الحدود",  # borders, not near
    "أعلنت المنطقة الحدودية حالة الطوارئ",  # الحدودية is not الحدود
    "قالت حكومتها إن الحكومات المتعاقبة وعدت بالكثير",  # government (attached forms)
    "عادت الأسرة إلى منزلها بعد الحرب",  # الأسرة is not الأسرى
    "أفرج عن الأسرى في صفقة تبادل",  # prisoners
    "وقال بوتين في اجتماع مع وزرائه",  # putin, all
    "والتقى فلاديمير بوتين الأمين العام ستولتنبرج",  # putin, stoltenberg (generated spelling)
    "أعلن الطرفان وقف إطلاق النار مساء الأحد",  # phrase
    "وقف الحوار ثم إطلاق النار",  # not the phrase
    "وقع هجوم على قافلة",  # not
    "وقع هجوم خلال تدريب عسكري",  # not: excluded
    "صد الجيش هجومهم الأخير",  # not (a suffix on a word without the article)
    "حلقت طائرات F-16 فوق المدينة",  # regex (not compared)
]


def _marsad_fired() -> list[set[str]]:
    compiled = compile_ruleset(RULES, ENTITIES)
    return [{m.rule.id for m in compiled.match(text)} for text in DOCUMENTS]


def test_word_keys_follow_the_rule_word_spec() -> None:
    # a word written with the article requires it; any suffix may follow
    assert word_keys(term_word("الحدود", exact=False)) == ["A0:حدود", "AS:حدود"]
    # a final taa: its core leaves the taa out, and only the taa's remainders follow
    assert word_keys(term_word("حكومة", exact=False)) == ["0T:حكوم", "PT:حكوم", "AT:حكوم"]
    # a name's later word takes neither prefix nor suffix
    assert word_keys(term_word("بوتين", exact=False, first=False, entity=True)) == ["00:بوتين"]


def test_translation_of_conditions() -> None:
    light = Translator(ENTITIES, "light")
    near = light.node({"near": [{"terms": ["قوات"]}, {"terms": ["الحدود"]}], "within": 3})
    # Marsad counts the distance from the last token of one to the first of the other;
    # a span slop counts the positions between them
    assert near["slop"] == 2
    assert light.node({"terms": ["هجوم"], "not": {"terms": ["تدريب"]}}) == {
        "and": [{"or": [{"seq": [["هجوم"]]}]}],
        "not": [{"or": [{"seq": [["تدريب"]]}]}],
    }
    quantity = light.node({"quantity": {"unit": "troops", "min": 1000}})
    assert {"seq": [["جندي"]]} in quantity["or"]
    assert set(REGEXES) >= {r"\b(?:F|Su|MiG)-\d{2}\b"}
    assert comparable(RULES[0]["when"]) and not comparable(RULES[-1]["when"])
    assert not comparable({"all": [{"quantity": {"unit": "troops"}}, {"terms": ["x"]}]})


def test_unknown_conditions_are_refused() -> None:
    translator = Translator(ENTITIES, "exact")
    with pytest.raises(ValueError, match="regex"):
        translator.node({"regex": "غير معروف"})
    with pytest.raises(ValueError, match="story"):
        translator.node({"story": {"min_sources": 3}})
    with pytest.raises(ValueError, match="mode"):
        Translator(ENTITIES, "stemmed")


def test_exact_translation_fires_what_marsad_fires_and_light_stems_more() -> None:
    out = run_monitor(
        {"exact": (RULES, ENTITIES, "exact"), "light": (RULES, ENTITIES, "light")},
        warm_up=DOCUMENTS[:3],
        documents=DOCUMENTS,
        slices=1,
        warm_up_passes=1,
    )
    marsad = _marsad_fired()
    # the texts do exercise the rules
    assert marsad[0] == {"near", "borders"}
    assert marsad[2] == set() and marsad[4] == set()
    assert marsad[7] == {"putin", "stoltenberg"}
    assert marsad[11] == set() and marsad[12] == {"not"} and marsad[13] == {"jets"}
    exact = out["sets"]["exact"]
    assert [set(ids) for ids in exact["matches"]] == marsad
    assert agreement(RULES, marsad, exact["matches"]) == (1.0, 0, 0)
    assert exact["rate"] > 0
    light = [set(ids) for ids in out["sets"]["light"]["matches"]]
    # Lucene's light stemmer: الحدودية → حدود, الأسرة → اسر like الأسرى
    assert "borders" in light[2] and "prisoners" in light[4]
    share, only_marsad, only_lucene = agreement(RULES, marsad, out["sets"]["light"]["matches"])
    assert share < 1.0 and only_lucene >= 2


def test_slices_timed_in_any_order_give_each_article_its_own_matches() -> None:
    # bench_match asks for Lucene's slices between its own timings, Lucene first in odd
    # slices: the matches must still come back in the articles' order
    sets = {"exact": (RULES, ENTITIES, "exact")}
    documents = DOCUMENTS[:14]
    with MonitorServer(sets, DOCUMENTS[:3], documents, slices=2, warm_up_passes=1) as server:
        seconds = [server.slice_seconds("exact", k) for k in (1, 0)]
        out = server.finish()
    assert all(s >= 0 for s in seconds)
    assert out["sets"]["exact"]["slice_seconds"] == [seconds[1], seconds[0]]
    assert [set(ids) for ids in out["sets"]["exact"]["matches"]] == _marsad_fired()[:14]


def test_a_slice_never_timed_is_an_error_not_a_rate() -> None:
    sets = {"exact": (RULES, ENTITIES, "exact")}
    with MonitorServer(sets, DOCUMENTS[:3], DOCUMENTS[:14], slices=2, warm_up_passes=1) as server:
        server.slice_seconds("exact", 0)
        with pytest.raises(RuntimeError, match="process ended"):
            server.finish()
