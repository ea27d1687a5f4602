"""Reading rules and entities files, with the line of every value kept for error messages.

A rules path is a YAML file holding one rule or a list of rules, or a directory of such
files (``*.yaml``/``*.yml``, sorted by name, not recursive). Every problem is reported as
``file:line: reason``; all problems of a set are collected before giving up, so that an
operator fixes them in one pass.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from ruamel.yaml.comments import CommentedMap, CommentedSeq

from kernel.config_files import (
    Issue,
    Located,
    Path_,
    YamlTooLarge,
    dotted,
    key_line,
    read_yaml,
    to_plain,
)
from kernel.errors import ConfigError

SCHEMA_DIR = Path(__file__).with_name("schema")


class RuleSetError(ConfigError):
    """A rule set (or entities file) is invalid; ``issues`` lists every problem found.
    ``entities`` holds what an invalid entities file defined, so that the rules using its
    valid entities can still be checked."""

    def __init__(self, issues: list[Issue], *, entities: dict[str, Any] | None = None):
        self.issues = list(issues)
        self.entities: dict[str, Any] = entities if entities is not None else {}
        first = self.issues[0] if self.issues else Issue("invalid rule set")
        super().__init__(first.reason, path=first.path, line=first.line)
        self.args = ("\n".join(str(i) for i in self.issues),)

    def __str__(self) -> str:
        return "\n".join(str(i) for i in self.issues)


@lru_cache(maxsize=2)
def schema_validator(name: str) -> Draft202012Validator:
    schema = json.loads((SCHEMA_DIR / name).read_text(encoding="utf-8"))
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema)


def rule_validator() -> Draft202012Validator:
    return schema_validator("rule.schema.json")


def entity_validator() -> Draft202012Validator:
    return schema_validator("entity.schema.json")


@dataclass
class LoadedRules:
    rules: list[dict[str, Any]] = field(default_factory=list)
    locations: list[Located] = field(default_factory=list)  # one per rule
    issues: list[Issue] = field(default_factory=list)


def rule_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))
        if not files:
            raise ConfigError("no rules files (*.yaml, *.yml) in this directory", path=str(path))
        return files
    if not path.exists():
        raise ConfigError("no such file or directory", path=str(path))
    return [path]


def schema_issues(validator: Draft202012Validator, data: Any, located: Located, prefix: Path_ = ()) -> list[Issue]:
    issues = []
    for error in sorted(validator.iter_errors(data), key=lambda e: list(map(str, e.absolute_path))):
        issues.append(_schema_issue(error, located, prefix))
    return issues


def _schema_issue(error: ValidationError, located: Located, prefix: Path_) -> Issue:
    # oneOf/anyOf errors say little; the deepest, most relevant sub-error says why.
    best = error
    while best.context:
        candidates = [e for e in best.context if e.validator not in ("type",)] or list(best.context)
        best = max(candidates, key=lambda e: len(e.absolute_path))
        if best.validator in ("oneOf", "anyOf") and not best.context:
            break
    path = tuple(prefix) + tuple(error.absolute_path)
    deeper = tuple(prefix) + tuple(best.absolute_path)
    where = dotted(deeper)
    reason = _reason(best, error)
    if best.validator == "additionalProperties":
        extra = _unknown_keys(best)
        line = key_line(located.node, located.base + deeper + (extra[0],)) if extra else None
        return Issue(
            f"{where}: unknown key {', '.join(repr(k) for k in extra)}"
            if where
            else f"unknown key {', '.join(repr(k) for k in extra)}",
            located.path,
            line or located.line_of(deeper),
        )
    line = located.line_of(deeper) or located.line_of(path)
    if best.validator == "required" and deeper:
        line = key_line(located.node, located.base + deeper) or line
    if (
        best.validator == "pattern"
        and isinstance(best.instance, str)
        and _is_key_at(located.data, deeper, best.instance)
    ):
        line = key_line(located.node, located.base + deeper + (best.instance,)) or line
        reason = f"invalid id {best.instance!r}: use 1-64 characters of a-z 0-9 _ -"
    return Issue(f"{where}: {reason}" if where else reason, located.path, line)


def _is_key_at(data: Any, path: Path_, key: str) -> bool:
    """Whether ``key`` is a key (not a value) of the mapping at ``path`` (propertyNames)."""
    for part in path:
        try:
            data = data[part]
        except (KeyError, IndexError, TypeError):
            return False
    return isinstance(data, dict) and key in data and data[key] != key


def _unknown_keys(error: ValidationError) -> list[str]:
    # an additionalProperties error always comes from an object schema, not from true/false
    allowed = set(error.schema.get("properties", {})) if isinstance(error.schema, Mapping) else set()
    if isinstance(error.instance, dict):
        return [k for k in error.instance if k not in allowed]
    return []


def _reason(best: ValidationError, top: ValidationError) -> str:
    if best.validator == "pattern" and best.absolute_path and list(best.absolute_path)[-1] == "id":
        return f"invalid id {best.instance!r}: use 1-64 characters of a-z 0-9 _ -"
    if best.validator == "required":
        return best.message.replace("is a required property", "is required")
    if best.validator == "enum" and isinstance(best.validator_value, list):
        return f"{best.instance!r} is not one of {', '.join(map(str, best.validator_value))}"
    if best.validator == "maxItems" and isinstance(best.instance, list):
        return f"{len(best.instance)} items, at most {best.validator_value} allowed"
    if best.validator == "maxLength" and isinstance(best.instance, str):
        return f"{len(best.instance)} characters, at most {best.validator_value} allowed"
    if best.validator == "minProperties":
        return "an empty condition"
    if top.validator in ("oneOf", "anyOf") and best is top:
        return f"{top.instance!r} is not a valid value here"
    return best.message


def load_rule_documents(rules_path: Path) -> LoadedRules:
    """Every rule of a file or directory, schema-checked, with its location."""
    loaded = LoadedRules()
    validator = rule_validator()
    for file in rule_files(Path(rules_path)):
        try:
            doc = read_yaml(file)
        except ConfigError as exc:
            loaded.issues.append(Issue(exc.reason, exc.path, exc.line))
            continue
        if doc is None:
            continue  # an empty file holds no rules
        if not isinstance(doc, (CommentedSeq, CommentedMap)):
            loaded.issues.append(Issue("expected a rule (a mapping) or a list of rules", str(file), 1))
            continue
        try:
            plain = to_plain(doc)  # one value budget for the whole document
        except YamlTooLarge as exc:
            loaded.issues.append(Issue(str(exc), str(file), 1))
            continue
        items: list[tuple[Any, Any, Path_]]
        if isinstance(doc, CommentedSeq):
            items = [(doc[i], plain[i], (i,)) for i in range(len(doc))]
        else:
            items = [(doc, plain, ())]
        for item, data, base in items:
            located = Located(data, doc, str(file), base)
            if not isinstance(item, CommentedMap):
                loaded.issues.append(Issue("expected a rule (a mapping)", str(file), located.line_of(())))
                continue
            issues = schema_issues(validator, located.data, located)
            if issues:
                loaded.issues.extend(issues)
                continue
            loaded.rules.append(located.data)
            loaded.locations.append(located)
    return loaded


def load_entities_document(entities_path: Path) -> tuple[dict[str, Any], Located]:
    """The entities mapping of a file, schema-checked (raises RuleSetError)."""
    doc = read_yaml(Path(entities_path))
    if doc is None:
        doc = CommentedMap()
    try:
        plain = to_plain(doc)
    except YamlTooLarge as exc:
        raise RuleSetError([Issue(str(exc), str(entities_path), 1)]) from None
    located = Located(plain, doc, str(entities_path))
    if not isinstance(doc, CommentedMap):
        raise RuleSetError([Issue("expected a mapping of entity id to entity", str(entities_path), 1)])
    issues = schema_issues(entity_validator(), located.data, located)
    if issues:
        raise RuleSetError(issues, entities=located.data if isinstance(located.data, dict) else {})
    return located.data, located
