"""Reading rules and entities files, with the line of every value kept for error messages.

A rules path is a YAML file holding one rule or a list of rules, or a directory of such
files (``*.yaml``/``*.yml``, sorted by name, not recursive). Every problem is reported as
``file:line: reason``; all problems of a set are collected before giving up, so that an
operator fixes them in one pass.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path
from typing import Any

from jsonschema import Draft202012Validator
from jsonschema.exceptions import ValidationError
from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import MarkedYAMLError, YAMLError

from marsad.errors import ConfigError

SCHEMA_DIR = Path(__file__).with_name("schema")
Path_ = tuple[str | int, ...]


@dataclass(frozen=True)
class Issue:
    """One problem: where (file and line when known) and why."""

    reason: str
    path: str | None = None
    line: int | None = None

    def __str__(self) -> str:
        if self.path and self.line:
            return f"{self.path}:{self.line}: {self.reason}"
        if self.path:
            return f"{self.path}: {self.reason}"
        return self.reason


class RuleSetError(ConfigError):
    """A rule set (or entities file) is invalid; ``issues`` lists every problem found."""

    def __init__(self, issues: list[Issue]):
        self.issues = list(issues)
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
class Located:
    """A loaded document plus the file it came from; ``line_of`` finds a value's line."""

    data: Any  # plain Python data (dict/list/str/...)
    node: Any  # the ruamel node (carries line numbers)
    path: str
    base: Path_ = ()  # where ``data`` sits inside ``node``

    def line_of(self, path: Path_) -> int | None:
        return line_of(self.node, self.base + tuple(path))


@dataclass
class LoadedRules:
    rules: list[dict[str, Any]] = field(default_factory=list)
    locations: list[Located] = field(default_factory=list)  # one per rule
    issues: list[Issue] = field(default_factory=list)


def line_of(node: Any, path: Path_) -> int | None:
    """1-based line of the value at ``path`` inside a ruamel document (the closest known)."""
    line: int | None = None
    current = node
    for key in path:
        if isinstance(current, CommentedMap) and key in current:
            try:
                line = current.lc.value(key)[0] + 1
            except (KeyError, TypeError, AttributeError):
                line = current.lc.line + 1
            child = current[key]
        elif isinstance(current, CommentedSeq) and isinstance(key, int) and 0 <= key < len(current):
            try:
                line = current.lc.item(key)[0] + 1
            except (KeyError, TypeError, AttributeError):
                line = current.lc.line + 1
            child = current[key]
        else:
            break
        current = child
    else:
        if isinstance(current, (CommentedMap, CommentedSeq)) and current.lc.line is not None:
            line = current.lc.line + 1 if line is None else line
    if line is None and isinstance(node, (CommentedMap, CommentedSeq)):
        line = node.lc.line + 1
    return line


def key_line(node: Any, path: Path_) -> int | None:
    """1-based line of the *key* at the end of ``path`` (for "unknown key" errors)."""
    parent = node
    for key in path[:-1]:
        try:
            parent = parent[key]
        except (KeyError, IndexError, TypeError):
            return line_of(node, path[:-1])
    if isinstance(parent, CommentedMap) and path and path[-1] in parent:
        try:
            return parent.lc.key(path[-1])[0] + 1
        except (KeyError, TypeError, AttributeError):
            pass
    return line_of(node, path)


# A rules file with YAML aliases is expanded into plain values; an "alias bomb" (aliases
# of aliases) would expand without end, so the expansion has a budget.
MAX_YAML_VALUES = 500_000
_INT64 = 2**63 - 1


class YamlTooLarge(ValueError):
    pass


def to_plain(node: Any, _budget: list[int] | None = None) -> Any:
    """Plain Python values (dict, list, str, int, float, bool, None) from ruamel's
    round-trip types, which JSON encoders and schema checks do not all accept."""
    budget = _budget if _budget is not None else [MAX_YAML_VALUES]
    budget[0] -= 1
    if budget[0] < 0:
        raise YamlTooLarge(f"the YAML expands to more than {MAX_YAML_VALUES:,} values (aliases?)")
    if isinstance(node, dict):
        return {str(k): to_plain(v, budget) for k, v in node.items()}
    if isinstance(node, list):
        return [to_plain(v, budget) for v in node]
    if isinstance(node, bool):
        return bool(node)
    if isinstance(node, int):
        # beyond 64 bits no encoder takes it; as a float the schema still judges it
        return int(node) if -_INT64 <= node <= _INT64 else float(node)
    if isinstance(node, float):
        return float(node)
    if isinstance(node, str):
        return str(node)
    return node


