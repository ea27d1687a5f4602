"""Realistic watch-rule sets for the benchmarks: 10, 1,000 or 10,000 rules, deterministic.

Drawn like real watch lists (our own words, from ``bench.vocabulary``): a few rules on
common news words (قوات, الحدود), many 2-4-word phrases, entity rules whose names come with
spelling variants, quantity thresholds, ``near``/``within``, boolean ``all``/``any``/``not``
and a few RE2 regexes. Most rules of a large list watch for something rare (a person, a
place, a phrase of a topic's tail), as operators' lists do, so that the firing rate stays
about 1-3 alerts per article at 1,000 rules on ``bench.workload`` articles. A quarter of
the rules alert again as their story spreads (``escalate`` at 3 and 10 sources, as the demo's
rules do): the pipeline bench's articles come from one feed per outlet, so its channels also
carry these updates.

    rules, entities = ruleset(1000)
"""

from __future__ import annotations

import random
import zlib
from functools import cache
from typing import Any

from bench.vocabulary import CORE, ENTITIES, PLACES, TOPICS
from bench.workload import vocabulary
from streams.textnorm import fold

# Rule kinds and their share of a list (common-word rules are a handful in any list).
KINDS = (
    ("phrase", 0.30),
    ("entity", 0.30),
    ("boolean", 0.17),
    ("near", 0.12),
    ("term", 0.08),
    ("topic", 0.002),
    ("quantity", 0.02),
    ("regex", 0.008),
)
# Rules on a bare common word: one per 500 rules, at most three (a list that grows adds
# names and phrases, not more rules on everyday words).
COMMON_EVERY, MAX_COMMON = 500, 3
# Rules on what the articles really write: a share of the boolean and near rules' terms are
# words of a topic's tail or phrases of the workload, and a share of the phrase rules are
# its phrases (the rest watch for names and phrases no article holds yet, as most of a long
# list does on any day). So every kind of rule fires now and then, and the firing rate stays
# about 1-3 alerts per article at 1,000 rules.
LIVE_SHARE = 0.015
LIVE_PHRASE_SHARE = 0.01
# Letters of made-up transliterated names (the people and places no article mentions yet).
_NAME_LETTERS = "بتجدرزسشفكلمنهغقطخ"
_NAME_VOWELS = "اوي"
# Rules that alert again when their story reaches more sources, and at which counts. Chosen
# by a hash of the rule's id, not by the draw, so that the rules' conditions do not change.
ESCALATING_SHARE, ESCALATE_AT = 0.25, [3, 10]
_UNITS = (("troops", 300, 200_000), ("casualties", 100, 500), ("usd", 500_000_000, 9_000_000_000), ("aircraft", 20, 50))


def _words(text: str) -> str:
    return text.replace("_", " ")


@cache
def _known_words() -> frozenset[str]:
    return frozenset(fold(w) for word, _ in vocabulary() for w in word.split())


def _made_up_name(rng: random.Random) -> str:
    """A name of 4-6 consonants with long vowels, never a word of the workload."""
    while True:
        letters = []
        for i in range(rng.randint(4, 6)):
            letters.append(rng.choice(_NAME_LETTERS))
            if i < 5 and rng.random() < 0.5:
                letters.append(rng.choice(_NAME_VOWELS))
        name = "".join(letters)
        if fold(name) not in _known_words():
            return name


class _Draw:
    """The pools a rule set is drawn from."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.common = [w for w in CORE[:30] if len(w) > 3]
        topic_words = [_words(w) for words in TOPICS.values() for w in words]
        self.frequent = topic_words[: len(topic_words) // 3] + [_words(w) for w in CORE]
        self.tail = [w for words in TOPICS.values() for w in words[len(words) // 2 :]]
        self.places = [_words(p) for p in PLACES]
        self.phrases = sorted(
            {_words(w) for words in (*TOPICS.values(), PLACES) for w in words if "_" in w}
            | {_words(name) for spellings in ENTITIES for name in spellings if "_" in name}
        )

    def rare_word(self) -> str:
        """A word no article holds yet (a made-up name)."""
        return _made_up_name(self.rng)

    def live_word(self) -> str:
        """A word of a topic's tail (in the articles about that topic, now and then)."""
        return _words(self.rng.choice(self.tail))

    def live_phrase(self) -> str:
        """A phrase the articles write (a multi-word place or term: «وقف إطلاق النار»)."""
        return self.rng.choice(self.phrases)

    def watched(self) -> str:
        """A term of a boolean or near rule: a word or phrase the articles hold, for a share
        LIVE_SHARE of them; else one no article holds yet."""
        if self.rng.random() < LIVE_SHARE:
            return self.live_phrase() if self.rng.random() < 0.2 else self.live_word()
        return self.rare_word() if self.rng.random() < 0.7 else self.phrase()

    def phrase(self) -> str:
        rng = self.rng
        n = rng.choice((2, 2, 2, 3, 3, 4))
        # A phrase often starts with an everyday word (وزير, قوات, رئيس): the case that
        # keying a phrase on its first word handles badly.
        words = [rng.choice(self.frequent)] + [self.rare_word() for _ in range(n - 1)]
        if rng.random() < 0.5:
            rng.shuffle(words)
        return " ".join(words)

    def terms(self) -> list[str]:
        return [self.watched() for _ in range(self.rng.randint(1, 4))]


