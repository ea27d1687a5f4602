"""Matching one article against a compiled rule set.

``CompiledRuleSet.match(text)`` folds the text once and cuts it at spaces into *chunks*
(a word with its punctuation, mostly). What a chunk holds (which phrases' first words its
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
from bisect import bisect_right
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress
from operator import attrgetter
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
from streams.rules.triggers import LeafFrequencies, static_leaf_rates, trigger_leaves
from streams.textnorm import NormalizedText, fold

# Between the words of a phrase: spaces (one line break at most), hyphens, quotes,
# brackets. Anything else (a full stop, a comma) ends the phrase.
_PHRASE_GAP = frozenset(" \t\n-'\"()[]/")
MAX_OCCURRENCES_PER_LEAF = 200
_CHUNK_CACHE_SIZE = 100_000


def _is_word_char(ch: str) -> bool:
    return ch.isalnum() or ch == "_"


def _token_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    """The whole token of ``text`` containing [start, end)."""
    ts = start
    while ts > 0 and _is_word_char(text[ts - 1]):
        ts -= 1
    te = end
    n = len(text)
    while te < n and _is_word_char(text[te]):
        te += 1
    return ts, te


class ChunkVerdict:
    """What one chunk (text between two spaces) holds, whatever article it is in.

    ``hits``: (phrase id, token start, token end) for each phrase whose first word one of the
    chunk's tokens is, in automaton order; ``rules``: the rules triggered by the one-word
    phrases among them; ``multi``: some hit starts a phrase of several words, which only the
    article's following words can confirm."""

    __slots__ = ("hits", "pids", "rules", "multi", "active")

    def __init__(self, hits: tuple[tuple[int, int, int], ...], rules: tuple[int, ...], multi: bool):
        self.hits = hits
        self.pids = frozenset(h[0] for h in hits)
        self.rules = rules
        self.multi = multi
        self.active = bool(rules) or multi


_NO_HITS = ChunkVerdict((), (), False)
_ACTIVE = attrgetter("active")
_PLUS_ONE = (1).__add__
_HITS = attrgetter("hits")


class _ChunkCache(dict):
    """chunk → ChunkVerdict, computed on first sight; bounded (cleared when full, since
    rebuilding costs only the automaton runs of the chunks seen again)."""

    def __init__(self, compute, pid_chunks: dict[int, set[str]]):
        super().__init__()
        self.compute = compute
        self.pid_chunks = pid_chunks

    def make_room(self) -> None:
        """Called between articles (never during one: an article's verdicts must stay
        consistent with ``pid_chunks``)."""
        if len(self) >= _CHUNK_CACHE_SIZE:
            self.clear()
            self.pid_chunks.clear()

    def __missing__(self, chunk: str) -> ChunkVerdict:
        verdict = self[chunk] = self.compute(chunk)
        return verdict


class _TokenCounts(dict):
    """chunk → number of tokens in it (a pure function of the chunk, shared by all rule
    sets; bounded like the chunk cache)."""

    def __missing__(self, chunk: str) -> int:
        if len(self) >= _CHUNK_CACHE_SIZE:
            self.clear()
        count = self[chunk] = len(_WORD.findall(chunk))
        return count


_TOKEN_COUNTS = _TokenCounts()


