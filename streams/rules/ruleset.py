"""Loading a rule set from files or from a published message, and checking examples."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from kernel.config_files import Issue, Located, detached
from kernel.errors import ConfigError
from kernel.messages import RuleSetMessage, document_text
from streams.rules.compiler import compile_ruleset
from streams.rules.loader import LoadedRules, RuleSetError, load_entities_document, load_rule_documents
from streams.rules.matcher import CompiledRuleSet
from streams.rules.quantities import UnitClasses
from streams.rules.regions import document_spans


def load_entities(entities_path: Path | None) -> tuple[dict[str, Any], Located | None]:
    if entities_path is None:
        return {}, None
    return load_entities_document(Path(entities_path))


def load_ruleset(
    rules_path: Path,
    entities_path: Path | None = None,
    units: UnitClasses | None = None,
    *,
    include_disabled: bool = False,
) -> CompiledRuleSet:
    """Rules from a file (one rule or a list) or a directory of files, with the entities
    file; raises RuleSetError (a ConfigError) whose lines are ``file:line: reason``.

    The rules are compiled from a copy of their values made once the parse tree is gone
    (``kernel.config_files.detached``: 10k rules held 144 MB of a worker's memory, 70 MB
    compiled from the copy). Lines are needed only to report problems: rules that pass the
    schema but do not compile are read again with them."""
    rules_path = Path(rules_path)
    rules, entities = detached(lambda: _checked_values(rules_path, entities_path, units, include_disabled))
    try:
        return compile_ruleset(rules, entities, units, validated=True, include_disabled=include_disabled)
    except RuleSetError:
        pass  # reported below, with lines
    del rules, entities
    read = _read(rules_path, entities_path)
    if read.issues:  # the files changed meanwhile
        raise _every_issue(read, units, include_disabled)
    return compile_ruleset(
        read.loaded.rules,
        read.entities,
        units,
        locations=read.loaded.locations,
        entities_located=read.entities_located,
        validated=True,
        include_disabled=include_disabled,
    )


def _checked_values(
    rules_path: Path, entities_path: Path | None, units: UnitClasses | None, include_disabled: bool
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """The rules and entities as read, when the files have no problem; else RuleSetError."""
    read = _read(rules_path, entities_path)
    if read.issues:
        raise _every_issue(read, units, include_disabled)
    return read.loaded.rules, read.entities


@dataclass
class _Read:
    """Rule and entities files as read, each value with its file and line."""

    loaded: LoadedRules
    entities: dict[str, Any]
    entities_located: Located | None
    issues: list[Issue]


def _read(rules_path: Path, entities_path: Path | None) -> _Read:
    loaded = load_rule_documents(rules_path)
    issues = list(loaded.issues)
    entities: dict[str, Any] = {}
    entities_located = None
    try:
        entities, entities_located = load_entities(entities_path)
    except RuleSetError as exc:
        issues.extend(exc.issues)
        entities = dict(exc.entities)
    except ConfigError as exc:
        issues.append(Issue(exc.reason, exc.path, exc.line))
    return _Read(loaded, entities, entities_located, issues)


def _every_issue(read: _Read, units: UnitClasses | None, include_disabled: bool) -> RuleSetError:
    """The files' problems, and also the semantic problems of the rules that passed the
    schema, so that one run lists everything to fix."""
    issues = list(read.issues)
    usable = {k: v for k, v in read.entities.items() if isinstance(v, dict) and v.get("names")}
    try:
        compile_ruleset(
            read.loaded.rules,
            usable,
            units,
            locations=read.loaded.locations,
            validated=True,
            include_disabled=include_disabled,
        )
    except RuleSetError as exc:
        issues.extend(exc.issues)
    return RuleSetError(sorted(issues, key=_issue_order))


def _issue_order(issue: Issue) -> tuple[str, int]:
    return (issue.path or "", issue.line or 0)


def ruleset_from_message(msg: RuleSetMessage) -> CompiledRuleSet:
    """The rule set a RuleSetMessage carries (validated again: a worker never trusts it)."""
    return compile_ruleset(msg.rules, msg.entities)


def example_issues(
    rules_path: Path, entities_path: Path | None = None, units: UnitClasses | None = None
) -> list[Issue]:
    """Each rule's ``examples``: a ``match`` text that does not fire the rule, or a
    ``no_match`` text that does, is an issue at that example's line. Disabled rules are
    checked too. A ``story`` condition is taken as holding: examples test words."""
    loaded = load_rule_documents(Path(rules_path))
    if loaded.issues:
        raise RuleSetError(loaded.issues)
    entities, entities_located = load_entities(entities_path)
    ruleset = compile_ruleset(
        loaded.rules,
        entities,
        units,
        locations=loaded.locations,
        entities_located=entities_located,
        validated=True,
        include_disabled=True,
    )
    issues: list[Issue] = []
    for raw, located in zip(loaded.rules, loaded.locations):
        examples = raw.get("examples") or {}
        for kind, expected in (("match", True), ("no_match", False)):
            for i, example in enumerate(examples.get(kind) or []):
                title_end = 0
                if isinstance(example, str):
                    text, language, feed, filters = example, None, None, False
                else:
                    title = example.get("title", "")
                    text = document_text(title, example["text"])
                    title_end = document_spans(title, ())[0]
                    language, feed = example.get("language"), example.get("feed")
                    filters = language is not None or feed is not None
                fired = (
                    ruleset.evaluate_rule(
                        raw["id"],
                        text,
                        language=language,
                        feed=feed,
                        filters=filters,
                        title_end=title_end,
                        assume_story=True,  # an example is a text: it tests the rule's words
                    )
                    is not None
                )
                if fired != expected:
                    what = "does not fire the rule" if expected else "fires the rule"
                    issues.append(
                        Issue(
                            f"rule {raw['id']!r}: examples.{kind}[{i}] {what}: {_short(text)!r}",
                            located.path,
                            located.line_of(("examples", kind, i)),
                        )
                    )
    return issues


def _short(text: str, limit: int = 60) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"
