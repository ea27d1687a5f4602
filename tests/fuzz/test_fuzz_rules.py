"""Fuzzing the rule engine: random rule sets matched against hostile text, and random
(valid-ish and broken) rules through validation, as dicts and as YAML files.

Properties: matching never raises and every evidence span satisfies
``0 <= start <= end <= len(text)`` and ``text[start:end] == evidence.text``; validation
either succeeds or raises ConfigError (RuleSetError) whose issues name the file and the
line when the rules came from a file. Each bug fuzzing found is pinned by a regression
test at the end.
"""

from __future__ import annotations

import math
import subprocess
import sys
import tempfile
from io import StringIO
from pathlib import Path
from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st
from ruamel.yaml import YAML

from kernel.errors import ConfigError
from kernel.messages import document_text
from streams.rules import RuleSetError, compile_ruleset, load_ruleset
from streams.rules.morphology import words_of
from tests.support.stack import REPO_ROOT
from tests.support.strategies import (
    LANGUAGES,
    entities,
    examples,
    hostile_text,
    mutated_rule,
    rules_yaml,
    valid_ruleset,
)


def _check_evidence(text: str, matches: list) -> None:
    for match in matches:
        assert match.evidence is not None
        for evidence in match.evidence:
            assert 0 <= evidence.start <= evidence.end <= len(text), evidence
            assert text[evidence.start : evidence.end] == evidence.text, evidence
            if evidence.leaf in ("terms", "entity", "quantity"):
                assert evidence.text.strip(), evidence  # a word or a number is never empty
            if evidence.value is not None:
                assert math.isfinite(evidence.value) and evidence.value >= 0


def _compile_or_reject(rules: list[dict[str, Any]], ents: dict[str, Any]):
    try:
        return compile_ruleset(rules, ents)
    except RuleSetError as exc:
        assert exc.issues and all(issue.reason for issue in exc.issues)
        event("rule set rejected")
        return None


@given(
    valid_ruleset(),
    st.lists(st.tuples(hostile_text(max_tokens=30), hostile_text(max_tokens=6)), min_size=1, max_size=3),
    LANGUAGES,
)
@examples(60)
def test_matching_never_raises_and_evidence_quotes_the_text(
    ruleset_source: tuple[list[dict[str, Any]], dict[str, Any]],
    articles: list[tuple[str, str]],
    language: str | None,
) -> None:
    rules, ents = ruleset_source
    ruleset = _compile_or_reject(rules, ents)
    if ruleset is None:
        return
    event("rule set compiled")
    for body, title in articles:
        text = document_text(title, body)
        matches = ruleset.match(text, language=language, feed="fuzz")
        assert [m.rule.id for m in matches] == sorted({m.rule.id for m in matches}, key=[r["id"] for r in rules].index)
        _check_evidence(text, matches)
        if matches:
            event("rule fired")
        # Matching is a pure function of the text.
        again = ruleset.match(text, language=language, feed="fuzz")
        assert [(m.rule.id, m.evidence) for m in again] == [(m.rule.id, m.evidence) for m in matches]


@given(
    st.lists(st.one_of(st.just("x"), hostile_text(max_tokens=4, long_runs=False)), min_size=1, max_size=4),
    hostile_text(),
)
@examples(60)
def test_terms_built_from_the_text_find_it(words: list[str], text: str) -> None:
    """A rule whose terms are pieces of hostile text fires on a text that holds one of
    them, written word by word, and its evidence quotes the text."""
    terms = [w for w in words if w.strip()]
    if not terms:
        return
    ruleset = _compile_or_reject(
        [{"id": "t", "when": {"terms": terms}}, {"id": "e", "when": {"terms": terms, "exact": True}}], {}
    )
    if ruleset is None:
        return
    written = [" ".join(words_of(term)) for term in terms]
    whole = " ".join([text, *written])
    matches = ruleset.match(whole)
    assert [m.rule.id for m in matches] == ["t", "e"], (whole, terms)
    _check_evidence(whole, matches)


@given(st.data())
@examples(80)
def test_compile_ruleset_accepts_or_raises_rule_set_error(data: st.DataObject) -> None:
    ents = data.draw(
        st.one_of(
            entities(),
            st.dictionaries(
                st.text(max_size=6),
                st.none()
                | st.integers()
                | st.text(max_size=4)
                | st.fixed_dictionaries({"names": st.lists(st.text(max_size=5))}),
                max_size=3,
            ),
        )
    )
    entity_ids = [key for key in ents if isinstance(key, str)]
    rules = data.draw(st.lists(mutated_rule(entity_ids), max_size=4))
    try:
        ruleset = compile_ruleset(rules, ents)
    except RuleSetError as exc:
        assert exc.issues
        for issue in exc.issues:
            assert issue.reason, issue
        event("rejected")
        return
    event("accepted")
    text = document_text("روسيا تحشد", "وحشد الكرملين أكثر من 100 ألف جندي قرب الحدود x 5 tanks")
    _check_evidence(text, ruleset.match(text))


def _dump(value: Any) -> str:
    yaml = YAML(typ="safe", pure=True)
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    out = StringIO()
    yaml.dump(value, out)
    return out.getvalue()


