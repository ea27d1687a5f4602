"""Loading a rule set from files or from a published message, and checking examples."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from kernel.config_files import Issue, Located
from kernel.errors import ConfigError
from kernel.messages import RuleSetMessage, document_text
from streams.rules.compiler import compile_ruleset
from streams.rules.loader import RuleSetError, load_entities_document, load_rule_documents
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
    file; raises RuleSetError (a ConfigError) whose lines are ``file:line: reason``."""
    loaded = load_rule_documents(Path(rules_path))
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
    if issues:
        # Also report the semantic problems of the rules that passed the schema, so that
        # one run lists everything to fix.
        usable = {k: v for k, v in entities.items() if isinstance(v, dict) and v.get("names")}
        try:
            compile_ruleset(
                loaded.rules,
                usable,
                units,
                locations=loaded.locations,
                validated=True,
                include_disabled=include_disabled,
            )
        except RuleSetError as exc:
            issues.extend(exc.issues)
        raise RuleSetError(sorted(issues, key=_issue_order))
    return compile_ruleset(
        loaded.rules,
        entities,
        units,
        locations=loaded.locations,
        entities_located=entities_located,
        validated=True,
        include_disabled=include_disabled,
    )


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
