"""The ``story`` leaf: a story reported by at least N distinct outlets whose first report
falls in the window ending at the article's time; alone or combined; validated with
file:line; examples test the words of a combined rule."""

from __future__ import annotations

from pathlib import Path

import pytest
from typer.testing import CliRunner

from kernel.messages import StoryOutlet, StoryRef
from marsad.cli import app
from streams.rules import RuleSetError, compile_ruleset, load_ruleset
from streams.rules.compiler import STORY_THROTTLE_SECONDS
from streams.rules.story import StoryContext, event_time

T = 1_800_000_000.0
BREAKING = {"id": "breaking", "when": {"story": {"min_sources": 5, "within": "30m"}}}


def story(*minutes_before: float, at: float = T) -> StoryContext:
    """A story whose outlets first reported it these many minutes before ``at``."""
    outlets = [StoryOutlet(name=f"site{i}.example", first_seen=at - m * 60) for i, m in enumerate(minutes_before)]
    return StoryContext(StoryRef(id="s", sources=len(outlets), outlets=outlets), at_time=at)


def fired(rules: list[dict], context: StoryContext | None, text: str = "خبر عادي عن الطقس") -> list[str]:
    return [m.rule.id for m in compile_ruleset(rules, {}).match(text, story=context)]


def test_fires_at_the_threshold_and_not_below() -> None:
    assert fired([BREAKING], story(0, 2, 4, 6, 8)) == ["breaking"]
    assert fired([BREAKING], story(0, 2, 4, 6)) == []
    assert fired([BREAKING], None) == []  # no story known: it cannot hold


def test_only_first_reports_inside_the_window_count() -> None:
    # one outlet first reported 31 minutes before: four inside 30 minutes
    assert fired([BREAKING], story(0, 2, 4, 6, 31)) == []
    assert fired([BREAKING], story(0, 2, 4, 6, 30)) == ["breaking"]  # the edge is inside
    # reports arrive out of order: the window ends at the latest first report when it is
    # later than the article (the earliest report of a burst may be the last to arrive)
    assert fired([BREAKING], story(0, -2, -4, -6, -8)) == ["breaking"]
    assert fired([BREAKING], story(0, -2, -4, -6, -31)) == []
    # a report long after the burst is outside it
    assert fired([BREAKING], story(60, 62, 64, 66, 68)) == []


def test_the_window_ends_at_the_published_time_else_when_seen() -> None:
    assert event_time("2024-05-14T08:30:00Z", 1.0) == 1715675400.0
    assert event_time("2024-05-14T08:30:00", 1.0) == 1715675400.0  # no zone: UTC
    assert event_time("2024-05-14", 1.0) == 1715688000.0  # a date alone: its noon
    assert event_time(None, 12.5) == 12.5 and event_time("not a date", 12.5) == 12.5
    outlets = [StoryOutlet(name=f"s{i}", first_seen=1715675400.0 - i * 60) for i in range(5)]
    ref = StoryRef(id="s", sources=5, outlets=outlets)
    published = StoryContext(ref, published="2024-05-14T08:30:00Z", seen_at=T)
    assert published.at == 1715675400.0 and published.outlets_within(1800) == 5
    # seen much later and undated: the reports are out of its window
    assert StoryContext(ref, seen_at=T).outlets_within(1800) == 0


def test_combined_it_narrows_a_rule_and_alone_needs_no_words() -> None:
    rules = [
        BREAKING,
        {"id": "breaking-fire", "when": {"all": [{"story": {"min_sources": 3, "within": "1h"}}, {"terms": ["حريق"]}]}},
        {"id": "quiet", "when": {"not": {"story": {"min_sources": 3, "within": "1h"}}}},
    ]
    text = "حريق في مصنع للغزل"
    assert fired(rules, story(0, 1, 2), text) == ["breaking-fire"]
    assert fired(rules, story(0, 1, 2, 3, 4), text) == ["breaking", "breaking-fire"]
    assert fired(rules, story(0, 1), text) == ["quiet"]
    assert fired(rules, story(0, 1, 2)) == []  # the words are missing


