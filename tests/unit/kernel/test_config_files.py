"""The one configuration loader: limits shared by every file, errors at file:line."""

from __future__ import annotations

from pathlib import Path

import pytest
from pydantic import BaseModel, ConfigDict

from kernel.config_files import (
    MIN_YAML_VALUES,
    YamlTooLarge,
    distinct_nodes,
    load_document,
    parse_yaml,
    plain_values,
    to_plain,
    validate_model,
    validate_plain,
)
from kernel.errors import ConfigError


def alias_bomb(levels: int, width: int = 9) -> str:
    lines = [f"a0: &a0 [{', '.join(['x'] * width)}]"]
    for n in range(1, levels):
        lines.append(f"a{n}: &a{n} [{', '.join([f'*a{n - 1}'] * width)}]")
    return "\n".join(lines) + "\n"


def test_an_alias_bomb_is_refused_quickly_with_a_small_budget() -> None:
    node = parse_yaml(alias_bomb(9), "bomb.yaml")
    assert distinct_nodes(node) < 200
    with pytest.raises(YamlTooLarge, match="expands to more than"):
        to_plain(node)


def test_a_large_document_without_bombs_fits_its_budget() -> None:
    text = "\n".join(f"- id: r{i}\n  when: {{terms: [a{i}, b{i}]}}" for i in range(3000)) + "\n"
    plain = to_plain(parse_yaml(text, "big.yaml"))
    assert len(plain) == 3000 and plain[2999] == {"id": "r2999", "when": {"terms": ["a2999", "b2999"]}}


def test_shared_anchors_are_expanded_within_the_budget() -> None:
    text = "common: &c [a, b, c]\n" + "".join(f"r{i}: *c\n" for i in range(100))
    plain = to_plain(parse_yaml(text, "shared.yaml"))
    assert plain["r99"] == ["a", "b", "c"]
    assert MIN_YAML_VALUES > 400  # 100 aliases of 3 values are far inside it


def test_nesting_beyond_the_depth_cap_is_refused() -> None:
    text = "[" * 150 + "]" * 150
    with pytest.raises(YamlTooLarge, match="nested more than"):
        to_plain(parse_yaml(text, "deep.yaml"))


def test_syntax_errors_and_duplicate_keys_name_the_line() -> None:
    with pytest.raises(ConfigError) as error:
        parse_yaml("a: 1\nb: [\n", "broken.yaml")
    assert error.value.path == "broken.yaml" and error.value.line is not None
    with pytest.raises(ConfigError) as duplicate:
        parse_yaml("a: 1\nb: 2\na: 3\n", "dup.yaml")
    assert duplicate.value.line == 3


class Poll(BaseModel):
    model_config = ConfigDict(extra="forbid")
    every: int


class Feed(BaseModel):
    model_config = ConfigDict(extra="forbid")
    id: str
    poll: Poll


def test_validate_model_points_at_the_line_of_the_bad_value(tmp_path: Path) -> None:
    path = tmp_path / "feed.yaml"
    path.write_text("id: x\npoll:\n  every: often\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        validate_model(Feed, load_document(path))
    assert (error.value.path, error.value.line) == (str(path), 3)
    assert error.value.reason.startswith("poll.every:")


def test_validate_model_reports_an_unknown_key_at_its_own_line(tmp_path: Path) -> None:
    path = tmp_path / "feed.yaml"
    path.write_text("id: x\npoll:\n  every: 5\ncolour: red\n", encoding="utf-8")
    with pytest.raises(ConfigError) as error:
        validate_model(Feed, load_document(path))
    assert error.value.line == 4 and "unknown key 'colour'" in error.value.reason


def test_plain_values_are_the_documents_values_as_builtin_types() -> None:
    text = "id: أخبار\npoll:\n  every: 5\n"
    data = plain_values(text, "feed.yaml")
    assert data == to_plain(parse_yaml(text, "feed.yaml"))
    assert type(data) is dict and type(data["poll"]) is dict and type(data["id"]) is str
    assert validate_plain(Feed, data, text, "feed.yaml") == Feed(id="أخبار", poll=Poll(every=5))


def test_validate_plain_reads_the_text_again_to_name_the_line() -> None:
    text = "id: x\npoll:\n  every: often\n"
    with pytest.raises(ConfigError) as error:
        validate_plain(Feed, plain_values(text, "feed.yaml"), text, "feed.yaml")
    assert (error.value.path, error.value.line) == ("feed.yaml", 3)
    assert error.value.reason.startswith("poll.every:")


def test_unreadable_files_are_config_errors(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="no such file"):
        load_document(tmp_path / "missing.yaml")
    bad = tmp_path / "latin1.yaml"
    bad.write_bytes(b"a: \xff\n")
    with pytest.raises(ConfigError, match="not UTF-8"):
        load_document(bad)
