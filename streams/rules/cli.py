"""`marsad rules validate | test | push`."""

from __future__ import annotations

import os
import sys
from collections.abc import Iterable, Iterator
from pathlib import Path
from typing import Any, NoReturn

import orjson
import typer

from kernel.config_files import Issue
from kernel.errors import ConfigError
from kernel.jsonl import read_jsonl, source_name
from kernel.messages import document_text
from kernel.settings import get_settings

rules_app = typer.Typer(help="Validate, test and publish watch rules.", no_args_is_help=True)

RulesPath = typer.Argument(..., help="A rules file (one rule or a list) or a directory of them.")
EntitiesOption = typer.Option(
    None,
    "--entities",
    help="Entities file (default: MARSAD_ENTITIES_PATH if set, else entities.yaml beside the rules folder "
    "as `marsad init` lays it out, else the demo's).",
)


def _entities(path: Path | None, rules: Path) -> Path | None:
    """The entities file for ``rules``: the one named, else the one configured, else the
    ``entities.yaml`` of the configuration folder that holds the rules, else the default."""
    if path is not None:
        return path
    if "MARSAD_ENTITIES_PATH" in os.environ:
        return get_settings().entities_path
    beside = (rules.parent if rules.is_dir() else rules.parent.parent) / "entities.yaml"
    if beside.is_file():
        return beside
    default = get_settings().entities_path
    return default if default.exists() else None


def _fail(issues: Iterable[Issue]) -> NoReturn:
    for issue in issues:
        print(str(issue), file=sys.stderr)
    raise typer.Exit(2)


@rules_app.command("validate")
def validate(path: Path = RulesPath, entities: Path | None = EntitiesOption) -> None:
    """Check rules against the schema and the entities, and run each rule's examples.
    Problems are printed as `file:line: reason`; the exit status is non-zero."""
    from streams.rules import RuleSetError, example_issues, load_ruleset

    entities = _entities(entities, path)
    try:
        ruleset = load_ruleset(path, entities, include_disabled=False)
        issues = example_issues(path, entities)
    except RuleSetError as exc:
        _fail(exc.issues)
    if issues:
        _fail(issues)
    total = len(ruleset.raw_rules)
    examples = sum(
        len((r.get("examples") or {}).get(k) or []) for r in ruleset.raw_rules for k in ("match", "no_match")
    )
    print(
        f"OK: {total} rules ({len(ruleset.rules)} enabled), {len(ruleset.entities)} entities, "
        f"{examples} examples hold; version {ruleset.version}"
    )


def _articles(path: Path) -> Iterator[dict[str, Any]]:
    """The input lines; ``title`` and ``text``, when given, must be strings."""
    for number, item in read_jsonl(path):
        for key in ("title", "text"):
            if not isinstance(item.get(key) or "", str):
                raise ConfigError(f"{key!r} must be a string", path=source_name(path), line=number)
        yield item


@rules_app.command("test")
def test(
    rules: Path = typer.Option(..., "--rules", help="Rules file or directory."),
    entities: Path | None = EntitiesOption,
    input: Path = typer.Option(
        ..., "--input", help='JSONL articles {"id", "title", "text", "language"?} ("-": stdin).'
    ),
) -> None:
    """Match articles against rules: one JSON line per input line, in order, with evidence
    offsets into title + "\\n\\n" + text."""
    from streams.rules import load_ruleset

    ruleset = load_ruleset(rules, _entities(entities, rules))
    out = sys.stdout.buffer
    for item in _articles(input):
        title = item.get("title") or ""
        text = document_text(title, item.get("text") or "")
        matches = ruleset.match(text, language=item.get("language"), feed=item.get("feed"), title_end=len(title))
        line = {
            "id": item.get("id"),
            "matches": [
                # region only when not the body (the default), like every other optional field
                {"rule": m.rule.id, "evidence": [e.model_dump(mode="json", exclude_defaults=True) for e in m.evidence]}
                for m in matches
            ],
        }
        out.write(orjson.dumps(line) + b"\n")
    out.flush()


@rules_app.command("push")
def push(
    path: Path = RulesPath,
    entities: Path | None = EntitiesOption,
    author: str = typer.Option("", help="Who publishes (default: the user name)."),
    replace: bool = typer.Option(
        False, "--replace", help="PATH becomes the whole rule set (default: merged into the running set by id)."
    ),
    dry_run: bool = typer.Option(False, "--dry-run", help="Print what would change; publish nothing."),
) -> None:
    """Validate (schema, entities, examples), merge into the rule set running on the rules
    topic by rule id (or with --replace take PATH as the whole set), print what changes
    (added / changed / removed) and publish; every running worker applies it within seconds."""
    from streams.rules import RuleSetError, compile_ruleset, example_issues, load_ruleset
    from streams.rules.publish import (
        default_author,
        diff_rule_sets,
        merge_rule_sets,
        publish_ruleset,
        read_latest_ruleset,
    )

    entities = _entities(entities, path)
    try:
        pushed = load_ruleset(path, entities)
        issues = example_issues(path, entities)
    except RuleSetError as exc:
        _fail(exc.issues)
    if issues:
        _fail(issues)
    settings = get_settings()
    running = read_latest_ruleset(settings).message
    running_rules, running_entities = (running.rules, running.entities) if running else ([], {})
    if replace:
        rules, all_entities = pushed.raw_rules, pushed.entities
    else:
        rules, all_entities = merge_rule_sets(running_rules, running_entities, pushed.raw_rules, pushed.entities)
    try:
        # The merged set is validated as the workers will validate it.
        ruleset = compile_ruleset(rules, all_entities)
    except RuleSetError as exc:
        _fail(exc.issues)
    if running is None:
        print(f"nothing published on {settings.topic_rules} yet: this set replaces the workers' rule files")
    diff = diff_rule_sets(running_rules, running_entities, ruleset.raw_rules, ruleset.entities)
    for line in diff.lines():
        print(line)
    if dry_run:
        print("dry run: nothing published")
        return
    if running is not None and diff.empty:
        print(f"rule set {running.ruleset_version} unchanged: nothing published")
        return
    offset = publish_ruleset(settings, ruleset.to_message(author or default_author()))
    print(
        f"pushed rule set {ruleset.version}: {len(ruleset.rules)} enabled rules, "
        f"{len(ruleset.entities)} entities to {settings.topic_rules} (offset {offset})"
    )