def test_a_story_holds_in_every_region_and_gives_no_evidence() -> None:
    rule = {**BREAKING, "regions": ["body"]}
    [match] = compile_ruleset([rule], {}).match("عنوان\n\nنص", title_end=5, story=story(0, 1, 2, 3, 4))
    assert match.rule.id == "breaking" and match.evidence == []


def test_story_rules_alert_once_per_story_by_default() -> None:
    ruleset = compile_ruleset(
        [BREAKING, {**BREAKING, "id": "hourly", "throttle": "1h"}, {"id": "w", "when": {"terms": ["x"]}}], {}
    )
    by_id = {r.id: r for r in ruleset.rules}
    assert by_id["breaking"].throttle_seconds == STORY_THROTTLE_SECONDS == 2 * 86400
    assert by_id["hourly"].throttle_seconds == 3600
    assert by_id["breaking"].story_rule and not by_id["w"].story_rule
    assert by_id["w"].throttle_seconds == 0
    assert ruleset.uses_story


def test_leaves_with_the_same_settings_are_one_leaf() -> None:
    ruleset = compile_ruleset(
        [BREAKING, {**BREAKING, "id": "again", "when": {"story": {"min_sources": 5, "within": 1800}}}], {}
    )
    assert len(ruleset.leaves) == 1


@pytest.mark.parametrize(
    "leaf, line, reason",
    [
        (
            "{min_sources: 65, within: 30m}",
            3,
            "min_sources 65 can never be reached: a story keeps its first 64 outlets",
        ),
        ("{min_sources: 5, within: soon}", 3, "within: expected a duration"),
        ("{min_sources: 5, within: 0}", 3, "within: a duration must be positive"),
        ("{min_sources: 1, within: 30m}", 3, "1 is less than the minimum of 2"),
        ("{min_sources: 5}", 3, "when.story: 'within' is required"),
        ("{min_sources: 5, within: 30m, feeds: 2}", 3, "when.story: unknown key 'feeds'"),
    ],
)
def test_invalid_story_leaves_name_file_and_line(tmp_path: Path, leaf: str, line: int, reason: str) -> None:
    path = tmp_path / "r.yaml"
    path.write_text(f"id: r\nwhen:\n  story: {leaf}\n", encoding="utf-8")
    with pytest.raises(RuleSetError) as info:
        load_ruleset(path)
    [issue] = info.value.issues
    assert issue.path == str(path) and issue.line == line, str(issue)
    assert reason in issue.reason, str(issue)


def test_a_story_is_not_a_near_item() -> None:
    rule = {"id": "r", "when": {"near": [{"story": {"min_sources": 2, "within": 60}}, {"terms": ["x"]}]}}
    with pytest.raises(RuleSetError, match="each `near` item must be one leaf"):
        compile_ruleset([rule], {})


def test_examples_of_a_combined_rule_test_its_words(tmp_path: Path) -> None:
    rules = tmp_path / "r.yaml"
    rules.write_text(
        "id: r\nwhen:\n  all:\n    - story: {min_sources: 3, within: 1h}\n    - terms: [حريق]\n"
        "examples:\n  match: [حريق في مصنع]\n  no_match: [مطر غزير]\n",
        encoding="utf-8",
    )
    result = CliRunner().invoke(app, ["rules", "validate", str(rules)])
    assert result.exit_code == 0, result.stderr
    rules.write_text(rules.read_text(encoding="utf-8").replace("no_match: [مطر غزير]", "no_match: [حريق كبير]"))
    result = CliRunner().invoke(app, ["rules", "validate", str(rules)])
    assert result.exit_code != 0 and "examples.no_match[0] fires the rule" in result.stderr


def test_shipped_breaking_rule_is_enabled_in_demo_and_compose() -> None:
    from tests.support.stack import REPO_ROOT

    for folder in ("deploy/demo", "deploy/compose"):
        ruleset = load_ruleset(REPO_ROOT / folder / "rules", REPO_ROOT / "deploy/demo/entities.yaml")
        [rule] = [r for r in ruleset.rules if r.story_rule]
        assert rule.id == "breaking-story" and rule.enabled
        assert rule.escalate_at_sources == [10, 20]
