"""The console's only door to the rule engine (``streams/rules``).

The console never validates or matches rules itself. Texts edited in the browser are laid
out as files — ``rules/<id>.yaml`` and ``entities.yaml`` in a private temporary
directory — and loaded with the engine's own ``load_ruleset``, the loader behind
`marsad rules validate`: the error messages an operator sees in the page are therefore the
CLI's, with the file names the console shows (``rules/<id>.yaml:<line>: <reason>``).
"""

from __future__ import annotations

import tempfile
from dataclasses import asdict, dataclass, is_dataclass
from io import StringIO
from pathlib import Path
from types import TracebackType
from typing import Any, Protocol

from ruamel.yaml import YAML

from kernel.config_files import locate, parse_yaml, read_text
from kernel.errors import ConfigError
from kernel.messages import RuleSetMessage, document_text
from kernel.settings import Settings
from marsad.console.errors import ErrorInfo, RuleTextError, error_infos
from marsad.console.rule_split import split_rules
from streams.rules import CompiledRuleSet, RuleSetError, example_issues, load_ruleset
from streams.rules.publish import publish_ruleset, read_latest_ruleset

__all__ = [
    "CompiledRuleSet",
    "RuleFields",
    "RuleSetLike",
    "ValidationReport",
    "compile_draft",
    "compile_rules",
    "current_ruleset_sources",
    "match_document",
    "publish",
    "rule_fields",
    "rule_ids_in",
    "validate_text",
]


class RuleSetLike(Protocol):
    def match(self, text: str, *, language: str | None = None, feed: str | None = None) -> list[Any]: ...


@dataclass(frozen=True)
class ValidationReport:
    errors: list[ErrorInfo]
    rule_ids: list[str]


@dataclass(frozen=True)
class RuleFields:
    """What the rules list shows; read leniently, the engine has validated the text."""

    title: str
    severity: str
    enabled: bool


def _load_yaml(text: str, source: str) -> Any:
    """Plain values of a YAML text, under the limits every configuration file has (size,
    value budget, depth); ConfigError names ``source`` and the line."""
    return locate(parse_yaml(text, source), source).data


def _documents(data: Any) -> list[Any]:
    if data is None:
        return []
    return data if isinstance(data, list) else [data]


def rule_ids_in(text: str, source: str) -> list[str]:
    """The ids of the rules in a YAML text (one rule or a list of rules)."""
    return [str(d["id"]) for d in _documents(_load_yaml(text, source)) if isinstance(d, dict) and "id" in d]


def rule_fields(text: str, rule_id: str) -> RuleFields:
    try:
        docs = _documents(_load_yaml(text, f"rules/{rule_id}.yaml"))
    except ConfigError:
        docs = []
    rule = next((d for d in docs if isinstance(d, dict) and str(d.get("id")) == rule_id), {})
    return RuleFields(
        title=str(rule.get("title") or ""),
        severity=str(rule.get("severity") or "medium"),
        enabled=rule.get("enabled", True) is not False,
    )


class _Layout:
    """A temporary directory holding texts as the files the engine loads."""

    def __init__(self) -> None:
        self._tmp = tempfile.TemporaryDirectory(prefix="marsad-console-")
        self.root = Path(self._tmp.name)
        self.rules_dir = self.root / "rules"
        self.rules_dir.mkdir()

    def write_rule(self, name: str, text: str) -> None:
        (self.rules_dir / name).write_text(text, encoding="utf-8")

    def entities(self, text: str) -> Path | None:
        if not text.strip():
            return None
        path = self.root / "entities.yaml"
        path.write_text(text, encoding="utf-8")
        return path

    def load(
        self, entities_text: str, *, include_disabled: bool = False, check_examples: bool = True
    ) -> CompiledRuleSet:
        """Compile the layout; then, like `marsad rules validate`, run every rule's
        ``examples`` (a later edit must not silently break them)."""
        entities = self.entities(entities_text)
        try:
            ruleset = load_ruleset(self.rules_dir, entities, include_disabled=include_disabled)
            if check_examples:
                issues = example_issues(self.rules_dir, entities)
                if issues:
                    raise RuleSetError(issues)
            return ruleset
        except ConfigError as exc:
            raise RuleTextError(error_infos(exc, self.relative_path, str(self.root))) from None

    def relative_path(self, path: str) -> str:
        """The console's name of a file of this layout (``rules/<id>.yaml``)."""
        try:
            return str(Path(path).resolve().relative_to(self.root.resolve()))
        except ValueError:
            return path

    def __enter__(self) -> _Layout:
        return self

    def __exit__(
        self, kind: type[BaseException] | None, value: BaseException | None, traceback: TracebackType | None
    ) -> None:
        self._tmp.cleanup()


