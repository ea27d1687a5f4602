"""The leaves that fired on one article, with their occurrences gathered on demand."""

from __future__ import annotations

from collections.abc import Iterable
from typing import Protocol

from streams.rules.chunks import ChunkVerdict
from streams.rules.evidence import FoldedOccurrence, Occurrence
from streams.rules.model import EntityLeaf, Leaf
from streams.rules.phrases import EntityInfo, LeafPhrases, Phrase, matches_any
from streams.rules.text import ArticleText

MAX_OCCURRENCES_PER_LEAF = 200


class RuleTables(Protocol):
    """What leaf hits read of a compiled rule set (``CompiledRuleSet`` provides it)."""

    phrases: list[Phrase]
    leaves: list[Leaf]
    entity_info: dict[str, EntityInfo]
    single_word: list[bool]  # phrase id → it has one word
    phrase_leaves: list[tuple[int, ...]]  # phrase id → leaves that contain it
    leaf_phrases: LeafPhrases  # leaf id → its phrases
    leaf_triggers: list[tuple[int, ...]]  # leaf id → rules it triggers
    pid_chunks: dict[int, set[str]]  # phrase id → chunks whose verdict has it
    quantity_leaf_ids: frozenset[int]

    def fire_quantities(self, hits: LeafHits) -> None: ...


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
        "quantities_pending",
        "_absent",
        "_in_regions",
        "_phrase_spans",
        "_active_spans",
        "_spellings",
    )

    def __init__(self, ruleset: RuleTables, article: ArticleText, verdicts: list[ChunkVerdict]):
        self.ruleset = ruleset
        self.article = article
        self.verdicts = verdicts
        # Indices of the chunks whose verdict is active (set when candidates are chosen).
        self.active: list[int] | None = None
        self.fired: set[int] = set()  # regex, quantity and story leaves that fired
        self.ready: dict[int, list[Occurrence]] = {}
        # the article's quantities are read on first need (``RuleTables.fire_quantities``)
        self.quantities_pending = False
        self._absent: set[int] = set()
        self._in_regions: dict[tuple[int, frozenset[str]], list[Occurrence] | None] = {}
        self._phrase_spans: dict[tuple[int, int], tuple[int, int] | None] = {}
        self._active_spans: dict[int, list[tuple[int, int]]] | None = None
        self._spellings: dict[tuple[int, str], str] = {}

    def phrase_span(self, pid: int, ts: int, te: int) -> tuple[int, int] | None:
        """The folded span of phrase ``pid`` when its key word is the token [ts, te) of the
        article, or None when its other words do not stand around it."""
        key = (pid, ts)
        spans = self._phrase_spans
        if key in spans:
            return spans[key]
        article = self.article
        folded = article.folded
        phrase = self.ruleset.phrases[pid]
        words = phrase.words
        span: tuple[int, int] | None = None
        first, last = ts, te
        for spellings in words[phrase.key + 1 :]:
            nxt = article.next_token(last)
            if nxt is None or not matches_any(spellings, folded[nxt[0] : nxt[1]]):
                break
            last = nxt[1]
        else:
            for spellings in reversed(words[: phrase.key]):
                prev = article.prev_token(first)
                if prev is None or not matches_any(spellings, folded[prev[0] : prev[1]]):
                    break
                first = prev[0]
            else:
                span = (first, last)
        spans[key] = span
        return span

    def active_spans(self) -> dict[int, list[tuple[int, int]]]:
        """Phrase id → folded spans, for every phrase the article's active chunks start
        (built once per article, for the triggering leaves of all its candidate rules)."""
        if self._active_spans is None:
            self._active_spans = self._spans(self.active or (), None)
        return self._active_spans

    def phrase_spans(self, wanted: frozenset[int]) -> dict[int, list[tuple[int, int]]]:
        """Phrase id → folded spans where it occurs, for the phrases in ``wanted``."""
        # The chunk strings known to hold a wanted phrase, then those of them this article
        # has (a set intersection, in C: most leaves asked for are absent), then where.
        pid_chunks = self.ruleset.pid_chunks
        known = [pid_chunks[pid] for pid in wanted if pid in pid_chunks]
        if not known:
            return {}
        holders = known[0] if len(known) == 1 else set().union(*known)
        present = holders.intersection(self.article.chunk_set())
        if not present:
            return {}
        return self._spans(self.article.chunk_indices(present), wanted)

    def _spans(self, chunk_indices: Iterable[int], wanted: frozenset[int] | None) -> dict[int, list[tuple[int, int]]]:
        """Phrase id → folded spans of the phrases (those in ``wanted`` unless None) that the
        given chunks start, in the order the automaton meets them."""
        spans: dict[int, list[tuple[int, int]]] = {}
        verdicts = self.verdicts
        chunk_starts = self.article.chunk_starts()
        single_word = self.ruleset.single_word
        base: int | None
        span: tuple[int, int]
        for i in chunk_indices:
            base = None  # placed when the chunk holds a wanted phrase
            for pid, ts, te in verdicts[i].hits:
                if wanted is not None and pid not in wanted:
                    continue
                if base is None:
                    base = chunk_starts[i]
                if single_word[pid]:
                    span = (base + ts, base + te)
                else:
                    found = self.phrase_span(pid, base + ts, base + te)
                    if found is None:
                        continue
                    span = found
                spans.setdefault(pid, []).append(span)
        return spans

    def get(self, lid: int) -> list[Occurrence] | None:
        occs = self.ready.get(lid)
        if occs is not None:
            return occs
        if lid in self._absent:
            return None
        ruleset = self.ruleset
        if self.quantities_pending and lid in ruleset.quantity_leaf_ids:
            ruleset.fire_quantities(self)
            return self.get(lid)
        wanted = ruleset.leaf_phrases[lid]  # none for regex and quantity leaves: ready if they fired
        found: Iterable[tuple[int, list[tuple[int, int]]]]
        if self.active is not None and ruleset.leaf_triggers[lid]:
            # A chunk holding a phrase of a triggering leaf triggers rules (a one-word
            # phrase) or waits for the words around its key (a longer one): it is active. The few
            # active chunks then hold every occurrence, and the article need not be scanned.
            in_active = self.active_spans()
            # The leaf's few phrases looked up in the article's ~30, rather than the ~30
            # tested against the leaf's (1 % of matching's instructions at 10k rules); several found
            # are taken in the automaton's order, as the evidence lists them.
            hit = [pid for pid in wanted if pid in in_active] if len(wanted) < len(in_active) else None
            if hit is None or len(hit) > 1:
                hit = [pid for pid in in_active if pid in wanted]
            found = [(pid, in_active[pid]) for pid in hit]
        else:
            found = self.phrase_spans(wanted).items()
        if not found:
            self._absent.add(lid)
            return None
        leaf = ruleset.leaves[lid]
        kind = leaf.kind
        occs = []
        folded = self.article.folded
        for pid, pid_spans in found:
            entity = variant = term = None
            phrase = ruleset.phrases[pid]
            # an entity name of several spellings: which one stands there, per occurrence
            spelled = None
            if isinstance(leaf, EntityLeaf):
                for eid in leaf.entities:
                    if pid in ruleset.entity_info[eid].phrases:
                        entity = eid
                        if phrase.one_spelling:
                            variant = phrase.text
                        else:
                            spelled = phrase
                        break
            else:
                term = phrase.text
            room = MAX_OCCURRENCES_PER_LEAF - len(occs)
            if len(pid_spans) > room:
                pid_spans = pid_spans[: max(room, 0)]
            if spelled is None:
                occs.extend([FoldedOccurrence(kind, fstart, fend, entity, variant, term) for fstart, fend in pid_spans])
                continue
            for fstart, fend in pid_spans:
                variant = self._spelling(pid, spelled, folded[fstart:fend])
                occs.append(FoldedOccurrence(kind, fstart, fend, entity, variant, term))
        self.ready[lid] = occs
        return occs

    def _spelling(self, pid: int, phrase: Phrase, found: str) -> str:
        """``phrase.spelling(found)``, once per distinct (phrase, text) of the article: a name
        is often repeated, and several leaves may hold it."""
        key = (pid, found)
        spellings = self._spellings
        spelling = spellings.get(key)
        if spelling is None:
            spelling = spellings[key] = phrase.spelling(found)
        return spelling

    def within(self, lid: int, regions: frozenset[str]) -> list[Occurrence] | None:
        """The occurrences of leaf ``lid`` in ``regions`` of the article (None: none)."""
        key = (lid, regions)
        if key in self._in_regions:
            return self._in_regions[key]
        occs = self.get(lid)
        if occs:  # a leaf that holds with no occurrence (a story) holds in every region
            article = self.article
            region_of = article.regions.region_of
            normalized = article.normalized
            occs = [occ for occ in occs if region_of(*occ.folded_span(normalized)) in regions] or None
        self._in_regions[key] = occs
        return occs

    def all_fired(self) -> set[int]:
        """Every leaf that fired (the full answer: used to sample leaf frequencies)."""
        ruleset = self.ruleset
        if self.quantities_pending:
            ruleset.fire_quantities(self)
        single_word = ruleset.single_word
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
        phrase_leaves = ruleset.phrase_leaves
        for pid in found:
            fired.update(phrase_leaves[pid])
        return fired
