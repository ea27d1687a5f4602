"""Validation: every problem names file, line and reason; examples are rules' own tests."""

from __future__ import annotations

from pathlib import Path

import pytest

from streams.rules import RuleSetError, compile_ruleset, load_ruleset
from tests.support.stack import REPO_ROOT

REPO = REPO_ROOT

RULES_YAML = """\
- id: good
  when:
    terms: [غزو]
- id: BAD ID!
  when:
    terms: [غزو]
- id: typo
  wehn:
    terms: [غزو]
- id: cond-typo
  when:
    all:
      - term: [غزو]
- id: unknown-entity
  when:
    entity: [putin, nobody]
- id: bad-regex
  when:
    regex: "(unclosed"
- id: lonely-within
  when:
    terms: [x]
    within: 3
- id: good
  when:
    terms: [y]
- id: sev
  severity: urgent
  when: {terms: [z]}
- id: unit
  when:
    quantity: {unit: camels, min: 5}
- id: range
  when:
    quantity: {unit: troops, min: 5, max: 1}
- id: throttle
  throttle: soon
  when: {terms: [z]}
- id: empty-terms
  when:
    terms: []
"""

EXPECTED = [
    (4, "id: invalid id 'BAD ID!'"),
    (7, "'when' is required"),
    (8, "unknown key 'wehn'"),
    (13, "when.all[0]: unknown key 'term'"),
    (16, "unknown entity 'nobody'"),
    (19, "invalid regex (RE2 syntax): missing )"),
    (23, "`within` is a modifier of `near`"),
    (24, "duplicate rule id 'good' (first defined at {path}:1)"),
    (28, "severity: 'urgent' is not one of info, low, medium, high, critical"),
    (32, "unknown unit class 'camels'"),
    (35, "min 5 is greater than max 1"),
    (37, "throttle: expected a duration"),
    (41, "when.terms: [] should be non-empty"),
]


@pytest.fixture
def bad_rules(tmp_path: Path) -> tuple[Path, Path]:
    rules = tmp_path / "rules.yaml"
    rules.write_text(RULES_YAML, encoding="utf-8")
    entities = tmp_path / "entities.yaml"
    entities.write_text("putin:\n  names: [بوتين]\n", encoding="utf-8")
    return rules, entities


def test_every_issue_has_file_line_and_reason(bad_rules) -> None:
    rules, entities = bad_rules
    with pytest.raises(RuleSetError) as info:
        load_ruleset(rules, entities)
    issues = info.value.issues
    assert len(issues) == len(EXPECTED)
    for issue, (line, reason) in zip(issues, EXPECTED):
        assert issue.path == str(rules)
        assert issue.line == line, str(issue)
        assert issue.reason.startswith(reason.format(path=rules)), str(issue)


@pytest.mark.parametrize("line, reason", EXPECTED, ids=[r for _, r in EXPECTED])
def test_cli_validate_prints_file_line_reason(bad_rules, line, reason) -> None:
    rules, entities = bad_rules
    result = _validate(rules, entities)
    assert result.exit_code != 0
    assert f"{rules}:{line}: {reason.format(path=rules)}" in result.stderr
    assert "Traceback" not in result.stderr


def _validate(*args: Path):
    """`marsad rules validate` in process (the seeds test runs the real command)."""
    from typer.testing import CliRunner

    from marsad.cli import app

    cmd = ["rules", "validate", str(args[0])]
    if len(args) > 1:
        cmd += ["--entities", str(args[1])]
    return CliRunner().invoke(app, cmd)