def _load_in(directory: Path, rules_text: str, entities_text: str | None) -> None:
    """load_ruleset on files holding the texts; asserts the documented failure shape."""
    rules_path = directory / "rules.yaml"
    rules_path.write_text(rules_text, encoding="utf-8", errors="surrogatepass")
    entities_path = None
    if entities_text is not None:
        entities_path = directory / "entities.yaml"
        entities_path.write_text(entities_text, encoding="utf-8")
    files = {str(rules_path), str(entities_path)}
    try:
        load_ruleset(rules_path, entities_path)
    except RuleSetError as exc:
        assert exc.issues
        for issue in exc.issues:
            assert issue.path in files, issue
            assert issue.reason, issue
            # Every problem inside a parsed document has a line; only a file that cannot be
            # read or parsed as a whole may lack one.
            if issue.line is None:
                assert issue.reason.startswith(("invalid YAML", "not UTF-8", "cannot read", "no such file")), issue
            else:
                assert (
                    1
                    <= issue.line
                    <= (rules_text if issue.path == str(rules_path) else entities_text or "").count("\n") + 2
                )
            assert str(issue).startswith(f"{issue.path}:{issue.line}: " if issue.line else f"{issue.path}: ")
        event("rejected")
        return
    except ConfigError as exc:
        assert exc.path in files, exc
        event("config error")
        return
    event("accepted")


@given(
    rules_yaml(),
    st.one_of(
        st.none(),
        st.sampled_from(
            [
                "putin:\n  kind: person\n  names: [بوتين, Putin]\n",
                "x: 1\n",
                "- a\n",
                "Bad Id:\n  names: [x]\n",
                "putin:\n  names: []\n",
                "[",
                "putin:\n  names: [بوتين]\n  variants: {g: maybe}\n",
            ]
        ),
    ),
)
@examples(120)
def test_load_ruleset_from_yaml_names_file_and_line(rules_text: str, entities_text: str | None) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        _load_in(Path(tmp), rules_text, entities_text)


@given(st.data())
@examples(60)
def test_generated_rules_round_trip_through_yaml_files(data: st.DataObject) -> None:
    ents = data.draw(entities())
    rules = data.draw(st.lists(mutated_rule(sorted(ents)), min_size=1, max_size=3))
    try:
        rules_text = _dump(rules if data.draw(st.booleans()) or len(rules) != 1 else rules[0])
        entities_text = _dump(ents) if ents else None
    except Exception:  # not representable as YAML (e.g. a non-str key): nothing to load
        return
    with tempfile.TemporaryDirectory() as tmp:
        _load_in(Path(tmp), rules_text, entities_text)


def _load_text(tmp_path: Path, text: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(text, encoding="utf-8")
    try:
        load_ruleset(path)
    except ConfigError:
        pass  # a clean validation error is fine; anything else fails the test


@pytest.mark.parametrize(
    "text",
    [
        "id: r\nwhen:\n  quantity: {unit: troops, min: 1.5}\n",
        "id: r\nthrottle: 1.5\nwhen: {terms: [x]}\n",
    ],
)
def test_float_in_rules_yaml_loads(tmp_path: Path, text: str) -> None:
    _load_text(tmp_path, text)


def test_huge_integer_in_rules_yaml_is_a_validation_error(tmp_path: Path) -> None:
    """`within` is at most 1000 tokens (the schema's documented maximum)."""
    path = tmp_path / "r.yaml"
    path.write_text(
        "id: r\nwhen:\n  near: [{terms: [a]}, {terms: [b]}]\n  within: 99999999999999999999999\n", encoding="utf-8"
    )
    with pytest.raises(RuleSetError) as caught:
        load_ruleset(path)
    (issue,) = caught.value.issues
    assert issue.line == 4
    assert issue.reason.startswith("when.within: ") and issue.reason.endswith("is greater than the maximum of 1000")


def test_huge_integer_in_rule_dict_is_a_validation_error() -> None:
    """Quantity bounds lie between 0 and 10^15, the largest amount the parser reads: a
    bound beyond it could never be met."""
    with pytest.raises(RuleSetError) as caught:
        compile_ruleset([{"id": "r", "when": {"quantity": {"unit": "troops", "min": 10**30}}}], {})
    assert [issue.reason for issue in caught.value.issues] == [
        f"when.quantity.min: {10**30} is greater than the maximum of 1000000000000000.0"
    ]
    # the largest bound still compiles
    compile_ruleset([{"id": "r", "when": {"quantity": {"unit": "troops", "min": 10**15}}}], {})


def test_yaml_alias_bomb_is_rejected_quickly(tmp_path: Path) -> None:
    lines = ['a0: &a0 ["x","x","x","x","x","x","x","x","x"]']
    for level in range(1, 7):
        lines.append(f"a{level}: &a{level} [" + ",".join([f"*a{level - 1}"] * 9) + "]")
    path = tmp_path / "bomb.yaml"
    path.write_text("\n".join(lines) + "\nid: r\nwhen: {terms: *a6}\n", encoding="utf-8")
    # In a child process with a memory cap, so that the bug cannot take this one down.
    script = (
        "import resource, sys; resource.setrlimit(resource.RLIMIT_AS, (1 << 30, resource.RLIM_INFINITY))\n"
        "from pathlib import Path; from streams.rules import load_ruleset; from kernel.errors import ConfigError\n"
        "try: load_ruleset(Path(sys.argv[1]))\nexcept ConfigError: pass\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script, str(path)],
        capture_output=True,
        text=True,
        timeout=3,
        cwd=REPO_ROOT,
    )
    assert done.returncode == 0, done.stderr[-500:]
