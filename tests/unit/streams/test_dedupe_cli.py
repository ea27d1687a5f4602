"""`marsad dedupe test`: output format, order, and one-line errors naming file and line."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

import pytest

from kernel.errors import ConfigError
from streams.dedupe.cli import read_articles
from tests.support.dedupe_corpus import EVENTS, STORY_CLUSTERS
from tests.support.stack import REPO_ROOT

REPO = REPO_ROOT
SEEDS = REPO.parent / "shared" / "corpus" / "seeds"


def write_jsonl(path: Path, rows: list) -> Path:
    path.write_text(
        "\n".join(r if isinstance(r, str) else json.dumps(r, ensure_ascii=False) for r in rows) + "\n", encoding="utf-8"
    )
    return path


def run_cli(path: Path) -> subprocess.CompletedProcess:
    return subprocess.run(
        [sys.executable, "-m", "marsad", "dedupe", "test", "--input", str(path)],
        capture_output=True,
        text=True,
        cwd=REPO,
        timeout=120,
    )


@pytest.mark.parametrize(
    ("line", "reason"),
    [
        ("{not json", "invalid JSON"),
        ("[1, 2]", "expected a JSON object"),
        ('{"title": "t", "text": "x"}', '"id" is missing'),
        ('{"id": "a", "title": 3, "text": "x"}', '"title" is not a string'),
        ('{"id": "a", "title": "t", "text": "x", "url": 5}', '"url" must be a string or null'),
        ('{"id": " ", "title": "t", "text": "x"}', '"id" is empty'),
    ],
)
def test_bad_lines_name_file_line_and_reason(tmp_path: Path, line: str, reason: str) -> None:
    path = write_jsonl(tmp_path / "in.jsonl", [{"id": "ok", "title": "t", "text": "x"}, "", line])
    with pytest.raises(ConfigError) as info:
        list(read_articles(path))
    assert str(info.value).startswith(f"{path}:3: ")
    assert reason in str(info.value)


def test_cli_error_is_one_line_without_traceback(tmp_path: Path) -> None:
    path = write_jsonl(tmp_path / "bad.jsonl", [{"id": "a", "title": "t", "text": "x"}, '{"id": "b"}'])
    result = run_cli(path)
    assert result.returncode != 0
    assert result.stdout == ""
    assert result.stderr.strip() == f'marsad: error: {path}:2: "title" is missing'


def test_cli_prints_one_line_per_input_in_order(tmp_path: Path) -> None:
    seeds = sorted(SEEDS.glob("*.txt"))
    rows = []
    for p in seeds:
        text = p.read_text(encoding="utf-8")
        rows.append(
            {"id": p.name[:3], "title": text.splitlines()[0], "text": text, "url": f"https://o.example/{p.name[:3]}"}
        )
    text4 = seeds[4].read_text(encoding="utf-8")
    rows.append(
        {
            "id": "004-again",
            "title": text4.splitlines()[0],
            "text": text4,
            "url": "https://elsewhere.example/x",
            "feed": "other",
        }
    )
    original, rewrite = EVENTS[0]
    rows.append({"id": "flood", "title": original.title, "text": original.text, "published": original.published})
    rows.append(
        {
            "id": "flood-copy",
            "title": "عاجل: " + original.title,
            "text": original.text.replace("في", "فى"),
            "feed": "copier",
            "published": original.published,
        }
    )
    rows.append({"id": "flood-rewrite", "title": rewrite.title, "text": rewrite.text, "feed": "rival"})
    result = run_cli(write_jsonl(tmp_path / "in.jsonl", rows))
    assert result.returncode == 0, result.stderr
    out = [json.loads(line) for line in result.stdout.splitlines()]
    assert [o["id"] for o in out] == [r["id"] for r in rows]
    assert all(list(o)[:3] == ["id", "duplicate_of", "story"] for o in out)
    by_id = {o["id"]: o for o in out}
    assert [by_id[k]["duplicate_of"] for k in ("000", "001", "002", "003", "004")] == [None] * 5
    assert by_id["004-again"]["duplicate_of"] == "004"
    assert by_id["004-again"]["story"] == by_id["004"]["story"]  # a copy takes its original's story
    assert by_id["flood-copy"]["duplicate_of"] == "flood"
    assert by_id["flood-rewrite"]["duplicate_of"] is None


def test_cli_takes_published_times_into_stories_and_prints_outlets(tmp_path: Path) -> None:
    """One event by two outlets joins when published hours apart, not three days apart;
    each line lists the story's outlets (URL host without www., else the feed)."""
    first, rewrite = STORY_CLUSTERS[0][:2]

    def rows(published: str) -> list[dict[str, str]]:
        return [
            {"id": "a", "title": first.title, "text": first.text, "url": "https://www.alpha.example/1"},
            {"id": "b", "title": rewrite.title, "text": rewrite.text, "feed": "beta", "published": published},
        ]

    def decide(published: str) -> list[dict]:
        lines = rows(published)
        lines[0]["published"] = first.published
        result = run_cli(write_jsonl(tmp_path / "in.jsonl", lines))
        assert result.returncode == 0, result.stderr
        return [json.loads(line) for line in result.stdout.splitlines()]

    near = decide(rewrite.published)
    assert near[1]["story"] == "a"
    assert [o["name"] for o in near[1]["story_outlets"]] == ["alpha.example", "beta"]
    far = decide("2024-05-17T11:45:00Z")
    assert far[1]["story"] == "b" and [o["name"] for o in far[1]["story_outlets"]] == ["beta"]