def compile_rules(rules: dict[str, str], entities_text: str) -> CompiledRuleSet:
    """Compile the whole set: one text per rule id, and the entities. ConfigError names
    ``rules/<id>.yaml`` or ``entities.yaml`` with the line and reason."""
    with _Layout() as layout:
        for rule_id, text in rules.items():
            layout.write_rule(f"{rule_id}.yaml", text)
        if not rules:
            # The loader refuses an empty directory; an empty file is an empty set.
            layout.write_rule("empty.yaml", "")
        return layout.load(entities_text)


def validate_text(text: str, source: str, entities_text: str) -> ValidationReport:
    """Check a draft on its own (syntax, schema, entities it names, its examples), with
    the engine's messages."""
    with _Layout() as layout:
        layout.write_rule(Path(source).name, text)
        try:
            layout.load(entities_text)
        except ConfigError as exc:
            return ValidationReport(errors=error_infos(exc), rule_ids=[])
    ids = rule_ids_in(text, source)
    if not ids:
        error = ConfigError("no rule in the text", path=source, line=1)
        return ValidationReport(errors=error_infos(error), rule_ids=[])
    return ValidationReport(errors=[], rule_ids=ids)


def compile_draft(text: str, entities_text: str) -> CompiledRuleSet:
    """A draft as it would run — switched on even when it says ``enabled: false``, since
    drafts are tried before they are switched on. Its examples are not required to pass
    here: trying a draft is how an operator finds out."""
    with _Layout() as layout:
        layout.write_rule("draft.yaml", text)
        ruleset = layout.load(entities_text, include_disabled=True, check_examples=False)
    if not ruleset.rules:
        raise ConfigError("no rule in the draft", path="draft.yaml", line=1)
    return ruleset


def _plain(value: Any) -> dict[str, Any]:
    if hasattr(value, "model_dump"):
        return value.model_dump(mode="json", exclude_none=True)
    if is_dataclass(value) and not isinstance(value, type):
        return {k: v for k, v in asdict(value).items() if v is not None}
    return dict(value)


def match_document(
    ruleset: RuleSetLike, title: str, text: str, *, language: str | None, feed: str | None
) -> list[dict[str, Any]]:
    """Matches on ``title + "\\n\\n" + text`` (the worker's document), as JSON-ready dicts."""
    matches = ruleset.match(document_text(title, text), language=language, feed=feed)
    return [
        {
            "rule": m.rule.id,
            "title": m.rule.title,
            "severity": m.rule.severity,
            "evidence": [_plain(e) for e in m.evidence],
        }
        for m in matches
    ]


def publish(settings: Settings, ruleset: CompiledRuleSet, author: str) -> str:
    """Publish the whole set to the rules topic and wait for the acknowledgement; returns
    the set's version. Every worker applies it (streams/app.py follows the topic)."""
    message = ruleset.to_message(author)
    publish_ruleset(settings, message, timeout_s=15.0)
    return message.ruleset_version


def _dump_yaml(data: Any) -> str:
    yaml = YAML()
    yaml.default_flow_style = False
    yaml.allow_unicode = True
    out = StringIO()
    yaml.dump(data, out)
    return out.getvalue()


def current_ruleset_sources(settings: Settings) -> tuple[dict[str, str], str, str]:
    """The rule set in force as texts: (rule id → YAML, entities YAML, where from).

    The latest set on the rules topic wins (that is what the workers run); without one,
    the configured rules files and entities file."""
    rules: dict[str, str] = {}
    latest = _latest_published(settings)
    if latest is not None:
        rules = {str(r["id"]): _dump_yaml(r) for r in latest.rules if isinstance(r, dict) and "id" in r}
        return rules, _dump_yaml(latest.entities) if latest.entities else "", settings.topic_rules
    path = settings.rules_path
    files = sorted(path.glob("*.y*ml")) if path.is_dir() else ([path] if path.exists() else [])
    for file in files:
        text = read_text(file)
        docs = _documents(_load_yaml(text, str(file)))
        if len(docs) == 1 and isinstance(docs[0], dict) and "id" in docs[0]:
            rules[str(docs[0]["id"])] = text  # one rule per file: keep the author's text as is
        else:
            # Each rule keeps its own lines and comments; written out from its data only
            # when its lines cannot be cut out of the file.
            texts = split_rules(text, str(file)) or {}
            for doc in docs:
                if isinstance(doc, dict) and "id" in doc:
                    rules[str(doc["id"])] = texts.get(str(doc["id"])) or _dump_yaml(doc)
    entities = read_text(settings.entities_path) if settings.entities_path.exists() else ""
    return rules, entities, str(path)


def _latest_published(settings: Settings) -> RuleSetMessage | None:
    return read_latest_ruleset(settings).message
