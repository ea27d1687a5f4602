"""All enabled rules → one matcher.

Every term word and entity-name spelling is reduced to a *core* (the word without the ال
it was written with and without a final ة) and all cores go into one Aho-Corasick
automaton (pyahocorasick). Per article the automaton runs once over the folded text; each
hit is checked against its token (allowed clitics and suffixes, following words of a
phrase), which gives the leaves that fired; only the rules that use a fired leaf (plus the
few that can hold with no leaf at all, e.g. a bare ``not``) are then evaluated. Regexes run
as one RE2 set first and individually only when the set says they match. The cost per
article therefore follows the text and the hits, not the number of rules.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Callable
from typing import Any

import re2

from kernel.config_files import Issue, Located, Path_
from kernel.durations import parse_duration
from kernel.messages import RuleSetMessage
from streams.rules.frequencies import rarest
from streams.rules.loader import RuleSetError, entity_validator, rule_validator, schema_issues
from streams.rules.matcher import CompiledRuleSet
from streams.rules.model import (
    DEFAULT_SEVERITY,
    DEFAULT_WITHIN,
    AllNode,
    AnyNode,
    EntityLeaf,
    Leaf,
    LeafNode,
    NearNode,
    Node,
    NotNode,
    QuantityLeaf,
    RegexLeaf,
    Rule,
    StoryLeaf,
    TermsLeaf,
    fires_without_leaves,
    leaf_ids,
)
from streams.rules.morphology import WordSpec, term_word, words_of
from streams.rules.phrases import EntityInfo, Phrase, Spellings
from streams.rules.quantities import UnitClasses, default_unit_classes
from streams.rules.regexes import fold_regex, regex_options
from streams.rules.regions import DEFAULT_REGIONS
from streams.rules.story import MAX_MIN_SOURCES
from streams.rules.text import primary_language
from streams.rules.variants import VariantOptions, entity_variants, spelling_groups

LEAF_KEYS = ("terms", "entity", "quantity", "regex")
# A rule with a `story` leaf and no `throttle` alerts once per story: the window spans the
# time dedupe keeps a story open (streams.dedupe.core.DedupeConfig.story_window_seconds).
STORY_THROTTLE_SECONDS = 48 * 3600.0
Where = Callable[[int | None, Path_], tuple[str | None, int | None]]
LeafKey = tuple[object, ...]  # what makes two leaves the same leaf


def ruleset_version(raw_rules: list[dict[str, Any]], entities: dict[str, Any]) -> str:
    """Content hash of a rule set: the same rules and entities give the same version."""
    # stdlib json, not orjson: rule values may be integers beyond 64 bits (a validation
    # matter, not a reason to crash while hashing)
    blob = json.dumps({"rules": raw_rules, "entities": entities}, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(blob.encode()).hexdigest()[:16]


class Compiler:
    """Builds a CompiledRuleSet; collects every issue before failing."""

    def __init__(self, entities: dict[str, Any], units: UnitClasses | None, where: Where):
        self.entities_raw = entities
        self.units = units
        self.where = where
        self.issues: list[Issue] = []
        self.phrases: list[Phrase] = []
        self.phrase_ids: dict[tuple[Spellings, ...], int] = {}
        self.word_specs: dict[tuple[bool, bool, bool], dict[str, WordSpec]] = {}
        self.singles: dict[tuple[bool, bool, bool], dict[str, Spellings]] = {}
        self.leaves: list[Leaf] = []
        self.leaf_ids: dict[LeafKey, int] = {}
        self.leaf_rules: list[list[int]] = []
        self.entity_info: dict[str, EntityInfo] = {}
        self.regex_cache: dict[str, Any] = {}

    # --- issues -------------------------------------------------------------------------
    def issue(self, rule_index: int | None, path: Path_, reason: str) -> None:
        file, line = self.where(rule_index, path)
        self.issues.append(Issue(reason, file, line))

    # --- phrases and leaves ---------------------------------------------------------------
    def phrase(self, words: tuple[Spellings, ...]) -> int:
        pid = self.phrase_ids.get(words)
        if pid is None:
            pid = len(self.phrases)
            key = rarest([[s.word for s in spellings] for spellings in words]) if len(words) > 1 else 0
            self.phrases.append(Phrase(words, key))
            self.phrase_ids[words] = pid
        return pid

    def word_spec(self, word: str, exact: bool, first: bool, entity: bool) -> WordSpec:
        """``term_word``, one object per distinct word of the set (shared by its phrases)."""
        # keyed by flags, then by the word: no key tuple per word (68,000 words at 10k rules)
        specs = self.word_specs.setdefault((exact, first, entity), {})
        spec = specs.get(word)
        if spec is None:
            spec = specs[word] = term_word(word, exact=exact, first=first, entity=entity)
        return spec

    def one_spelling(self, word: str, exact: bool, first: bool, entity: bool) -> Spellings:
        """A word of one spelling, one tuple per distinct word (shared by its phrases)."""
        singles = self.singles.setdefault((exact, first, entity), {})
        spellings = singles.get(word)
        if spellings is None:
            spellings = singles[word] = (self.word_spec(word, exact, first, entity),)
        return spellings

    def spellings(self, words: tuple[str, ...], first: bool) -> Spellings:
        """One word of an entity name: the specs of its spellings."""
        if len(words) == 1:
            return self.one_spelling(words[0], False, first, True)
        return tuple(self.word_spec(w, False, first, True) for w in words)

    def forget_lookups(self) -> None:
        """Drop what is only needed while compiling (what was built stays)."""
        self.phrase_ids.clear()
        self.word_specs.clear()
        self.singles.clear()
        self.leaf_ids.clear()

    def leaf(self, key: LeafKey, make: Callable[[], Leaf]) -> int:
        lid = self.leaf_ids.get(key)
        if lid is None:
            lid = len(self.leaves)
            self.leaves.append(make())
            self.leaf_rules.append([])
            self.leaf_ids[key] = lid
        return lid

    def entity(self, entity_id: str) -> EntityInfo:
        info = self.entity_info.get(entity_id)
        if info is not None:
            return info
        raw = self.entities_raw[entity_id]
        names = list(raw.get("names") or []) + list(raw.get("aliases") or [])
        opts = raw.get("variants") or {}
        options = VariantOptions(
            generate=opts.get("generate", True),
            g=opts.get("g", True),
            qaf=opts.get("qaf", False),
            long_vowels=opts.get("long_vowels", True),
        )
        info = EntityInfo(entity_id, str(raw.get("kind", "")))
        for group in spelling_groups(entity_variants(entity_id, names, options, raw.get("exclude")).variants):
            words = tuple(self.spellings(spellings, i == 0) for i, spellings in enumerate(group))
            info.phrases[self.phrase(words)] = None
        self.entity_info[entity_id] = info
        return info

    # --- conditions ---------------------------------------------------------------------
    def condition(self, ri: int, cond: dict[str, Any], path: Path_) -> Node | None:
        parts: list[Node] = []
        if "within" in cond and "near" not in cond:
            self.issue(ri, path + ("within",), "`within` is a modifier of `near` and needs it")
        if "exact" in cond and "terms" not in cond:
            self.issue(ri, path + ("exact",), "`exact` applies to `terms` and needs it")
        for key, value in cond.items():
            if key in ("within", "exact"):
                continue
            node = self.part(ri, key, value, cond, path + (key,))
            if node is not None:
                parts.append(node)
        if not parts:
            return None
        return parts[0] if len(parts) == 1 else AllNode(tuple(parts))

    def part(self, ri: int, key: str, value: Any, cond: dict[str, Any], path: Path_) -> Node | None:
        if key in ("all", "any"):
            children = [self.condition(ri, c, path + (i,)) for i, c in enumerate(value)]
            nodes = tuple(c for c in children if c is not None)
            if len(nodes) != len(children):
                return None
            return AllNode(nodes) if key == "all" else AnyNode(nodes)
        if key == "not":
            items = value if isinstance(value, list) else [value]
            subpaths = [path + (i,) for i in range(len(items))] if isinstance(value, list) else [path]
            children = [self.condition(ri, c, p) for c, p in zip(items, subpaths)]
            nodes = tuple(c for c in children if c is not None)
            if len(nodes) != len(children):
                return None
            return NotNode(nodes[0] if len(nodes) == 1 else AnyNode(nodes))
        if key == "near":
            ids = []
            for i, item in enumerate(value):
                leaf_keys = [k for k in item if k != "exact"]
                if len(leaf_keys) != 1 or leaf_keys[0] not in LEAF_KEYS:
                    self.issue(ri, path + (i,), "each `near` item must be one leaf (terms, entity, quantity or regex)")
                    continue
                k = leaf_keys[0]
                lid = self.leaf_for(ri, k, item[k], item, path + (i, k))
                if lid is not None:
                    ids.append(lid)
            if len(ids) != len(value):
                return None
            return NearNode(tuple(ids), int(cond.get("within", DEFAULT_WITHIN)))
        lid = self.leaf_for(ri, key, value, cond, path)
        return None if lid is None else LeafNode(lid)

    def leaf_for(self, ri: int, key: str, value: Any, cond: dict[str, Any], path: Path_) -> int | None:
        if key == "terms":
            return self.terms_leaf(ri, value, bool(cond.get("exact", False)), path)
        if key == "entity":
            return self.entity_leaf(ri, value, path)
        if key == "quantity":
            return self.quantity_leaf(ri, value, path)
        if key == "regex":
            return self.regex_leaf(ri, value, path)
        if key == "story":
            return self.story_leaf(ri, value, path)
        self.issue(ri, path, f"unknown condition {key!r}")
        return None

    def terms_leaf(self, ri: int, value: Any, exact: bool, path: Path_) -> int | None:
        terms = [value] if isinstance(value, str) else list(value)
        phrase_ids: list[int] = []
        for i, term in enumerate(terms):
            words = words_of(term)
            if not words:
                self.issue(
                    ri, path + ((i,) if not isinstance(value, str) else ()), f"term {term!r} has no letters or digits"
                )
                continue
            phrase_ids.append(self.phrase(tuple(self.one_spelling(w, exact, True, False) for w in words)))
        if not phrase_ids:
            return None
        key = ("terms", tuple(sorted(set(phrase_ids))), exact)
        return self.leaf(key, lambda: TermsLeaf(tuple(dict.fromkeys(phrase_ids)), exact))

    def entity_leaf(self, ri: int, value: Any, path: Path_) -> int | None:
        ids = [value] if isinstance(value, str) else list(value)
        ok = True
        for i, eid in enumerate(ids):
            if eid not in self.entities_raw:
                known = ", ".join(sorted(self.entities_raw)[:20]) or "none: no entities file loaded"
                self.issue(
                    ri, path + ((i,) if not isinstance(value, str) else ()), f"unknown entity {eid!r} (known: {known})"
                )
                ok = False
        if not ok:
            return None
        infos = [self.entity(eid) for eid in ids]
        phrase_ids = tuple(dict.fromkeys(pid for info in infos for pid in info.phrases))
        if not phrase_ids:
            self.issue(ri, path, f"entity {', '.join(ids)} has no usable name")
            return None
        return self.leaf(("entity", tuple(ids)), lambda: EntityLeaf(tuple(ids), phrase_ids))

    def quantity_leaf(self, ri: int, value: dict[str, Any], path: Path_) -> int | None:
        unit = value["unit"]
        lo, hi = value.get("min"), value.get("max")
        if lo is not None and hi is not None and lo > hi:
            self.issue(ri, path, f"min {lo} is greater than max {hi}")
            return None
        known = unit_names(self.units)
        if known is not None and unit not in known:
            self.issue(ri, path + ("unit",), f"unknown unit class {unit!r} (known: {', '.join(sorted(known))})")
            return None
        return self.leaf(("quantity", unit, lo, hi), lambda: QuantityLeaf(unit, lo, hi))

    def regex_leaf(self, ri: int, pattern: str, path: Path_) -> int | None:
        folded = fold_regex(pattern)
        if folded not in self.regex_cache:
            try:
                compiled = re2.compile(folded, regex_options())
            except re2.error as exc:
                detail = exc.args[0] if exc.args else exc
                if isinstance(detail, bytes):
                    detail = detail.decode("utf-8", "replace")
                self.issue(ri, path, f"invalid regex (RE2 syntax): {detail}")
                return None
            self.regex_cache[folded] = compiled
        return self.leaf(("regex", folded), lambda: RegexLeaf(pattern, folded))

    def story_leaf(self, ri: int, value: dict[str, Any], path: Path_) -> int | None:
        min_sources = value["min_sources"]
        if min_sources > MAX_MIN_SOURCES:
            self.issue(
                ri,
                path + ("min_sources",),
                f"min_sources {min_sources} can never be reached: a story keeps its first {MAX_MIN_SOURCES} outlets",
            )
            return None
        try:
            within = parse_duration(value["within"], positive=True)
        except ValueError as exc:
            self.issue(ri, path + ("within",), f"within: {exc}")
            return None
        return self.leaf(("story", min_sources, within), lambda: StoryLeaf(min_sources, within))

    # --- rules --------------------------------------------------------------------------
    def rule(self, ri: int, raw: dict[str, Any]) -> Rule | None:
        story_rule = _uses(raw.get("when"), "story")
        try:
            if "throttle" in raw:
                throttle = parse_duration(raw["throttle"])
            else:
                throttle = STORY_THROTTLE_SECONDS if story_rule else 0.0
        except ValueError as exc:
            self.issue(ri, ("throttle",), f"throttle: {exc}")
            return None
        escalate = sorted(set((raw.get("escalate") or {}).get("sources", [])))
        languages = raw.get("languages")
        return Rule(
            id=raw["id"],
            title=raw.get("title") or raw["id"],
            severity=raw.get("severity", DEFAULT_SEVERITY),
            enabled=raw.get("enabled", True),
            languages=[primary_language(x) for x in languages] if languages else None,
            feeds=list(raw["feeds"]) if raw.get("feeds") else None,
            throttle_seconds=float(throttle),
            notify=list(raw.get("notify") or []),
            escalate_at_sources=escalate,
            regions=frozenset(raw["regions"]) if raw.get("regions") else DEFAULT_REGIONS,
            story_rule=story_rule,
        )


def unit_names(units: UnitClasses | None) -> set[str] | None:
    """The unit class ids ``units`` knows (None: no unit classes to check against)."""
    return None if units is None else set(units.ids)


def compile_ruleset(
    raw_rules: list[dict[str, Any]],
    entities: dict[str, Any] | None,
    units: UnitClasses | None = None,
    *,
    locations: list[Located] | None = None,
    entities_located: Located | None = None,
    validated: bool = False,
    include_disabled: bool = False,
) -> CompiledRuleSet:
    """Validate and compile rules (plain dicts, as in YAML) with their entities.

    Raises ``RuleSetError`` (a ConfigError) listing every problem. ``locations`` (from the
    loader) turns rule paths into file:line; without it problems name ``rules[i]``."""
    entities = dict(entities or {})
    raw_rules = list(raw_rules)

    def where(ri: int | None, path: Path_) -> tuple[str | None, int | None]:
        if ri is None:
            return None, None
        if locations is not None:
            return locations[ri].path, locations[ri].line_of(path)
        return f"rules[{ri}]" + (f" ({raw_rules[ri].get('id')})" if isinstance(raw_rules[ri], dict) else ""), None

    issues: list[Issue] = []
    if not validated:
        if not isinstance(raw_rules, list):
            raise RuleSetError([Issue("rules must be a list")])
        for i, raw in enumerate(raw_rules):
            loc = locations[i] if locations is not None else Located(raw, raw, where(i, ())[0] or "")
            issues.extend(schema_issues(rule_validator(), raw, loc))
        ent_loc = entities_located or Located(entities, entities, "entities")
        issues.extend(schema_issues(entity_validator(), entities, ent_loc))
        if issues:
            raise RuleSetError(issues)

    if units is None and any(_uses(r.get("when"), "quantity") for r in raw_rules if isinstance(r, dict)):
        units = default_units()
    compiler = Compiler(entities, units, where)

    seen_ids: dict[str, int] = {}
    rules: list[Rule] = []
    conditions: list[Node] = []
    for ri, raw in enumerate(raw_rules):
        rid = raw["id"]
        if rid in seen_ids:
            first_file, first_line = where(seen_ids[rid], ("id",))
            first = (
                f"{first_file}:{first_line}" if first_file and first_line else (first_file or f"rules[{seen_ids[rid]}]")
            )
            compiler.issue(ri, ("id",), f"duplicate rule id {rid!r} (first defined at {first})")
            continue
        seen_ids[rid] = ri
        rule = compiler.rule(ri, raw)
        enabled = raw.get("enabled", True) or include_disabled
        if not enabled:
            # Disabled rules are still checked, so that enabling one later cannot fail.
            probe = Compiler(entities, units, where)
            probe.condition(ri, raw["when"], ("when",))
            compiler.issues.extend(probe.issues)
            continue
        node = compiler.condition(ri, raw["when"], ("when",))
        if rule is None or node is None:
            continue
        rule_index = len(rules)
        rules.append(rule)
        conditions.append(node)
        for lid in dict.fromkeys(leaf_ids(node)):
            compiler.leaf_rules[lid].append(rule_index)
    if compiler.issues:
        raise RuleSetError(compiler.issues)
    # Free the compile-time look-ups before the matcher's tables are built in their place.
    compiler.forget_lookups()

    return CompiledRuleSet(
        version=ruleset_version(raw_rules, entities),
        rules=rules,
        conditions=conditions,
        raw_rules=raw_rules,
        entities=entities,
        phrases=compiler.phrases,
        leaves=compiler.leaves,
        leaf_rules=compiler.leaf_rules,
        entity_info=compiler.entity_info,
        regexes=compiler.regex_cache,
        always=[i for i, node in enumerate(conditions) if fires_without_leaves(node)],
        units=units,
    )


def _uses(condition: Any, leaf: str) -> bool:
    """Whether a raw condition has a ``leaf`` leaf anywhere."""
    if isinstance(condition, dict):
        return leaf in condition or any(_uses(v, leaf) for v in condition.values())
    if isinstance(condition, list):
        return any(_uses(v, leaf) for v in condition)
    return False


def default_units() -> UnitClasses:
    """The project's unit classes (streams/rules/quantities/units.yaml)."""
    return default_unit_classes()


def message_for(ruleset: CompiledRuleSet, author: str, published_at: float) -> RuleSetMessage:
    return RuleSetMessage(
        ruleset_version=ruleset.version,
        published_at=published_at,
        author=author,
        rules=ruleset.raw_rules,
        entities=ruleset.entities,
    )