class LeafHits:
    """The leaves that fired on one article. Term and entity occurrences are gathered only
    when a candidate rule's evaluation asks for a leaf: an everyday word may sit in many
    leaves, most of which are never looked at."""

    __slots__ = ("ruleset", "article", "verdicts", "_hit_chunks", "fired", "ready", "_absent", "_phrase_ends")

    def __init__(self, ruleset: CompiledRuleSet, article: ArticleText, verdicts: list[ChunkVerdict]):
        self.ruleset = ruleset
        self.article = article
        self.verdicts = verdicts
        self._hit_chunks: list[int] | None = None
        self.fired: set[int] = set()  # regex and quantity leaves that fired
        self.ready: dict[int, list[Occurrence]] = {}
        self._absent: set[int] = set()
        self._phrase_ends: dict[tuple[int, int], int | None] = {}

    def hit_chunks(self) -> list[int]:
        if self._hit_chunks is None:
            self._hit_chunks = list(compress(range(len(self.verdicts)), map(_HITS, self.verdicts)))
        return self._hit_chunks

    def phrase_end(self, pid: int, ts: int, te: int) -> int | None:
        """Where phrase ``pid`` ends when its first word is the token [ts, te) of the
        article, or None when its following words do not follow."""
        key = (pid, ts)
        if key in self._phrase_ends:
            return self._phrase_ends[key]
        article = self.article
        folded = article.folded
        last_end: int | None = te
        for spec in self.ruleset.phrases[pid].words[1:]:
            nxt = article.next_token(last_end)
            if nxt is None or not spec.matches(folded[nxt[0]:nxt[1]]):
                last_end = None
                break
            last_end = nxt[1]
        self._phrase_ends[key] = last_end
        return last_end

    def phrase_spans(self, wanted: frozenset[int] | None) -> dict[int, list[tuple[int, int]]]:
        """Phrase id → folded spans where it occurs, for the phrases in ``wanted`` (all when
        None), in the order the automaton meets them."""
        spans: dict[int, list[tuple[int, int]]] = {}
        verdicts = self.verdicts
        if wanted is None:
            chunk_indices: Any = self.hit_chunks()
        else:
            # The chunk strings known to hold a wanted phrase; finding them among the
            # article's chunks runs in C, not per word in Python.
            pid_chunks = self.ruleset._pid_chunks
            known = [pid_chunks[pid] for pid in wanted if pid in pid_chunks]
            if not known:
                return spans
            holders = known[0] if len(known) == 1 else set().union(*known)
            chunks = self.article.chunks
            chunk_indices = compress(range(len(chunks)), map(holders.__contains__, chunks))
        starts = self.article.chunk_starts()
        phrases = self.ruleset.phrases
        for i in chunk_indices:
            verdict = verdicts[i]
            if wanted is not None and wanted.isdisjoint(verdict.pids):
                continue
            base = starts[i]
            for pid, ts, te in verdict.hits:
                if wanted is not None and pid not in wanted:
                    continue
                if len(phrases[pid].words) == 1:
                    end: int | None = base + te
                else:
                    end = self.phrase_end(pid, base + ts, base + te)
                    if end is None:
                        continue
                spans.setdefault(pid, []).append((base + ts, end))
        return spans

    def get(self, lid: int) -> list[Occurrence] | None:
        occs = self.ready.get(lid)
        if occs is not None:
            return occs
        if lid in self._absent:
            return None
        ruleset = self.ruleset
        leaf = ruleset.leaves[lid]
        if not isinstance(leaf, (TermsLeaf, EntityLeaf)):
            return None  # regex and quantity leaves are ready when they fired
        spans = self.phrase_spans(ruleset._leaf_phrases[lid])
        if not spans:
            self._absent.add(lid)
            return None
        occs = []
        for pid, pid_spans in spans.items():
            entity = variant = term = None
            if isinstance(leaf, EntityLeaf):
                for eid in leaf.entities:
                    variant = ruleset.entity_info[eid].phrases.get(pid)
                    if variant is not None:
                        entity = eid
                        break
            else:
                term = ruleset.phrases[pid].text
            for fstart, fend in pid_spans:
                if len(occs) >= MAX_OCCURRENCES_PER_LEAF:
                    break
                occs.append(Occurrence(leaf.kind, fstart, fend, entity=entity, variant=variant, term=term))
        self.ready[lid] = occs
        return occs

    def all_fired(self) -> set[int]:
        """Every leaf that fired (the full, slow answer: used to sample leaf frequencies)."""
        fired = set(self.fired)
        phrase_leaves = self.ruleset._phrase_leaves
        for pid in self.phrase_spans(None):
            fired.update(phrase_leaves[pid])
        return fired


