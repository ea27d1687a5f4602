"""Matching one article against a compiled rule set.

``CompiledRuleSet.match(text)`` folds the text once and cuts it at spaces into *chunks*
(a word with its punctuation, mostly). What a chunk holds (which phrases' key words its
tokens are, found with the Aho-Corasick automaton and confirmed against the morphology) does
not depend on the article, so it is computed once per distinct chunk and cached: news
repeats the same few thousand words, and at 10,000 rules nearly every everyday word is some
rule's word. Each chunk verdict also lists the rules it *triggers* (``triggers``: a rule is
evaluated only when one of its selective leaves fired), so that an article costs a dictionary
look-up per word plus the evaluation of the few candidate rules. Occurrences (and so
evidence) of a leaf are gathered only when a candidate rule asks for them. Offsets are
computed in folded text and mapped back to the original text for evidence.
"""

from __future__ import annotations

import time
from collections.abc import Iterable
from dataclasses import dataclass, field
from itertools import compress
from operator import attrgetter
from typing import Any

import re2

from kernel.messages import RuleSetMessage
from streams.rules.chunks import NO_HITS, ChunkCache, ChunkVerdict, key_word_hits
from streams.rules.conditions import LeafGetters, RegionEvaluators, compile_condition
from streams.rules.evidence import FoldedOccurrence, Occurrence, QuantityOccurrence, to_evidence
from streams.rules.hits import MAX_OCCURRENCES_PER_LEAF, LeafHits
from streams.rules.model import EntityLeaf, Leaf, Node, QuantityLeaf, RegexLeaf, Rule, RuleMatch, StoryLeaf, TermsLeaf
from streams.rules.phrase_keys import TokenCounts, learned_keys
from streams.rules.phrases import EntityInfo, LeafPhrases, Phrase, build_automaton, interned, rekeyed
from streams.rules.quantities import UnitClasses, UnitGate, find_quantities_normalized
from streams.rules.regexes import regex_options
from streams.rules.regions import Span
from streams.rules.story import StoryContext, StoryLeaves
from streams.rules.text import ArticleText, primary_language
from streams.rules.thresholds import QuantityThresholds
from streams.rules.triggers import LeafFrequencies, static_leaf_rates, trigger_costs, trigger_leaves

