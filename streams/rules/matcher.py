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
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from itertools import accumulate, chain, compress
from operator import attrgetter, itemgetter, methodcaller
from typing import Any

import re2

from kernel.messages import RuleSetMessage
from streams.rules.compiler import (
    EntityInfo,
    Phrase,
    build_automaton,
    primary_language,
    regex_options,
)
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
from streams.rules.morphology import _WORD, ANY_PREFIX, ANY_REMAINDER, match_fold
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

    __slots__ = ("hits", "rules", "multi", "active")

    def __init__(self, hits: tuple[tuple[int, int, int], ...], rules: tuple[int, ...], multi: bool):
        self.hits = hits
        self.rules = rules
        self.multi = multi
        self.active = bool(rules) or multi


_NO_HITS = ChunkVerdict((), (), False)
_ACTIVE = attrgetter("active")
_FIRST = itemgetter(0)


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
        # a chunk of letters and digits only is one word (most are): no regex needed
        count = self[chunk] = 1 if chunk.isalnum() else len(_WORD.findall(chunk))
        return count


_TOKEN_COUNTS = _TokenCounts()


class LeafHits:
    """The leaves that fired on one article. Term and entity occurrences are gathered only
    when a candidate rule's evaluation asks for a leaf: an everyday word may sit in many
    leaves, most of which are never looked at."""

    __slots__ = (
        "ruleset",
        "article",
        "verdicts",
        "active",
        "fired",
        "ready",
        "_absent",
        "_phrase_ends",
        "_active_spans",
    )

    def __init__(self, ruleset: CompiledRuleSet, article: ArticleText, verdicts: list[ChunkVerdict]):
        self.ruleset = ruleset
        self.article = article
        self.verdicts = verdicts
        # Indices of the chunks whose verdict is active (set when candidates are chosen).
        self.active: list[int] | None = None
        self.fired: set[int] = set()  # regex and quantity leaves that fired
        self.ready: dict[int, list[Occurrence]] = {}
        self._absent: set[int] = set()
        self._phrase_ends: dict[tuple[int, int], int | None] = {}
        self._active_spans: dict[int, list[tuple[int, int]]] | None = None

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
            if nxt is None or not spec.matches(folded[nxt[0] : nxt[1]]):
                last_end = None
                break
            last_end = nxt[1]
        self._phrase_ends[key] = last_end
        return last_end

    def active_spans(self) -> dict[int, list[tuple[int, int]]]:
        """Phrase id → folded spans, for every phrase the article's active chunks start
        (built once per article, for the triggering leaves of all its candidate rules)."""
        if self._active_spans is None:
            self._active_spans = self._spans(self.active or (), None)
        return self._active_spans

    def phrase_spans(self, wanted: frozenset[int]) -> dict[int, list[tuple[int, int]]]:
        """Phrase id → folded spans where it occurs, for the phrases in ``wanted``."""
        # The chunk strings known to hold a wanted phrase; finding them among the article's
        # chunks runs in C, not per word in Python.
        pid_chunks = self.ruleset._pid_chunks
        known = [pid_chunks[pid] for pid in wanted if pid in pid_chunks]
        if not known:
            return {}
        holders = known[0] if len(known) == 1 else set().union(*known)
        chunks = self.article.chunks
        return self._spans(compress(range(len(chunks)), map(holders.__contains__, chunks)), wanted)

    def _spans(self, chunk_indices: Iterable[int], wanted: frozenset[int] | None) -> dict[int, list[tuple[int, int]]]:
        """Phrase id → folded spans of the phrases (those in ``wanted`` unless None) that the
        given chunks start, in the order the automaton meets them."""
        spans: dict[int, list[tuple[int, int]]] = {}
        verdicts = self.verdicts
        chunk_start = self.article.chunk_start
        single_word = self.ruleset._single_word
        base: int | None
        for i in chunk_indices:
            base = None  # placed when the chunk holds a wanted phrase
            for pid, ts, te in verdicts[i].hits:
                if wanted is not None and pid not in wanted:
                    continue
                if base is None:
                    base = chunk_start(i)
                if single_word[pid]:
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
        wanted = ruleset._leaf_phrases[lid]  # none for regex and quantity leaves: ready if they fired
        found: Iterable[tuple[int, list[tuple[int, int]]]]
        if self.active is not None and ruleset._leaf_triggers[lid]:
            # A chunk holding a phrase of a triggering leaf triggers rules (a one-word
            # phrase) or waits for following words (a longer one): it is active. The few
            # active chunks then hold every occurrence, and the article need not be scanned.
            in_active = self.active_spans()
            found = [(pid, in_active[pid]) for pid in in_active if pid in wanted]
        else:
            found = self.phrase_spans(wanted).items()
        if not found:
            self._absent.add(lid)
            return None
        leaf = ruleset.leaves[lid]
        occs = []
        for pid, pid_spans in found:
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
        """Every leaf that fired (the full answer: used to sample leaf frequencies)."""
        ruleset = self.ruleset
        single_word = ruleset._single_word
        found: set[int] = set()
        longer: set[int] = set()
        # A one-word phrase fired wherever it was found: no need to place it, and a chunk
        # repeated in the article need only be looked at once.
        for verdict in dict.fromkeys(self.verdicts):
            for pid, _ts, _te in verdict.hits:
                (found if single_word[pid] else longer).add(pid)
        if longer:
            # a longer phrase only where its following words follow
            found.update(self.phrase_spans(frozenset(longer)))
        fired = set(self.fired)
        phrase_leaves = ruleset._phrase_leaves
        for pid in found:
            fired.update(phrase_leaves[pid])
        return fired