def ruleset(n: int, seed: int = 0) -> tuple[list[dict[str, Any]], dict[str, dict[str, Any]]]:
    """``n`` rules and the entities they refer to (the same ``(n, seed)``, the same set)."""
    rng = random.Random(f"rules-{seed}")
    draw = _Draw(rng)
    entities: dict[str, dict[str, Any]] = {}
    # the workload's own entities (articles mention them), then made-up people
    for i, spellings in enumerate(ENTITIES):
        entities[f"known-{i}"] = {"kind": "person", "names": [_words(s) for s in spellings]}
    known = list(entities)
    kinds, weights = zip(*KINDS)
    rules: list[dict[str, Any]] = []
    commons = min(MAX_COMMON, max(1, n // COMMON_EVERY))
    for i in range(n):
        rule_id = f"r{i:05d}"
        if i * commons // n != (i + 1) * commons // n or n <= 1:
            rules.append({"id": rule_id, "when": {"terms": [draw.common[i % len(draw.common)]]}})
            continue
        kind = rng.choices(kinds, weights)[0]
        when: dict[str, Any]
        if kind == "term":
            when = {"terms": [draw.rare_word() for _ in range(rng.randint(1, 3))]}
        elif kind == "topic":
            when = {"terms": [_words(rng.choice(draw.tail))]}
        elif kind == "phrase":
            when = {
                "terms": [
                    draw.live_phrase() if rng.random() < LIVE_PHRASE_SHARE else draw.phrase()
                    for _ in range(rng.randint(1, 3))
                ]
            }
        elif kind == "entity":
            if rng.random() < 0.01:
                eid = rng.choice(known)
            else:
                eid = f"person-{i}"
                first, last = _made_up_name(rng), _made_up_name(rng)
                entities[eid] = {"kind": "person", "names": [f"{first} {last}", last]}
            when = {"entity": [eid]}
        elif kind == "boolean":
            shape = rng.random()
            if shape < 0.4:
                when = {"all": [{"terms": draw.terms()}, {"terms": [rng.choice(draw.frequent)]}]}
            elif shape < 0.7:
                when = {
                    "any": [{"terms": draw.terms()}, {"entity": [rng.choice(known)]}]
                    if rng.random() < 0.05
                    else [{"terms": draw.terms()}, {"terms": draw.terms()}]
                }
            else:
                when = {"terms": draw.terms(), "not": {"terms": [rng.choice(draw.places)]}}
        elif kind == "near":
            when = {
                "near": [{"terms": draw.terms()}, {"terms": [rng.choice(draw.frequent)]}],
                "within": rng.choice((3, 5, 8, 12)),
            }
        elif kind == "quantity":
            unit, low, high = rng.choice(_UNITS)
            quantity = {"quantity": {"unit": unit, "min": rng.randint(low, high)}}
            when = {"all": [quantity, {"terms": [rng.choice(draw.places)]}]}
        else:
            when = {
                "regex": rng.choice(
                    (r"\b(?:F|Su|MiG)-\d{2}\b", r"قرار\s+(?:رقم\s+)?\d{3,4}", r"\bS-[34]00\b", r"كورنيت|جافلين")
                )
            }
        rules.append({"id": rule_id, "title": f"Watch {i}", "when": when})
    for rule in rules:
        if zlib.crc32(rule["id"].encode()) % 100 < ESCALATING_SHARE * 100:
            rule["escalate"] = {"sources": list(ESCALATE_AT)}
    used = {e for r in rules for e in _entities_of(r["when"])}
    return rules, {k: v for k, v in entities.items() if k in used}


def _entities_of(node: Any) -> list[str]:
    if isinstance(node, dict):
        out = list(node.get("entity") or [])
        for key, value in node.items():
            if key != "entity":
                out.extend(_entities_of(value))
        return out
    if isinstance(node, list):
        return [e for item in node for e in _entities_of(item)]
    return []


def word_frequency_lines(limit: int = 4000) -> list[str]:
    """The lines of ``streams/rules/word_frequencies.txt``: the ``limit`` most frequent
    folded words of the workload's news vocabulary (our own generated text, no third-party
    text), with their share of tokens in parts per million."""
    shares: dict[str, float] = {}
    for surface, share in vocabulary():
        for word in fold(surface).split():
            shares[word] = shares.get(word, 0.0) + share
    ranked = sorted(shares.items(), key=lambda item: (-item[1], item[0]))[:limit]
    return [f"{word}\t{share * 1e6:.1f}" for word, share in ranked]


if __name__ == "__main__":
    import sys

    if sys.argv[1:] == ["--word-frequencies"]:
        print("\n".join(word_frequency_lines()))
