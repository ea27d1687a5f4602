"""Matching one article against a compiled rule set.

``CompiledRuleSet.match(text)`` folds the text once, runs the Aho-Corasick automaton over
it, confirms each hit on its token(s), finds quantities and regexes when some rule needs
them, and evaluates only the candidate rules. Offsets are computed in folded text and
mapped back to the original text for evidence.
"""

from __future__ import annotations

import time
from bisect import bisect_right
from dataclasses import dataclass, field
from typing import Any

import re2

from marsad.messages import RuleSetMessage
from streams.rules.compiler import EntityInfo, Phrase, build_automaton, primary_language, regex_options
from streams.rules.evidence import Occurrence, to_evidence
from streams.rules.model import (
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
    RuleMatch,
    TermsLeaf,
)
from streams.rules.morphology import _WORD, match_fold
from streams.textnorm import NormalizedText, fold

# Between the words of a phrase: spaces (one line break at most), hyphens, quotes,
# brackets. Anything else (a full stop, a comma) ends the phrase.
_PHRASE_GAP = frozenset(" \t\n-'\"()[]/")
MAX_OCCURRENCES_PER_LEAF = 200
_VERDICT_CACHE_SIZE = 200_000


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


class LeafHits:
    """The leaves that fired on one article. Occurrences of term and entity leaves are
    built only when a candidate rule's evaluation asks for them: an everyday word may sit
    in many leaves, most of which never need their evidence."""

    __slots__ = ("ruleset", "article", "phrase_spans", "fired", "ready")

    def __init__(self, ruleset: CompiledRuleSet, article: ArticleText):
        self.ruleset = ruleset
        self.article = article
        self.phrase_spans: dict[int, list[tuple[int, int]]] = {}
        self.fired: dict[int, list[int]] = {}  # leaf id → phrase ids that fired it
        self.ready: dict[int, list[Occurrence]] = {}

    def get(self, lid: int) -> list[Occurrence] | None:
        occs = self.ready.get(lid)
        if occs is not None:
            return occs
        pids = self.fired.get(lid)
        if pids is None:
            return None
        ruleset = self.ruleset
        leaf = ruleset.leaves[lid]
        occs = []
        for pid in pids:
            entity = variant = term = None
            if isinstance(leaf, EntityLeaf):
                for eid in leaf.entities:
                    variant = ruleset.entity_info[eid].phrases.get(pid)
                    if variant is not None:
                        entity = eid
                        break
            else:
                term = ruleset.phrases[pid].text
            for fstart, fend in self.phrase_spans[pid]:
                if len(occs) >= MAX_OCCURRENCES_PER_LEAF:
                    break
                occs.append(Occurrence(leaf.kind, fstart, fend, entity=entity, variant=variant, term=term))
        self.ready[lid] = occs
        return occs


class ArticleText:
    """The folded text of one article, with lazily built token positions.

    ``folded`` keeps ة apart (terms and names, see ``morphology``); ``standard`` is the
    ordinary ``fold`` (regexes, quantities). Both have the same length and offsets."""

    __slots__ = ("normalized", "folded", "_standard", "_token_starts", "_token_ends")

    def __init__(self, text: str):
        self.folded = match_fold(text)
        self.normalized = NormalizedText(text, self.folded)
        self._standard: NormalizedText | None = None
        self._token_starts: list[int] | None = None
        self._token_ends: list[int] | None = None

    @property
    def standard(self) -> NormalizedText:
        if self._standard is None:
            self._standard = NormalizedText(self.normalized.original, fold(self.normalized.original))
        return self._standard

    def token_at(self, start: int, end: int) -> tuple[int, int]:
        """The whole token containing folded [start, end)."""
        folded = self.folded
        ts = start
        while ts > 0 and _is_word_char(folded[ts - 1]):
            ts -= 1
        te = end
        n = len(folded)
        while te < n and _is_word_char(folded[te]):
            te += 1
        return ts, te

    def next_token(self, pos: int) -> tuple[int, int] | None:
        """The token after position ``pos`` when only phrase-gap characters lie between."""
        folded = self.folded
        n = len(folded)
        newlines = 0
        while pos < n and not _is_word_char(folded[pos]):
            ch = folded[pos]
            if ch not in _PHRASE_GAP:
                return None
            if ch == "\n":
                newlines += 1
                if newlines > 1:
                    return None
            pos += 1
        if pos >= n:
            return None
        end = pos
        while end < n and _is_word_char(folded[end]):
            end += 1
        return pos, end

    def token_index(self, fpos: int) -> int:
        """Index of the token at (or the last token before) folded position ``fpos``."""
        if self._token_starts is None:
            starts, ends = [], []
            for m in _WORD.finditer(self.folded):
                starts.append(m.start())
                ends.append(m.end())
            self._token_starts, self._token_ends = starts, ends
        return max(0, bisect_right(self._token_starts, fpos) - 1)

    def language(self) -> str:
        arabic = latin = 0
        for ch in self.folded:
            if "\u0621" <= ch <= "\u064a":
                arabic += 1
            elif "a" <= ch <= "z":
                latin += 1
        return "ar" if arabic >= latin else "en"


