"""Phrases: the terms and entity spellings of a rule set, and the one automaton over the
cores of their key (rarest) words."""

from __future__ import annotations

from dataclasses import dataclass, field

import ahocorasick

from streams.rules.morphology import WordSpec


@dataclass(frozen=True, slots=True)
class Phrase:
    """A term or an entity spelling: one or more words that must follow each other.

    ``key`` is the index of its rarest word (``frequencies``): the word the automaton looks
    for; the words around it are checked only where it occurs."""

    words: tuple[WordSpec, ...]
    text: str  # folded words joined by spaces
    key: int = 0

    @property
    def key_word(self) -> WordSpec:
        return self.words[self.key]


@dataclass
class EntityInfo:
    """An entity of the rule set: its kind and the phrases its spellings became."""

    id: str
    kind: str
    phrases: dict[int, str] = field(default_factory=dict)  # phrase id → variant text


def build_automaton(phrases: list[Phrase]) -> ahocorasick.Automaton | None:
    """One automaton over the cores of the key word of every phrase; the value of a core
    is (core length, phrase ids keyed on it)."""
    by_core: dict[str, list[int]] = {}
    for pid, phrase in enumerate(phrases):
        by_core.setdefault(phrase.key_word.core, []).append(pid)
    if not by_core:
        return None
    automaton = ahocorasick.Automaton()
    for core, pids in by_core.items():
        automaton.add_word(core, (len(core), tuple(pids)))
    automaton.make_automaton()
    return automaton