def test_yaml_syntax_error_names_the_line(tmp_path: Path) -> None:
    path = tmp_path / "broken.yaml"
    path.write_text("id: x\nwhen:\n  terms: [a\n", encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    [issue] = info.value.issues
    assert (issue.path, issue.line) == (str(path), 4)
    assert issue.reason.startswith("invalid YAML")


def test_entities_file_errors_name_their_line(tmp_path: Path) -> None:
    rules = tmp_path / "r.yaml"
    rules.write_text("id: r\nwhen:\n  entity: [putin]\n", encoding="utf-8")
    entities = tmp_path / "e.yaml"
    entities.write_text("putin:\n  names: [بوتين]\nBad Id:\n  names: [x]\nnobody:\n  kind: person\n", encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(rules, entities)
    text = str(info.value)
    assert f"{entities}:5: nobody: 'names' is required" in text
    assert f"{entities}:3: invalid id 'Bad Id'" in text


def test_examples_must_hold(tmp_path: Path) -> None:
    rules = tmp_path / "r.yaml"
    rules.write_text(
        'id: r\nwhen:\n  terms: [غزو]\nexamples:\n  match:\n    - "لا شيء هنا"\n    - "الغزو"\n'
        '  no_match:\n    - "بغزوها"\n',
        encoding="utf-8",
    )
    result = _validate(rules)
    assert result.exit_code != 0
    lines = result.stderr.strip().splitlines()
    assert lines == [
        f"{rules}:6: rule 'r': examples.match[0] does not fire the rule: 'لا شيء هنا'",
        f"{rules}:9: rule 'r': examples.no_match[0] fires the rule: 'بغزوها'",
    ]


def test_valid_directory_passes_with_one_line(tmp_path: Path) -> None:
    (tmp_path / "a.yaml").write_text("id: a\nwhen: {terms: [غزو]}\nexamples: {match: [لغزو]}\n", encoding="utf-8")
    (tmp_path / "b.yml").write_text(
        "- id: b\n  when: {terms: [x]}\n- id: c\n  enabled: false\n  when: {terms: [y]}\n", encoding="utf-8"
    )
    (tmp_path / "notes.txt").write_text("not rules", encoding="utf-8")
    result = _validate(tmp_path)
    assert result.exit_code == 0, result.stderr
    assert result.stdout.startswith("OK: 3 rules (2 enabled), ")
    assert len(result.stdout.strip().splitlines()) == 1


def test_raw_rules_without_files_name_the_rule() -> None:
    with pytest.raises(RuleSetError) as info:
        compile_ruleset([{"id": "BAD ID!", "when": {"terms": []}}], {})
    text = str(info.value)
    assert "rules[0] (BAD ID!)" in text and "invalid id" in text and "should be non-empty" in text


def test_disabled_rules_are_still_checked(tmp_path: Path) -> None:
    path = tmp_path / "r.yaml"
    path.write_text("id: r\nenabled: false\nwhen:\n  entity: [ghost]\n", encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    assert info.value.issues[0].line == 4
    assert "unknown entity 'ghost'" in info.value.issues[0].reason


# --- bounds (issue 17.3) ---------------------------------------------------------------------


def test_a_leaf_holds_at_most_1000_terms_and_the_check_is_quick(tmp_path: Path) -> None:
    """A 25,000-term rule is rejected at its line, in time linear in its size (measured as a
    ratio to a 2,500-term rule: no wall-clock bound)."""
    import time

    def seconds(n: int) -> float:
        path = tmp_path / f"r{n}.yaml"
        path.write_text("id: r\nwhen:\n  terms:\n" + "".join(f"    - كلمة{i}\n" for i in range(n)), encoding="utf-8")
        started = time.process_time()
        with pytest.raises(RuleSetError) as caught:
            load_ruleset(path)
        elapsed = time.process_time() - started
        (issue,) = caught.value.issues
        assert (issue.path, issue.line, issue.reason) == (str(path), 4, f"when.terms: {n} items, at most 1000 allowed")
        return elapsed

    small = min(seconds(2_500) for _ in range(3))
    big = min(seconds(25_000) for _ in range(3))
    assert big / small < 20, (big, small)
    # the largest leaf allowed compiles
    compile_ruleset([{"id": "r", "when": {"terms": [f"كلمة{i}" for i in range(1000)]}}], {})


def test_an_entity_has_at_most_100_names() -> None:
    names = [f"اسم{i}" for i in range(101)]
    with pytest.raises(RuleSetError) as caught:
        compile_ruleset([{"id": "r", "when": {"entity": "e"}}], {"e": {"names": names}})
    assert [issue.reason for issue in caught.value.issues] == ["e.names: 101 items, at most 100 allowed"]
    compile_ruleset([{"id": "r", "when": {"entity": "e"}}], {"e": {"names": names[:100]}})


def test_regions_must_be_known_and_not_empty() -> None:
    for regions, reason in (
        ([], "regions: [] should be non-empty"),
        (["sidebar"], "regions[0]: 'sidebar' is not one of title, body, aside"),
    ):
        with pytest.raises(RuleSetError) as caught:
            compile_ruleset([{"id": "r", "regions": regions, "when": {"terms": ["x"]}}], {})
        assert [issue.reason for issue in caught.value.issues] == [reason]


# --- compiled from a copy of the values ------------------------------------------------------


def test_a_loaded_rule_set_equals_the_one_compiled_with_lines() -> None:
    """``load_ruleset`` compiles a copy of the values made once the parse tree is gone (for
    memory: docs/performance.md); it is the rule set compiled from the located values."""
    from streams.rules.loader import load_entities_document, load_rule_documents

    rules, entities = REPO / "deploy/demo/rules", REPO / "deploy/demo/entities.yaml"
    ruleset = load_ruleset(rules, entities)
    loaded = load_rule_documents(rules)
    entity_values, entities_located = load_entities_document(entities)
    located = compile_ruleset(
        loaded.rules, entity_values, locations=loaded.locations, entities_located=entities_located, validated=True
    )
    assert ruleset.version == located.version
    assert ruleset.raw_rules == located.raw_rules and ruleset.entities == located.entities
    assert [rule.id for rule in ruleset.rules] == [rule.id for rule in located.rules]


def test_rules_that_pass_the_schema_but_do_not_compile_are_reported_at_their_lines(tmp_path: Path) -> None:
    """Read again with lines after the copy fails to compile: every problem of every file."""
    (tmp_path / "a.yaml").write_text("- id: a\n  when:\n    terms: [غزو]\n", encoding="utf-8")
    (tmp_path / "b.yaml").write_text(
        "- id: b\n  when:\n    regex: '(unclosed'\n- id: a\n  when: {terms: [x]}\n- id: c\n  when:\n    entity: [ghost]\n",
        encoding="utf-8",
    )
    with pytest.raises(RuleSetError) as info:
        load_ruleset(tmp_path)
    b = str(tmp_path / "b.yaml")
    assert [(i.path, i.line) for i in info.value.issues] == [(b, 3), (b, 4), (b, 8)]
    assert [i.reason.split(" (")[0].split(":")[0] for i in info.value.issues] == [
        "invalid regex",
        "duplicate rule id 'a'",
        "unknown entity 'ghost'",
    ]