class ArticleText:
    """The folded text of one article, with lazily built token positions.

    ``folded`` keeps ة apart (terms and names, see ``morphology``); ``standard`` is the
    ordinary ``fold`` (regexes, quantities). Both have the same length and offsets."""

    __slots__ = ("normalized", "folded", "chunks", "_spaced", "_standard", "_tokens_before")

    def __init__(self, text: str):
        self.folded = match_fold(text)
        self.normalized = NormalizedText(text, self.folded)
        # Folding turns every space but a line break into " ", so this cuts at all of them
        # (a line break is one character too: offsets stay those of ``folded``).
        self._spaced = self.folded.replace("\n", " ")  # (chunk_start searches it)
        self.chunks = self._spaced.split(" ")
        self._standard: NormalizedText | None = None
        self._tokens_before: list[int] | None = None  # tokens in the chunks before each

    def chunk_start(self, i: int) -> int:
        """Folded offset of chunk ``i``."""
        chunks = self.chunks
        if i == 0:
            return 0
        if i == len(chunks) - 1:
            return len(self.folded) - len(chunks[i])
        # An article needs the offsets of a few chunks, mostly rare words: a chunk whose text
        # stands once in the article is where a search (in C) finds it between separators,
        # a repeated one is placed by the lengths of the chunks before it. Either costs less
        # than a running sum over all the chunks of every article.
        spaced = self._spaced
        key = " " + chunks[i] + " "  # only a chunk between two others can match
        at = spaced.find(key)
        if spaced.find(key, at + 1) == -1:
            return at + 1
        return sum(map(len, chunks[:i])) + i

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
        folded = self.folded
        # The chunk holding ``fpos`` comes after one separator (a space or a line break) per
        # chunk before it; counting them runs in C, with no list of chunk offsets to build.
        i = folded.count(" ", 0, fpos) + folded.count("\n", 0, fpos)
        start = max(folded.rfind(" ", 0, fpos), folded.rfind("\n", 0, fpos)) + 1
        upto = len(_WORD.findall(self.chunks[i], 0, fpos - start + 1))
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
        self._first_words = [phrase.words[0] for phrase in self.phrases]
        self._single_word = [len(phrase.words) == 1 for phrase in self.phrases]
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
        self._evaluators = [compile_condition(node) for node in self.conditions]
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
        (``kernel.messages.document_text(title, body)``)."""
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
            occs = self._evaluators[ri](hits)
            if occs is not None:
                results.append(RuleMatch(rule, to_evidence(occs, article.normalized)))
        if replan:
            # After the article: its chunk verdicts were made under the plan in force.
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
        occs = self._evaluators[ri](self._fire_leaves(article))
        return None if occs is None else RuleMatch(rule, to_evidence(occs, article.normalized))

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
    def _chunk_verdict(self, chunk: str) -> ChunkVerdict:
        """Which phrases' first words the tokens of ``chunk`` are (see ChunkVerdict)."""
        automaton = self._automaton
        if automaton is None or not chunk:
            return _NO_HITS
        found = automaton.iter(chunk)
        first = next(found, None)
        if first is None:
            return _NO_HITS  # most new words hold no core at all
        first_words = self._first_words
        hits: list[tuple[int, int, int]] = []
        # Each hit's place in the automaton's order: where the automaton first meets its
        # core in its token, (end, -length). A core met first where no spec takes it is
        # skipped there, and its hit restored to that place at the end.
        order: list[tuple[int, int]] = []
        met_earlier = False
        checked: set[tuple[int, int]] = set()
        # The chunk's tokens; a core is all word characters, so it lies inside one token.
        size = len(chunk)
        tokens = None if chunk.isalnum() else [m.span() for m in _WORD.finditer(chunk)]
        ts, te = 0, size
        for end, (core_len, pids) in chain((first,), found):
            if tokens is not None:
                ts, te = tokens[bisect_right(tokens, (end, size)) - 1]
            start = end + 1 - core_len
            # No spec takes what surrounds the core here (most cores found in a new word end
            # here): ``matches`` would fail at this place.
            prefix = chunk[ts:start]
            if prefix not in ANY_PREFIX:
                continue
            remainder = chunk[end + 1 : te]
            if remainder not in ANY_REMAINDER:
                continue
            core = chunk[start : end + 1]
            first_at = chunk.find(core, ts, te) if start > ts else start
            for pid in pids:
                if (pid, ts) in checked:
                    continue
                checked.add((pid, ts))
                spec = first_words[pid]
                if not (prefix in spec.allowed_prefixes and remainder in spec.allowed_remainders):
                    # Not this word at this place; ``matches`` tries every place of the core in
                    # the token, so only another place can make it.
                    elsewhere = first_at != start or chunk.find(core, start + 1, te) != -1
                    if not (elsewhere and spec.matches(chunk[ts:te])):
                        continue
                hits.append((pid, ts, te))
                order.append((first_at + core_len, -core_len))
                met_earlier = met_earlier or first_at != start
        if met_earlier:
            hits = [hit for _, hit in sorted(zip(order, hits), key=_FIRST)]
        if not hits:
            return _NO_HITS
        pid_chunks = self._pid_chunks
        triggers = self._phrase_triggers
        single_word = self._single_word
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
                        leaf_occ.setdefault(lid, []).append(
                            Occurrence(
                                "quantity",
                                None,
                                None,
                                ostart=mention.start,
                                oend=mention.end,
                                value=mention.value,
                                unit=mention.unit,
                            )
                        )
                        hits.fired.add(lid)
        return hits

    def _candidates(self, hits: LeafHits) -> set[int]:
        """The rules worth evaluating: those with no trigger set, and those one of whose
        trigger leaves fired."""
        candidates = set(self.always)
        verdicts = hits.verdicts
        active = hits.active = list(compress(range(len(verdicts)), map(_ACTIVE, verdicts)))
        for i in active:
            verdict = verdicts[i]
            candidates.update(verdict.rules)
            if verdict.multi:
                base = hits.article.chunk_start(i)
                for pid, ts, te in verdict.hits:
                    if not self._single_word[pid] and hits.phrase_end(pid, base + ts, base + te) is not None:
                        candidates.update(self._phrase_triggers[pid])
        for lid in hits.fired:
            candidates.update(self._leaf_triggers[lid])
        return candidates