_ACTIVE = attrgetter("active")


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
    units: UnitClasses | None = None
    compiled_at: float = field(default_factory=time.time)

    def __post_init__(self) -> None:
        self.automaton = build_automaton(self.phrases)
        self.single_word = [len(phrase.words) == 1 for phrase in self.phrases]
        # phrase id → leaves (terms / entity) that contain it
        phrase_leaves: list[list[int]] = [[] for _ in self.phrases]
        # built for the leaves a rule asks about only (an entity leaf holds tens of spellings)
        self.leaf_phrases = LeafPhrases(self.leaves)
        self._regex_leaves: list[tuple[int, RegexLeaf]] = []
        quantity_leaves: dict[str, list[tuple[int, QuantityLeaf]]] = {}
        story_leaves: list[tuple[int, StoryLeaf]] = []
        for lid, leaf in enumerate(self.leaves):
            if not self.leaf_rules[lid]:
                continue  # only used by a rule that failed to compile
            if isinstance(leaf, (TermsLeaf, EntityLeaf)):
                for pid in leaf.phrases:
                    phrase_leaves[pid].append(lid)
            elif isinstance(leaf, RegexLeaf):
                self._regex_leaves.append((lid, leaf))
            elif isinstance(leaf, QuantityLeaf):
                quantity_leaves.setdefault(leaf.unit, []).append((lid, leaf))
            elif isinstance(leaf, StoryLeaf):
                story_leaves.append((lid, leaf))
        # phrase id → leaves (terms / entity) that contain it; equal tuples shared
        self.phrase_leaves: list[tuple[int, ...]] = interned(tuple(lids) for lids in phrase_leaves)
        self._quantity_leaves = {unit: QuantityThresholds(leaves) for unit, leaves in quantity_leaves.items()}
        self.quantity_leaf_ids = frozenset(lid for leaves in quantity_leaves.values() for lid, _leaf in leaves)
        self._quantity_gate = UnitGate(self.units, quantity_leaves) if quantity_leaves and self.units else None
        self._story_leaves = StoryLeaves(story_leaves)
        self.uses_story = bool(story_leaves)
        self._regex_set = None
        if self._regex_leaves:
            regex_set = re2.Set.SearchSet(regex_options())
            for _lid, regex_leaf in self._regex_leaves:
                regex_set.Add(regex_leaf.folded_pattern)
            regex_set.Compile()
            self._regex_set = regex_set
        self._rule_index = {rule.id: i for i, rule in enumerate(self.rules)}
        leaf_getters: LeafGetters = {}
        self._evaluators = [compile_condition(node, None, leaf_getters) for node in self.conditions]
        # the same conditions counting only the occurrences in the rule's regions, for the
        # articles that have a region the rule leaves out
        self._in_regions = RegionEvaluators(self.conditions, [rule.regions for rule in self.rules], leaf_getters)
        self._needs_language = any(rule.languages for rule in self.rules)
        self._frequencies = LeafFrequencies(
            counts=[0] * len(self.leaves),
            static=static_leaf_rates(self.leaves, self.phrases),
        )
        # phrase id → chunk strings whose verdict has it (kept in step with the chunk cache)
        self.pid_chunks: dict[int, set[str]] = {}
        self._chunks = ChunkCache(self.chunk_verdict, self.pid_chunks)
        self._token_counts = TokenCounts()
        self._plan_triggers(self._frequencies.rates())

    def _rekey_phrases(self) -> bool:
        """Key each phrase on its rarest word by the document frequencies learned so far
        (``phrase_keys``); True when a key changed (those phrases are re-entered in the
        automaton)."""
        keys = learned_keys(self.phrases, self._token_counts)
        changed = {pid for pid, (key, phrase) in enumerate(zip(keys, self.phrases)) if key != phrase.key}
        if not changed or self.automaton is None:
            return False
        for pid in changed:
            self.phrases[pid] = Phrase(self.phrases[pid].words, keys[pid])
        self.automaton = rekeyed(self.automaton, self.phrases, changed)
        self._chunks.clear()  # chunk verdicts list the phrases keyed in them
        self.pid_chunks.clear()
        return True

    def _plan_triggers(self, rates: list[float]) -> bool:
        """Pick each rule's trigger leaves by ``rates``; True when the plan changed."""
        plan = self._trigger_plan(trigger_costs(rates, self.leaves))
        if any(plan[lid] for lid in self.quantity_leaf_ids):
            # Some rule triggers on a quantity: every article's quantities are read anyway,
            # so a quantity leaf costs the other rules only as often as it fires (a rule
            # pairing a threshold with a common word is then evaluated when the threshold is
            # reached, not on every article naming the word).
            plan = self._trigger_plan(trigger_costs(rates, self.leaves, scan_paid=True))
        if getattr(self, "leaf_triggers", None) == plan:
            return False
        self.leaf_triggers = plan
        self._quantity_triggers = any(plan[lid] for lid in self.quantity_leaf_ids)
        phrase_triggers = []
        for lids in self.phrase_leaves:
            rules: set[int] = set()
            for lid in lids:
                rules.update(plan[lid])
            phrase_triggers.append(tuple(sorted(rules)))
        self.phrase_triggers: list[tuple[int, ...]] = interned(phrase_triggers)
        self._chunks.clear()  # chunk verdicts carry the rules they trigger
        self.pid_chunks.clear()
        return True

    def _trigger_plan(self, costs: list[float]) -> list[tuple[int, ...]]:
        """Leaf id → the rules it triggers, each rule's trigger set chosen by ``costs``."""
        leaf_triggers: list[list[int]] = [[] for _ in self.leaves]
        for ri, node in enumerate(self.conditions):
            for lid in trigger_leaves(node, costs) or ():
                leaf_triggers[lid].append(ri)
        return [tuple(rules) for rules in leaf_triggers]

    # --- public API -----------------------------------------------------------------------
    def match(
        self,
        text: str,
        *,
        language: str | None = None,
        feed: str | None = None,
        title_end: int = 0,
        asides: Iterable[Span] = (),
        story: StoryContext | None = None,
    ) -> list[RuleMatch]:
        """Every rule ``text`` fires, in rule order, with evidence whose offsets index ``text``
        (``kernel.messages.document_text(title, body)``). ``title_end`` (the title's length)
        and ``asides`` (spans of ``text``) place each occurrence in a region
        (``streams.rules.regions.document_spans`` gives both for an article). ``story``
        feeds the ``story`` leaves; without it they do not hold."""
        article = ArticleText(text, title_end, asides)
        present = article.regions.present
        hits = self._fire_leaves(article, story)
        frequencies = self._frequencies
        replan = False
        if frequencies.should_sample():
            self._token_counts.record(article.chunks)
            replan = frequencies.record(hits.all_fired())
        candidates = self._candidates(hits)
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
            evaluate = self._evaluators[ri] if present <= rule.regions else self._in_regions[ri]
            occs = evaluate(hits)
            if occs is not None:
                results.append(RuleMatch(rule, to_evidence(occs, article.normalized, article.regions)))
        if replan:
            # After the article: its chunk verdicts were made under the keys and the plan
            # in force.
            self._rekey_phrases()
            self._plan_triggers(frequencies.rates())
        return results

    def evaluate_rule(
        self,
        rule_id: str,
        text: str,
        *,
        language: str | None = None,
        feed: str | None = None,
        filters: bool = True,
        title_end: int = 0,
        asides: Iterable[Span] = (),
        story: StoryContext | None = None,
        assume_story: bool = False,
    ) -> RuleMatch | None:
        """Whether one rule fires on ``text`` (used to check a rule's examples). With
        ``assume_story`` every ``story`` leaf holds: an example is a text, and tests the
        rule's words."""
        ri = self._rule_index[rule_id]
        rule = self.rules[ri]
        article = ArticleText(text, title_end, asides)
        if filters:
            lang = primary_language(language) if language else article.language()
            if rule.languages and lang not in rule.languages:
                return None
            if rule.feeds and feed not in rule.feeds:
                return None
        evaluate = self._evaluators[ri] if article.regions.present <= rule.regions else self._in_regions[ri]
        occs = evaluate(self._fire_leaves(article, story, assume_story=assume_story))
        return None if occs is None else RuleMatch(rule, to_evidence(occs, article.normalized, article.regions))

    def to_message(self, author: str = "") -> RuleSetMessage:
        return RuleSetMessage(
            ruleset_version=self.version,
            published_at=time.time(),
            author=author,
            rules=self.raw_rules,
            entities=self.entities,
        )

    @property
    def rule_ids(self) -> list[str]:
        return [r.id for r in self.rules]

    # --- leaves -----------------------------------------------------------------------------
    def chunk_verdict(self, chunk: str) -> ChunkVerdict:
        """Which phrases' key words the tokens of ``chunk`` are, and the rules they trigger
        (see ChunkVerdict)."""
        automaton = self.automaton
        if automaton is None or not chunk:
            return NO_HITS
        hits = key_word_hits(automaton, chunk)
        if not hits:
            return NO_HITS
        pid_chunks = self.pid_chunks
        triggers = self.phrase_triggers
        single_word = self.single_word
        rules: set[int] = set()
        multi = False
        for pid, _ts, _te in hits:
            holders = pid_chunks.get(pid)
            if holders is None:
                holders = pid_chunks[pid] = set()
            holders.add(chunk)
            if single_word[pid]:
                rules.update(triggers[pid])
            else:
                multi = True
        return ChunkVerdict(tuple(hits), tuple(rules), multi)

    def _fire_leaves(
        self, article: ArticleText, story: StoryContext | None = None, *, assume_story: bool = False
    ) -> LeafHits:
        self._chunks.make_room()
        hits = LeafHits(self, article, list(map(self._chunks.__getitem__, article.chunks)))
        leaf_occ = hits.ready
        if self.uses_story:
            if assume_story:
                story_fired = [lid for lid, _leaf in self._story_leaves.leaves]
            else:
                story_fired = self._story_leaves.fired(story) if story is not None else []
            for lid in story_fired:
                leaf_occ[lid] = []  # holds, with no words to show
                hits.fired.add(lid)
        if self._regex_set is not None and article.folded:
            standard = article.standard.text
            for index in self._regex_set.Match(standard) or ():
                lid, regex_leaf = self._regex_leaves[index]
                compiled = self.regexes[regex_leaf.folded_pattern]
                occs: list[Occurrence] = []
                for m in compiled.finditer(standard):
                    if m.end() > m.start():
                        occs.append(FoldedOccurrence("regex", m.start(), m.end()))
                        if len(occs) >= MAX_OCCURRENCES_PER_LEAF:
                            break
                if occs:
                    leaf_occ[lid] = occs
                    hits.fired.add(lid)
        if self._quantity_gate is not None:
            if self._quantity_triggers:
                self.fire_quantities(hits)
            else:
                # no rule is triggered by a quantity: read them only if a rule asks
                hits.quantities_pending = True
        return hits

    def fire_quantities(self, hits: LeafHits) -> None:
        """Find the article's quantities and fire the quantity leaves they satisfy."""
        hits.quantities_pending = False
        if self._quantity_gate is None or self.units is None:
            return
        by_unit: dict[str, tuple[list[QuantityOccurrence], list[float]]] = {}
        for mention in find_quantities_normalized(hits.article.standard, self.units, self._quantity_gate):
            if mention.unit in self._quantity_leaves:
                occurrence = QuantityOccurrence(mention.start, mention.end, value=mention.value, unit=mention.unit)
                occurrences, values = by_unit.setdefault(mention.unit, ([], []))
                occurrences.append(occurrence)
                values.append(mention.value)
        for unit, (occurrences, values) in by_unit.items():
            for lid, leaf in self._quantity_leaves[unit].fired(values):
                hits.ready[lid] = [occ for occ, value in zip(occurrences, values) if leaf.accepts(value)]
                hits.fired.add(lid)

    def _candidates(self, hits: LeafHits) -> set[int]:
        """The rules worth evaluating: those with no trigger set, and those one of whose
        trigger leaves fired."""
        candidates = set(self.always)
        verdicts = hits.verdicts
        active = hits.active = list(compress(range(len(verdicts)), map(_ACTIVE, verdicts)))
        single_word = self.single_word
        phrase_triggers = self.phrase_triggers
        chunk_starts: list[int] | None = None
        for i in active:
            verdict = verdicts[i]
            candidates.update(verdict.rules)
            if verdict.multi:
                if chunk_starts is None:
                    chunk_starts = hits.article.chunk_starts()
                base = chunk_starts[i]
                for pid, ts, te in verdict.hits:
                    if not single_word[pid] and hits.phrase_span(pid, base + ts, base + te) is not None:
                        candidates.update(phrase_triggers[pid])
        for lid in hits.fired:
            candidates.update(self.leaf_triggers[lid])
        return candidates
