"""`marsad rules push` merges by rule id (a one-rule file must not disable the others),
`--replace` replaces, and the diff names what is added, changed and removed."""

from __future__ import annotations

from streams.rules.publish import diff_rule_sets, merge_rule_sets


def _rule(rid: str, term: str) -> dict:
    return {"id": rid, "title": rid, "when": {"terms": [term]}}


RUNNING = [_rule(rid, f"t-{rid}") for rid in ("a", "b", "c", "d", "e")]


def test_a_push_of_one_rule_keeps_the_others() -> None:
    merged, entities = merge_rule_sets(RUNNING, {"putin": {"names": ["بوتين"]}}, [_rule("c", "new")], {})
    assert [r["id"] for r in merged] == ["a", "b", "c", "d", "e"]
    assert merged[2] == _rule("c", "new")
    assert entities == {"putin": {"names": ["بوتين"]}}
    diff = diff_rule_sets(RUNNING, {}, merged, {})
    assert (diff.added, diff.changed, diff.removed, diff.unchanged) == ([], ["c"], [], 4)


def test_new_rules_are_added_after_the_running_ones() -> None:
    merged, _ = merge_rule_sets(RUNNING[:2], {}, [_rule("z", "x"), _rule("a", "t-a")], {})
    assert [r["id"] for r in merged] == ["a", "b", "z"]
    diff = diff_rule_sets(RUNNING[:2], {}, merged, {})
    assert (diff.added, diff.changed, diff.removed) == (["z"], [], [])


def test_replacing_the_set_shows_what_is_removed() -> None:
    pushed = [_rule("c", "t-c")]
    diff = diff_rule_sets(RUNNING, {"x": {"names": ["س"]}}, pushed, {})
    assert (diff.added, diff.changed, diff.removed, diff.entities_removed) == ([], [], ["a", "b", "d", "e"], ["x"])
    lines = diff.lines()
    assert lines[0] == "rules: 0 added, 0 changed, 4 removed, 1 unchanged"
    assert "  - a" in lines and "entities: 0 added, 0 changed, 1 removed" in lines


def test_key_order_is_not_a_change() -> None:
    reordered = [{"when": r["when"], "title": r["title"], "id": r["id"]} for r in RUNNING]
    assert diff_rule_sets(RUNNING, {}, reordered, {}).empty