Evaluator = Callable[[LeafHits], list[Occurrence] | None]


def compile_condition(node: Node) -> Evaluator:
    """A condition as a function of an article's leaf hits: the evidence when it holds
    (possibly empty), None when it does not. Built once per rule, so that evaluating a
    candidate rule does not dispatch on the node types again for every article."""
    if isinstance(node, LeafNode):
        return methodcaller("get", node.leaf)  # hits.get(leaf), called from C
    if isinstance(node, AllNode):
        every = tuple(map(compile_condition, node.children))

        def all_of(hits: LeafHits) -> list[Occurrence] | None:
            out: list[Occurrence] = []
            for child in every:
                occs = child(hits)
                if occs is None:
                    return None
                out.extend(occs)
            return out

        return all_of
    if isinstance(node, AnyNode):
        some = tuple(map(compile_condition, node.children))

        def any_of(hits: LeafHits) -> list[Occurrence] | None:
            out: list[Occurrence] = []
            matched = False
            for child in some:
                occs = child(hits)
                if occs is not None:
                    matched = True
                    out.extend(occs)
            return out if matched else None

        return any_of
    if isinstance(node, NotNode):
        inner = compile_condition(node.child)
        return lambda hits: [] if inner(hits) is None else None
    if isinstance(node, NearNode):
        return lambda hits: _near(node, hits, hits.article)
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
