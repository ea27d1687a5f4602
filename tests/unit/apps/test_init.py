"""`marsad init DIR`: the starter configuration loads and validates exactly as written."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from typer.testing import CliRunner

from alerts.channels import load_channels
from connectors.config import load_feeds
from kernel.errors import ConfigError
from kernel.settings import Settings
from marsad.cli import app
from marsad.init import starter_files, write_starter
from marsad.run import check_configuration, default_entities
from streams.rules import example_issues, load_ruleset
from streams.rules.loader import load_entities_document, load_rule_documents

CHANNEL_ENV = {"MARSAD_WEBHOOK_SECRET": "s3cret", "MARSAD_SLACK_WEBHOOK_URL": "https://hooks.slack.com/services/T/B/x"}
CONDITION_KINDS = {"terms", "entity", "quantity", "regex", "near", "within", "all", "any", "not"}


@pytest.fixture
def starter(tmp_path: Path) -> Path:
    target = tmp_path / "conf"
    result = CliRunner().invoke(app, ["init", str(target)])
    assert result.exit_code == 0, result.output
    assert f"marsad rules validate {target / 'rules'}" in result.output
    return target


def condition_keys(condition: Any) -> set[str]:
    keys: set[str] = set()
    if isinstance(condition, dict):
        for key, value in condition.items():
            keys.add(key)
            keys |= condition_keys(value)
    elif isinstance(condition, list):
        for item in condition:
            keys |= condition_keys(item)
    return keys


def test_init_writes_every_starter_file(starter: Path) -> None:
    written = sorted(str(p.relative_to(starter)) for p in starter.rglob("*") if p.is_file())
    assert written == sorted(f.relative for f in starter_files())
    assert {"feeds.yaml", "entities.yaml", "channels.yaml"} <= set(written)
    assert sum(name.startswith("rules/") for name in written) >= 5
    # Commented: every file explains itself.
    for name in written:
        assert (starter / name).read_text(encoding="utf-8").startswith("#"), name


def test_rules_validate_passes_as_written(starter: Path) -> None:
    rules, entities = starter / "rules", starter / "entities.yaml"
    result = CliRunner().invoke(app, ["rules", "validate", str(rules), "--entities", str(entities)])
    assert result.exit_code == 0, result.output
    assert "OK:" in result.output
    assert example_issues(rules, entities) == []
    ruleset = load_ruleset(rules, entities)
    assert len(ruleset.rules) == len(ruleset.raw_rules) >= 5


def test_rules_validate_finds_the_entities_beside_the_rules_folder(
    starter: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.delenv("MARSAD_ENTITIES_PATH", raising=False)
    result = CliRunner().invoke(app, ["rules", "validate", str(starter / "rules")])
    assert result.exit_code == 0, result.output
    assert "10 entities" in result.output


def test_rules_cover_each_condition_kind_with_examples(starter: Path) -> None:
    loaded = load_rule_documents(starter / "rules")
    assert loaded.issues == []
    assert CONDITION_KINDS <= set().union(*(condition_keys(r["when"]) for r in loaded.rules))
    for rule in loaded.rules:
        examples = rule.get("examples") or {}
        assert examples.get("match") and examples.get("no_match"), rule["id"]


def test_entities_give_officials_arabic_spellings(starter: Path) -> None:
    entities, _ = load_entities_document(starter / "entities.yaml")
    people = {k: v for k, v in entities.items() if v.get("kind") == "person"}
    assert len(people) >= 5
    for entity_id, entity in people.items():
        arabic = [n for n in entity["names"] if any("\u0600" <= ch <= "\u06ff" for ch in n)]
        assert len(arabic) >= 2, f"{entity_id}: an Arabic full name and short form"


def test_channels_load_with_their_secrets_from_the_environment(starter: Path) -> None:
    channels = load_channels(starter / "channels.yaml", CHANNEL_ENV)
    assert sorted(c.type for c in channels.channels.values()) == ["slack", "webhook"]
    assert channels.defaults
    with pytest.raises(ConfigError, match="MARSAD_SLACK_WEBHOOK_URL"):
        load_channels(starter / "channels.yaml", {"MARSAD_WEBHOOK_SECRET": "s3cret"})


def test_feeds_load(starter: Path) -> None:
    feeds = load_feeds(starter / "feeds.yaml")
    assert [f.id for f in feeds] == ["example-ar", "example-en"]
    assert all(f.is_remote for f in feeds)


def test_marsad_run_accepts_the_starter_configuration(starter: Path) -> None:
    assert default_entities(starter / "rules", Settings()) == (starter / "entities.yaml").resolve()
    settings = Settings(
        feeds_path=starter / "feeds.yaml",
        rules_path=starter / "rules",
        entities_path=starter / "entities.yaml",
        channels_path=starter / "channels.yaml",
    )
    config = check_configuration(settings, CHANNEL_ENV)
    assert config.feed_ids == ["example-ar", "example-en"]
    assert sorted(config.channel_ids) == ["desk-slack", "ops-webhook"]
    assert "ceasefire" in config.rule_ids


def test_refuses_to_overwrite_without_force(starter: Path) -> None:
    feeds = starter / "feeds.yaml"
    feeds.write_text("feeds: []\n", encoding="utf-8")
    (starter / "rules" / "terms.yaml").unlink()
    result = CliRunner().invoke(app, ["init", str(starter)])
    assert result.exit_code != 0
    assert isinstance(result.exception, ConfigError)
    assert "feeds.yaml" in str(result.exception) and "--force" in str(result.exception)
    assert feeds.read_text(encoding="utf-8") == "feeds: []\n"
    assert not (starter / "rules" / "terms.yaml").exists(), "nothing is written when anything exists"
    write_starter(starter, force=True)
    assert feeds.read_text(encoding="utf-8").startswith("# feeds.yaml")
    assert (starter / "rules" / "terms.yaml").exists()
