"""Coverage-guided fuzzing with atheris (by hand, not part of ``make test``).

    .venv/bin/pip install atheris==2.3.0
    .venv/bin/python -m tests.fuzz.atheris_harness feed    [libFuzzer flags, e.g. -max_total_time=300 corpus/]
    .venv/bin/python -m tests.fuzz.atheris_harness text    ...
    .venv/bin/python -m tests.fuzz.atheris_harness rules   ...

``feed`` hands raw bytes to parse_feed (only FeedParseError may escape); ``text`` decodes
the bytes and checks normalize / find_quantities / clean_article (offsets inside the text,
quoted wording equal to text[start:end]); ``rules`` matches a fixed rule set with every leaf
kind against the decoded text and checks evidence spans. A crash prints the input and
writes it to crash-<hash> for a regression test.
"""

from __future__ import annotations

import sys

import atheris

with atheris.instrument_imports():
    from connectors.parse import parse_feed
    from kernel.errors import FeedParseError
    from streams.clean import clean_article
    from streams.rules import compile_ruleset
    from streams.rules.quantities import default_unit_classes, find_quantities
    from streams.textnorm import normalize

UNITS = default_unit_classes()
RULESET = compile_ruleset(
    [
        {"id": "terms", "when": {"terms": ["غزو", "اجتياح", "invasion", "حلف شمال الأطلسي"]}},
        {"id": "entity", "when": {"entity": ["putin"]}},
        {"id": "quantity", "when": {"quantity": {"unit": "troops", "min": 1000}}},
        {"id": "near", "when": {"near": [{"terms": ["قوات"]}, {"quantity": {"unit": "tanks"}}], "within": 5}},
        {"id": "regex", "when": {"regex": r"\d+ ?%"}},
        {"id": "not", "when": {"terms": ["روسيا"], "not": {"terms": ["مناورات"]}}},
    ],
    {"putin": {"kind": "person", "names": ["فلاديمير بوتين", "بوتين", "Putin"]}},
)


def _text(data: bytes) -> str:
    return atheris.FuzzedDataProvider(data).ConsumeUnicodeNoSurrogates(len(data))


def fuzz_feed(data: bytes) -> None:
    try:
        parse_feed(data, base_url="https://example.org/feed")
    except FeedParseError:
        pass


def fuzz_text(data: bytes) -> None:
    text = _text(data)
    norm = normalize(text)
    offsets = norm.offsets
    assert len(offsets) == len(norm.text) + 1 and offsets[-1] == len(text)
    start, end = norm.to_original(0, len(norm.text))
    assert 0 <= start <= end <= len(text)
    for mention in find_quantities(text, UNITS):
        assert text[mention.start : mention.end] == mention.text
    clean_article(title=text[:50], content=text, content_type="text/plain")


def fuzz_rules(data: bytes) -> None:
    text = _text(data)
    for match in RULESET.match(text):
        for evidence in match.evidence:
            assert 0 <= evidence.start <= evidence.end <= len(text)
            assert text[evidence.start : evidence.end] == evidence.text


TARGETS = {"feed": fuzz_feed, "text": fuzz_text, "rules": fuzz_rules}

if __name__ == "__main__":
    if len(sys.argv) < 2 or sys.argv[1] not in TARGETS:
        sys.exit(f"usage: python -m tests.fuzz.atheris_harness {{{'|'.join(TARGETS)}}} [libFuzzer flags]")
    target = TARGETS[sys.argv.pop(1)]
    atheris.Setup(sys.argv, target)
    atheris.Fuzz()