class ArticleText:
    """The folded text of one article, with lazily built token positions.

    ``folded`` keeps ة apart (terms and names, see ``morphology``); ``standard`` is the
    ordinary ``fold`` (regexes, quantities). Both have the same length and offsets."""

    __slots__ = ("normalized", "folded", "chunks", "_chunk_starts", "_standard", "_tokens_before")

    def __init__(self, text: str):
        self.folded = match_fold(text)
        self.normalized = NormalizedText(text, self.folded)
        # Folding turns every space but a line break into " ", so this cuts at all of them
        # (a line break is one character too: offsets stay those of ``folded``).
        self.chunks = self.folded.replace("\n", " ").split(" ")
        self._chunk_starts: list[int] | None = None
        self._standard: NormalizedText | None = None
        self._tokens_before: list[int] | None = None  # tokens in the chunks before each

    def chunk_starts(self) -> list[int]:
        """Folded offset of each chunk."""
        if self._chunk_starts is None:
            # each chunk is followed by one separator: start = sum of (length + 1) before it
            self._chunk_starts = list(accumulate(map(_PLUS_ONE, map(len, self.chunks)), initial=0))
        return self._chunk_starts

    @property
    def standard(self) -> NormalizedText:
        if self._standard is None:
            self._standard = NormalizedText(self.normalized.original, fold(self.normalized.original))
        return self._standard

    def token_at(self, start: int, end: int) -> tuple[int, int]:
        """The whole token containing folded [start, end)."""
        return _token_bounds(self.folded, start, end)
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
        """Index of the token at (or the last token before) folded position ``fpos``.

        Counted per chunk (a token never spans two) with cached per-chunk token counts:
        listing every token of the article with a regex costs several times more."""
        if self._tokens_before is None:
            self._tokens_before = list(accumulate(map(_TOKEN_COUNTS.__getitem__, self.chunks), initial=0))
        starts = self.chunk_starts()
        i = bisect_right(starts, fpos) - 1
        upto = len(_WORD.findall(self.chunks[i], 0, fpos - starts[i] + 1))
        return max(0, self._tokens_before[i] + upto - 1)

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
        self._leaf_phrases: list[frozenset[int]] = [frozenset() for _ in self.leaves]
        self._regex_leaves: list[int] = []
        self._quantity_leaves: dict[str, list[int]] = {}
        for lid, leaf in enumerate(self.leaves):
            if not self.leaf_rules[lid]:
                continue  # only used by a rule that failed to compile
            if isinstance(leaf, (TermsLeaf, EntityLeaf)):
                self._leaf_phrases[lid] = frozenset(leaf.phrases)
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
        self._needs_language = any(rule.languages for rule in self.rules)
        self._frequencies = LeafFrequencies(
            counts=[0] * len(self.leaves),
            static=static_leaf_rates(
                self.leaves, [p.words[0].word for p in self.phrases], [len(p.words) for p in self.phrases]
            ),
        )
        # phrase id → chunk strings whose verdict has it (kept in step with the chunk cache)
        self._pid_chunks: dict[int, set[str]] = {}
        self._chunks = _ChunkCache(self._chunk_verdict, self._pid_chunks)
        self._plan_triggers(self._frequencies.rates())

    def _plan_triggers(self, rates: list[float]) -> bool:
        """Pick each rule's trigger leaves by ``rates``; True when the plan changed."""
        leaf_triggers: list[list[int]] = [[] for _ in self.leaves]
        for ri, node in enumerate(self.conditions):
            for lid in trigger_leaves(node, rates) or ():
                leaf_triggers[lid].append(ri)
        plan = [tuple(rules) for rules in leaf_triggers]
        if getattr(self, "_leaf_triggers", None) == plan:
            return False
        self._leaf_triggers = plan
        phrase_triggers = []
        for lids in self._phrase_leaves:
            rules: set[int] = set()
            for lid in lids:
                rules.update(plan[lid])
            phrase_triggers.append(tuple(sorted(rules)))
        self._phrase_triggers: list[tuple[int, ...]] = phrase_triggers
        self._chunks.clear()  # chunk verdicts carry the rules they trigger
        self._pid_chunks.clear()
        return True

    # --- public API -----------------------------------------------------------------------
    def match(self, text: str, *, language: str | None = None, feed: str | None = None) -> list[RuleMatch]:
        """Every rule ``text`` fires, in rule order, with evidence whose offsets index ``text``
        (``marsad.messages.document_text(title, body)``)."""
        article = ArticleText(text)
        hits = self._fire_leaves(article)
        frequencies = self._frequencies
        replan = frequencies.should_sample() and frequencies.record(hits.all_fired())
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
            occs = self._evaluate(self.conditions[ri], hits, article)
            if occs is not None:
                results.append(RuleMatch(rule, to_evidence(occs, article.normalized)))
        if replan:
            # After the article: its chunk verdicts were made under the plan in force.
            self._plan_triggers(frequencies.rates())
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
    def _chunk_verdict(self, chunk: str) -> ChunkVerdict:
        """Which phrases' first words the tokens of ``chunk`` are (see ChunkVerdict)."""
        automaton = self._automaton
        if automaton is None or not chunk:
            return _NO_HITS
        found = automaton.iter(chunk)
        first = next(found, None)
        if first is None:
            return _NO_HITS  # most new words hold no core at all
        phrases = self.phrases
        hits: list[tuple[int, int, int]] = []
        checked: set[tuple[int, int]] = set()
        # The chunk's tokens; a core is all word characters, so it lies inside one token.
        tokens = [(0, len(chunk))] if chunk.isalnum() else [m.span() for m in _WORD.finditer(chunk)]
        for end, (core_len, pids) in chain((first,), found):
            ts, te = tokens[0] if len(tokens) == 1 else tokens[bisect_right(tokens, (end, len(chunk))) - 1]
            token = chunk[ts:te]
            for pid in pids:
                if (pid, ts) in checked:
                    continue
                checked.add((pid, ts))
                if phrases[pid].words[0].matches(token):
                    hits.append((pid, ts, te))
        if not hits:
            return _NO_HITS
        pid_chunks = self._pid_chunks
        triggers = self._phrase_triggers
        rules: set[int] = set()
        multi = False
        for pid, _ts, _te in hits:
            pid_chunks.setdefault(pid, set()).add(chunk)
            if len(phrases[pid].words) == 1:
                rules.update(triggers[pid])
            else:
                multi = True
        return ChunkVerdict(tuple(hits), tuple(sorted(rules)), multi)

    def _fire_leaves(self, article: ArticleText) -> LeafHits:
        self._chunks.make_room()
        hits = LeafHits(self, article, list(map(self._chunks.__getitem__, article.chunks)))
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
                    hits.fired.add(lid)
        if self._quantity_leaves:
            from streams.rules.quantities import find_quantities_normalized

            for mention in find_quantities_normalized(article.standard, self.units):
                for lid in self._quantity_leaves.get(mention.unit, ()):
                    if self.leaves[lid].accepts(mention.value):
                        leaf_occ.setdefault(lid, []).append(Occurrence(
                            "quantity", None, None, ostart=mention.start, oend=mention.end,
                            value=mention.value, unit=mention.unit,
                        ))
                        hits.fired.add(lid)
        return hits

    def _candidates(self, hits: LeafHits) -> set[int]:
        """The rules worth evaluating: those with no trigger set, and those one of whose
        trigger leaves fired."""
        candidates = set(self.always)
        verdicts = hits.verdicts
        active = list(compress(range(len(verdicts)), map(_ACTIVE, verdicts)))
        if active:
            starts = hits.article.chunk_starts()
            phrases = self.phrases
            for i in active:
                verdict = verdicts[i]
                candidates.update(verdict.rules)
                if verdict.multi:
                    base = starts[i]
                    for pid, ts, te in verdict.hits:
                        if len(phrases[pid].words) > 1 and hits.phrase_end(pid, base + ts, base + te) is not None:
                            candidates.update(self._phrase_triggers[pid])
        for lid in hits.fired:
            candidates.update(self._leaf_triggers[lid])
        return candidates

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
