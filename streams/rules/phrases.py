"""Phrases: the terms and entity names of a rule set, and the one automaton over the cores
of their key (rarest) words.

An entity name is ONE phrase whatever its number of spellings: each of its words is a tuple
of the spellings that word may take (a two-word name with four spellings of each word is
eight word specs, not sixteen phrases). A term's words have one spelling each."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain
from operator import itemgetter

import ahocorasick

from streams.rules.model import EntityLeaf, Leaf, TermsLeaf
from streams.rules.morphology import WORD, WordSpec

_PID = itemgetter(0)
# The spellings one word of a phrase may take, the first as written (one for a term word).
Spellings = tuple[WordSpec, ...]


def matches_any(spellings: Spellings, token: str) -> bool:
    """Whether ``token`` (match-folded, one whole word) is one of ``spellings``."""
    for spec in spellings:
        if spec.matches(token):
            return True
    return False


@dataclass(frozen=True, slots=True)
class Phrase:
    """A term or an entity name: one or more words that must follow each other, each word
    one of its spellings.

    ``key`` is the index of its rarest word (``frequencies``): the word whose spellings the
    automaton looks for; the words around it are checked only where it occurs."""

    words: tuple[Spellings, ...]
    key: int = 0

    @property
    def key_word(self) -> WordSpec:
        """The key word as written (its first spelling)."""
        return self.words[self.key][0]

    @property
    def text(self) -> str:
        """The folded words as written, joined by spaces (made on demand)."""
        return " ".join(spellings[0].word for spellings in self.words)

    @property
    def one_spelling(self) -> bool:
        return all(len(spellings) == 1 for spellings in self.words)

    def spelling(self, found: str) -> str:
        """The spelling of the phrase that ``found`` (the folded text of one of its
        occurrences) is: per word, the first of its spellings the token is, joined by
        spaces, as the entity's spelling list has it."""
        if self.one_spelling:
            return self.text
        tokens = WORD.findall(found)
        words = []
        for spellings, token in zip(self.words, tokens):
            words.append(next((spec.word for spec in spellings if spec.matches(token)), spellings[0].word))
        return " ".join(words)


@dataclass
class EntityInfo:
    """An entity of the rule set: its kind and the phrases its names became."""

    id: str
    kind: str
    # the ids of the phrases its names became, in order
    phrases: dict[int, None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class KeyAutomaton:
    """One automaton over the cores of every spelling of the key word of every phrase. Its
    values are core numbers (plain ints stored in the automaton, no Python object per
    core); the arrays give each core's length and its entries: entry ``j`` is phrase
    ``pids[j]`` by its key spelling ``specs[j]``."""

    automaton: ahocorasick.Automaton
    lengths: array[int]
    # the entries of core ``n`` are ``offsets[n]`` to ``offsets[n + 1]`` (exclusive)
    offsets: array[int]
    pids: array[int]
    specs: list[WordSpec]


def build_automaton(phrases: list[Phrase]) -> KeyAutomaton | None:
    by_core: dict[str, list[tuple[int, WordSpec]]] = {}
    for pid, phrase in enumerate(phrases):
        for spec in phrase.words[phrase.key]:
            by_core.setdefault(spec.core, []).append((pid, spec))
    if not by_core:
        return None
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for number, core in enumerate(by_core):
        automaton.add_word(core, number)
    automaton.make_automaton()
    offsets = array("I", accumulate(map(len, by_core.values()), initial=0))
    entries = list(chain.from_iterable(by_core.values()))
    pids = array("I", [pid for pid, _spec in entries])
    return KeyAutomaton(automaton, array("I", map(len, by_core)), offsets, pids, [spec for _pid, spec in entries])


def rekeyed(keys: KeyAutomaton, phrases: list[Phrase], changed: set[int]) -> KeyAutomaton:
    """``keys`` with the phrases in ``changed`` keyed on their (new) key words: their old
    entries dropped, their new ones added, cores met for the first time added to the same
    automaton (a core no phrase is keyed on any more stays, with no entries). Done in
    place of a rebuild: building a 10k-rule set's automaton anew costs ~5 MB and 0.3 s."""
    automaton = keys.automaton
    added: dict[int, list[tuple[int, WordSpec]]] = {}
    lengths = array("I", keys.lengths)
    for pid in sorted(changed):
        phrase = phrases[pid]
        for spec in phrase.words[phrase.key]:
            number = automaton.get(spec.core, None)
            if number is None:
                number = len(lengths)
                automaton.add_word(spec.core, number)
                lengths.append(len(spec.core))
            added.setdefault(number, []).append((pid, spec))
    if automaton.kind != ahocorasick.AHOCORASICK:
        automaton.make_automaton()
    offsets = array("I", [0])
    pids: array[int] = array("I")
    specs: list[WordSpec] = []
    old_offsets, old_pids, old_specs = keys.offsets, keys.pids, keys.specs
    for number in range(len(lengths)):
        kept: list[tuple[int, WordSpec]] = []
        if number + 1 < len(old_offsets):
            for entry in range(old_offsets[number], old_offsets[number + 1]):
                if old_pids[entry] not in changed:
                    kept.append((old_pids[entry], old_specs[entry]))
        more = added.get(number)
        if more:
            # in phrase order, as a fresh build has them (stable: a phrase's spellings in order)
            kept = sorted(kept + more, key=_PID)
        pids.extend(pid for pid, _spec in kept)
        specs.extend(spec for _pid, spec in kept)
        offsets.append(len(pids))
    return KeyAutomaton(automaton, lengths, offsets, pids, specs)


class LeafPhrases(dict[int, frozenset[int]]):
    """Leaf id → the ids of its phrases (none for regex and quantity leaves), built on first
    need."""

    def __init__(self, leaves: Sequence[Leaf]) -> None:
        super().__init__()
        self.leaves = leaves

    def __missing__(self, lid: int) -> frozenset[int]:
        leaf = self.leaves[lid]
        phrases = self[lid] = frozenset(leaf.phrases if isinstance(leaf, (TermsLeaf, EntityLeaf)) else ())
        return phrases


def interned(items: Iterable[tuple[int, ...]]) -> list[tuple[int, ...]]:
    """``items`` as a list in which equal tuples are one object (phrases of one leaf share
    their leaves and triggers: tens of thousands of small tuples otherwise)."""
    seen: dict[tuple[int, ...], tuple[int, ...]] = {}
    return [seen.setdefault(item, item) for item in items]