def read_yaml(path: Path) -> Any:
    """The ruamel round-trip document of a YAML file; syntax errors name the line."""
    yaml = YAML(typ="rt")
    yaml.allow_duplicate_keys = False
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        raise ConfigError("no such file", path=str(path)) from None
    except UnicodeDecodeError as exc:
        raise ConfigError(f"not UTF-8 text ({exc.reason})", path=str(path)) from None
    except OSError as exc:
        raise ConfigError(f"cannot read: {exc.strerror}", path=str(path)) from None
    try:
        return yaml.load(text)
    except MarkedYAMLError as exc:
        mark = exc.problem_mark or exc.context_mark
        line = mark.line + 1 if mark is not None else None
        reason = " ".join(p for p in (exc.context, exc.problem) if p) or "invalid YAML"
        raise ConfigError(f"invalid YAML: {reason}", path=str(path), line=line) from None
    except YAMLError as exc:
        raise ConfigError(f"invalid YAML: {exc}", path=str(path)) from None


def rule_files(path: Path) -> list[Path]:
    if path.is_dir():
        files = sorted(p for p in path.iterdir() if p.is_file() and p.suffix in (".yaml", ".yml"))
        if not files:
            raise ConfigError("no rules files (*.yaml, *.yml) in this directory", path=str(path))
        return files
    if not path.exists():
        raise ConfigError("no such file or directory", path=str(path))
    return [path]


def schema_issues(
    validator: Draft202012Validator, data: Any, located: Located, prefix: Path_ = ()
) -> list[Issue]:
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
    where = _dotted(deeper)
    reason = _reason(best, error)
    if best.validator == "additionalProperties":
        extra = _unknown_keys(best)
        line = key_line(located.node, located.base + deeper + (extra[0],)) if extra else None
        return Issue(f"{where}: unknown key {', '.join(repr(k) for k in extra)}" if where else
                     f"unknown key {', '.join(repr(k) for k in extra)}", located.path,
                     line or located.line_of(deeper))
    line = located.line_of(deeper) or located.line_of(path)
    if best.validator == "required" and deeper:
        line = key_line(located.node, located.base + deeper) or line
    if best.validator == "pattern" and isinstance(best.instance, str) and _is_key_at(located.data, deeper, best.instance):
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
    allowed = set(error.schema.get("properties", {}))
    if isinstance(error.instance, dict):
        return [k for k in error.instance if k not in allowed]
    return []


def _reason(best: ValidationError, top: ValidationError) -> str:
    if best.validator == "pattern" and best.absolute_path and list(best.absolute_path)[-1] == "id":
        return f"invalid id {best.instance!r}: use 1-64 characters of a-z 0-9 _ -"
    if best.validator == "required":
        return best.message.replace("is a required property", "is required")
    if best.validator == "enum":
        return f"{best.instance!r} is not one of {', '.join(map(str, best.validator_value))}"
    if best.validator == "minProperties":
        return "an empty condition"
    if top.validator in ("oneOf", "anyOf") and best is top:
        return f"{top.instance!r} is not a valid value here"
    return best.message


def _dotted(path: Path_) -> str:
    out = ""
    for part in path:
        if isinstance(part, int):
            out += f"[{part}]"
        else:
            out += f".{part}" if out else str(part)
    return out


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
        if isinstance(doc, CommentedSeq):
            items = [(doc[i], (i,)) for i in range(len(doc))]
        elif isinstance(doc, CommentedMap):
            items = [(doc, ())]
        else:
            loaded.issues.append(Issue("expected a rule (a mapping) or a list of rules", str(file), 1))
            continue
        for item, base in items:
            try:
                plain = to_plain(item)
            except YamlTooLarge as exc:
                loaded.issues.append(Issue(str(exc), str(file), 1))
                break
            located = Located(plain, doc, str(file), base)
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
        error = RuleSetError(issues)
        error.entities = located.data if isinstance(located.data, dict) else {}
        raise error
    return located.data, located