@dataclass
class CompiledRuleSet:
    """All enabled rules of a set, compiled into one matcher (see ``compile_ruleset``)."""

    version: str
    rules: list[Rule]
    conditions: list[Node]
    raw_rules: list[dict[str, Any]]
    entities: dict[str, Any]
    phrases: list[Phrase]
    leaves: list[Leaf]
    leaf_rules: list[list[int]]
    entity_info: dict[str, EntityInfo]
    regexes: dict[str, Any]
    always: list[int]
    units: Any = None
    compiled_at: float = field(default_factory=time.time)

    def __post_init__(self) -> None:
        self._automaton = build_automaton(self.phrases)
        # phrase id → leaves (terms / entity) that contain it
        self._phrase_leaves: list[list[int]] = [[] for _ in self.phrases]
        self._regex_leaves: list[int] = []
        self._quantity_leaves: dict[str, list[int]] = {}
        for lid, leaf in enumerate(self.leaves):
            if not self.leaf_rules[lid]:
                continue  # only used by a rule that failed to compile
            if isinstance(leaf, (TermsLeaf, EntityLeaf)):
                for pid in leaf.phrases:
                    self._phrase_leaves[pid].append(lid)
            elif isinstance(leaf, RegexLeaf):
                self._regex_leaves.append(lid)
            elif isinstance(leaf, QuantityLeaf):
                self._quantity_leaves.setdefault(leaf.unit, []).append(lid)
        self._regex_set = None
        if self._regex_leaves:
            regex_set = re2.Set.SearchSet(regex_options())
            for lid in self._regex_leaves:
                regex_set.Add(self.leaves[lid].folded_pattern)
            regex_set.Compile()
            self._regex_set = regex_set
        self._rule_index = {rule.id: i for i, rule in enumerate(self.rules)}
        self._verdicts: dict[tuple[int, str], bool] = {}
        self._needs_language = any(rule.languages for rule in self.rules)

    # --- public API -----------------------------------------------------------------------
    def match(self, text: str, *, language: str | None = None, feed: str | None = None) -> list[RuleMatch]:
        """Every rule ``text`` fires, in rule order, with evidence whose offsets index ``text``
        (``marsad.messages.document_text(title, body)``)."""
        article = ArticleText(text)
        leaf_occ = self._fire_leaves(article)
        candidates = set(self.always)
        for lid in leaf_occ.fired:
            candidates.update(self.leaf_rules[lid])
        lang = primary_language(language) if language else None
        if lang is None and self._needs_language:
            lang = article.language()
        results = []
        for ri in sorted(candidates):
            rule = self.rules[ri]
            if rule.languages and lang not in rule.languages:
                continue
            if rule.feeds and feed not in rule.feeds:
                continue
            occs = self._evaluate(self.conditions[ri], leaf_occ, article)
            if occs is not None:
                results.append(RuleMatch(rule, to_evidence(occs, article.normalized)))
        return results

    def evaluate_rule(
        self, rule_id: str, text: str, *, language: str | None = None, feed: str | None = None,
        filters: bool = True,
    ) -> RuleMatch | None:
        """Whether one rule fires on ``text`` (used to check a rule's examples)."""
        ri = self._rule_index[rule_id]
        rule = self.rules[ri]
        article = ArticleText(text)
        if filters:
            lang = primary_language(language) if language else article.language()
            if rule.languages and lang not in rule.languages:
                return None
            if rule.feeds and feed not in rule.feeds:
                return None
        occs = self._evaluate(self.conditions[ri], self._fire_leaves(article), article)
        return None if occs is None else RuleMatch(rule, to_evidence(occs, article.normalized))

    def to_message(self, author: str = "") -> RuleSetMessage:
        return RuleSetMessage(
            ruleset_version=self.version, published_at=time.time(), author=author,
            rules=self.raw_rules, entities=self.entities,
        )

    @property
    def rule_ids(self) -> list[str]:
        return [r.id for r in self.rules]

    # --- leaves -----------------------------------------------------------------------------
    def _fire_leaves(self, article: ArticleText) -> LeafHits:
        hits = LeafHits(self, article)
        if self._automaton is not None and article.folded:
            for pid, spans in self._phrase_hits(article).items():
                hits.phrase_spans[pid] = spans
                for lid in self._phrase_leaves[pid]:
                    hits.fired.setdefault(lid, []).append(pid)
        leaf_occ = hits.ready
        if self._regex_set is not None and article.folded:
            standard = article.standard.text
            for index in self._regex_set.Match(standard) or ():
                lid = self._regex_leaves[index]
                compiled = self.regexes[self.leaves[lid].folded_pattern]
                occs = []
                for m in compiled.finditer(standard):
                    if m.end() > m.start():
                        occs.append(Occurrence("regex", m.start(), m.end()))
                        if len(occs) >= MAX_OCCURRENCES_PER_LEAF:
                            break
                if occs:
                    leaf_occ[lid] = occs
                    hits.fired[lid] = []
        if self._quantity_leaves:
            from streams.rules.quantities import find_quantities_normalized

            for mention in find_quantities_normalized(article.standard, self.units):
                for lid in self._quantity_leaves.get(mention.unit, ()):
                    if self.leaves[lid].accepts(mention.value):
                        leaf_occ.setdefault(lid, []).append(Occurrence(
                            "quantity", None, None, ostart=mention.start, oend=mention.end,
                            value=mention.value, unit=mention.unit,
                        ))
                        hits.fired[lid] = []
        return hits

    def _phrase_hits(self, article: ArticleText) -> dict[int, list[tuple[int, int]]]:
        """phrase id → folded spans (whole tokens) where the phrase occurs."""
        folded = article.folded
        phrases = self.phrases
        hits: dict[int, list[tuple[int, int]]] = {}
        checked: set[tuple[int, int]] = set()
        token_cache: dict[int, tuple[int, int]] = {}
        cache = self._verdicts
        for end, (core_len, pids) in self._automaton.iter(folded):
            start = end + 1 - core_len
            bounds = token_cache.get(start)
            if bounds is None:
                bounds = token_cache[start] = article.token_at(start, end + 1)
            ts, te = bounds
            token = folded[ts:te]
            for pid in pids:
                if (pid, ts) in checked:
                    continue
                checked.add((pid, ts))
                words = phrases[pid].words
                # Everyday words recur in every article: remember each (word, token) verdict.
                verdict = cache.get((pid, token))
                if verdict is None:
                    if len(cache) >= _VERDICT_CACHE_SIZE:
                        cache.clear()
                    verdict = cache[(pid, token)] = words[0].matches(token)
                if not verdict:
                    continue
                last_end = te
                for spec in words[1:]:
                    nxt = article.next_token(last_end)
                    if nxt is None or not spec.matches(folded[nxt[0]:nxt[1]]):
                        break
                    last_end = nxt[1]
                else:
                    hits.setdefault(pid, []).append((ts, last_end))
        return hits

    # --- conditions ---------------------------------------------------------------------------
    def _evaluate(self, node: Node, leaf_occ: LeafHits, article: ArticleText):
        """The evidence of a condition that holds (possibly empty), or None when it does not."""
        if isinstance(node, LeafNode):
            return leaf_occ.get(node.leaf)
        if isinstance(node, AllNode):
            out: list[Occurrence] = []
            for child in node.children:
                occs = self._evaluate(child, leaf_occ, article)
                if occs is None:
                    return None
                out.extend(occs)
            return out
        if isinstance(node, AnyNode):
            out = []
            matched = False
            for child in node.children:
                occs = self._evaluate(child, leaf_occ, article)
                if occs is not None:
                    matched = True
                    out.extend(occs)
            return out if matched else None
        if isinstance(node, NotNode):
            return [] if self._evaluate(node.child, leaf_occ, article) is None else None
        if isinstance(node, NearNode):
            return _near(node, leaf_occ, article)
        raise TypeError(f"unknown condition node {node!r}")


def _near(node: NearNode, leaf_occ: LeafHits, article: ArticleText):
    """One occurrence of every leaf, all within ``node.within`` tokens of each other: the
    largest first-token minus the smallest last-token is at most ``within``."""
    groups = []
    for lid in node.leaves:
        occs = leaf_occ.get(lid)
        if not occs:
            return None
        groups.append([(*o.token_span(article), o) for o in occs])
    # Try each occurrence as the one that ends first; every other leaf then needs an
    # occurrence ending no earlier and starting within reach.
    anchors = sorted((span for group in groups for span in group), key=lambda s: (s[1], s[0]))
    for _first, a_last, _occ in anchors:
        chosen = []
        for group in groups:
            best = None
            for first, last, occ in group:
                if last >= a_last and first <= a_last + node.within:
                    if best is None or first < best[0]:
                        best = (first, last, occ)
            if best is None:
                break
            chosen.append(best[2])
        else:
            return list(dict.fromkeys(chosen))
    return None
