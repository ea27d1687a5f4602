"""The matching table of SEEDS_DIR-EXPECTED.md holds through the real `marsad rules test`
command, with the sample rules and entities the project ships; and the shipped rules
validate (their examples hold)."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from tests.support.stack import REPO_ROOT, SEEDS_DIR

REPO = REPO_ROOT
RULES = REPO / "deploy" / "demo" / "rules"
ENTITIES = REPO / "deploy" / "demo" / "entities.yaml"

# rule id → seeds it fires on (SEEDS_DIR-EXPECTED.md, "Matching"). مأرب appears only in 003's
# "read also" line: on the raw seed text it fires; the clean stage removes that line.
EXPECTED = {
    "invasion-terms": {"000", "001", "002", "003", "004"},
    "troop-buildup": {"001"},
    "large-funding": {"003"},
    "pentagon": {"003", "004"},
    "kirby": {"003"},
    "stoltenberg": {"001", "003"},
    "peskov-statements": {"000", "002"},
    "blinken": {"000", "002", "003"},
    "lavrov": {"000"},
    "marib": {"003"},
}


def _marsad(*args: str, stdin: str | None = None) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "marsad", *args], capture_output=True, text=True, cwd=REPO, input=stdin, timeout=120
    )


@pytest.fixture(scope="module")
def seed_output(tmp_path_factory) -> tuple[list[dict], list[dict]]:
    files = sorted(SEEDS_DIR.glob("*.txt"))
    assert len(files) == 5
    lines = []
    for path in files:
        title, _, text = path.read_text(encoding="utf-8").partition("\n")
        lines.append({"id": path.stem, "title": title, "text": text})
    input_path = tmp_path_factory.mktemp("seeds") / "seeds.jsonl"
    input_path.write_text("\n".join(json.dumps(x, ensure_ascii=False) for x in lines) + "\n", encoding="utf-8")
    result = _marsad("rules", "test", "--rules", str(RULES), "--entities", str(ENTITIES), "--input", str(input_path))
    assert result.returncode == 0, result.stderr
    return lines, [json.loads(line) for line in result.stdout.splitlines()]


def test_one_line_per_input_in_order(seed_output) -> None:
    lines, output = seed_output
    assert [o["id"] for o in output] == [x["id"] for x in lines]
    assert all(set(o) == {"id", "matches"} for o in output)


@pytest.mark.parametrize("rule", sorted(EXPECTED))
def test_matching_table(seed_output, rule: str) -> None:
    _, output = seed_output
    fired = {o["id"][:3] for o in output if any(m["rule"] == rule for m in o["matches"])}
    assert fired == EXPECTED[rule]


def test_no_other_rule_fires(seed_output) -> None:
    _, output = seed_output
    assert {m["rule"] for o in output for m in o["matches"]} <= set(EXPECTED)


def test_evidence_quotes_the_original_text(seed_output) -> None:
    lines, output = seed_output
    for line, out in zip(lines, output):
        document = f"{line['title']}\n\n{line['text']}"
        for match in out["matches"]:
            assert match["evidence"]
            for evidence in match["evidence"]:
                assert document[evidence["start"] : evidence["end"]] == evidence["text"]
                assert evidence["leaf"] in ("terms", "entity", "quantity", "regex")
    by_id = {o["id"][:3]: {m["rule"]: m["evidence"] for m in o["matches"]} for o in output}
    assert [(e["text"], e["value"], e["unit"]) for e in by_id["001"]["troop-buildup"]] == [
        ("أكثر من 100 ألف جندي", 100000, "troops")
    ]
    assert [(e["text"], e["value"]) for e in by_id["003"]["large-funding"]] == [("60 مليون دولار", 60000000)]
    assert by_id["003"]["pentagon"][0]["text"] == "البنتاجون"
    assert by_id["003"]["pentagon"][0]["start"] == 0
    assert by_id["000"]["peskov-statements"][0]["text"] == "دميتري بيسكوف"
    assert by_id["000"]["peskov-statements"][0]["variant"] == "دميتري بيسكوف"
    assert by_id["003"]["kirby"][0]["text"] == "جون كيربى"
    assert {e["text"] for e in by_id["004"]["invasion-terms"]} == {"بغزو", "الغزو"}
    assert {e["text"] for e in by_id["003"]["invasion-terms"]} == {"غزو", "بغزوها"}


def test_shipped_rules_validate() -> None:
    result = _marsad("rules", "validate", str(RULES), "--entities", str(ENTITIES))
    assert result.returncode == 0, result.stderr
    assert result.stdout.startswith("OK: ")


def test_rules_test_accepts_a_single_rule_file_stdin_and_language(tmp_path: Path) -> None:
    rule = tmp_path / "one.yaml"
    rule.write_text("id: en-invasion\nlanguages: [en]\nwhen:\n  terms: [invasion]\n", encoding="utf-8")
    stdin = (
        "\n".join(
            json.dumps(x, ensure_ascii=False)
            for x in [
                {"id": "a", "title": "Invasion fears", "text": "no more", "language": "en"},
                {"id": "b", "text": "an invasion"},
                {"id": "c", "title": "x", "text": "an invasion", "language": "ar"},
            ]
        )
        + "\n"
    )
    result = _marsad("rules", "test", "--rules", str(rule), "--input", "-", stdin=stdin)
    assert result.returncode == 0, result.stderr
    assert [json.loads(x) for x in result.stdout.splitlines()] == [
        {
            "id": "a",
            "matches": [
                {
                    "rule": "en-invasion",
                    "evidence": [{"leaf": "terms", "text": "Invasion", "start": 0, "end": 8, "region": "title"}],
                }
            ],
        },
        {
            "id": "b",
            "matches": [
                {"rule": "en-invasion", "evidence": [{"leaf": "terms", "text": "invasion", "start": 3, "end": 11}]}
            ],
        },
        {"id": "c", "matches": []},
    ]


def test_rules_test_reports_bad_input_line(tmp_path: Path) -> None:
    rule = tmp_path / "one.yaml"
    rule.write_text("id: r\nwhen:\n  terms: [x]\n", encoding="utf-8")
    bad = tmp_path / "in.jsonl"
    bad.write_text('{"id": "a", "text": "x"}\n{oops\n', encoding="utf-8")
    result = _marsad("rules", "test", "--rules", str(rule), "--input", str(bad))
    assert result.returncode != 0
    assert f"{bad}:2: invalid JSON" in result.stderr
    assert "Traceback" not in result.stderr
