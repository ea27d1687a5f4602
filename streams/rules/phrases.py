"""Phrases: the terms and entity spellings of a rule set, and the one automaton over the
cores of their key (rarest) words."""

from __future__ import annotations

from array import array
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from itertools import accumulate, chain

import ahocorasick

from streams.rules.model import EntityLeaf, Leaf, TermsLeaf
from streams.rules.morphology import WordSpec


@dataclass(frozen=True, slots=True)
class Phrase:
    """A term or an entity spelling: one or more words that must follow each other.

    ``key`` is the index of its rarest word (``frequencies``): the word the automaton looks
    for; the words around it are checked only where it occurs."""

    words: tuple[WordSpec, ...]
    key: int = 0

    @property
    def key_word(self) -> WordSpec:
        return self.words[self.key]

    @property
    def text(self) -> str:
        """The folded words joined by spaces (made on demand: most phrases are entity
        spellings, whose text is never asked for)."""
        return " ".join(spec.word for spec in self.words)


@dataclass
class EntityInfo:
    """An entity of the rule set: its kind and the phrases its spellings became."""

    id: str
    kind: str
    # the ids of the phrases its spellings became, in order (a spelling's text is its
    # phrase's ``text``: the same words)
    phrases: dict[int, None] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class KeyAutomaton:
    """One automaton over the cores of the key word of every phrase. Its values are core
    numbers (plain ints stored in the automaton, no Python object per core); the arrays
    give each core's length and the phrase ids keyed on it."""

    automaton: ahocorasick.Automaton
    lengths: array[int]
    # the phrase ids of core ``n`` are ``pids[offsets[n]:offsets[n + 1]]``
    offsets: array[int]
    pids: array[int]


def build_automaton(phrases: list[Phrase]) -> KeyAutomaton | None:
    by_core: dict[str, list[int]] = {}
    for pid, phrase in enumerate(phrases):
        by_core.setdefault(phrase.key_word.core, []).append(pid)
    if not by_core:
        return None
    automaton = ahocorasick.Automaton(ahocorasick.STORE_INTS)
    for number, core in enumerate(by_core):
        automaton.add_word(core, number)
    automaton.make_automaton()
    offsets = array("I", accumulate(map(len, by_core.values()), initial=0))
    pids = array("I", chain.from_iterable(by_core.values()))
    return KeyAutomaton(automaton, array("I", map(len, by_core)), offsets, pids)


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
