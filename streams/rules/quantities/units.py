"""Unit classes: the words that make a number a count of something ("100 ألف جندي" → troops).

Each listed word is expanded into the forms news writes it in (plurals, duals, tanween,
attached pronouns; English plurals), indexed by their first folded token.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from kernel.errors import ConfigError
from streams.rules.quantities.tokens import LATIN_WORD_RE, TOKEN_RE
from streams.textnorm import fold

_ARABIC_PLURAL_SUFFIXES = ("ون", "ين", "ان")
_ARABIC_PRONOUNS = ("ه", "ها", "هم", "هما", "كم", "كن", "نا", "ي")


def _arabic_forms(word: str) -> list[tuple[str, int]]:
    """Derived forms of a folded Arabic word, with a rank (0 listed, 1 inflected, 2 +pronoun).

    Tanween (جنديًا → جنديا), sound plurals and duals (عسكريون عسكريين, دبابة → دبابات
    دبابتين) and attached pronouns (جنوده, قواتها, دبابته)."""
    forms = [(word, 0), (word + "ا", 1)]
    if word.endswith("ه"):  # ta marbuta, folded
        stem = word[:-1]
        inflected = [stem + "ات", stem + "تان", stem + "تين"]
        forms += [(form, 1) for form in inflected]
        forms += [(stem + "ت" + pronoun, 2) for pronoun in _ARABIC_PRONOUNS]
        forms += [(stem + "ات" + pronoun, 2) for pronoun in _ARABIC_PRONOUNS]
    else:
        inflected = [word + suffix for suffix in _ARABIC_PLURAL_SUFFIXES]
        forms += [(form, 1) for form in inflected]
        forms += [(word + pronoun, 2) for pronoun in _ARABIC_PRONOUNS]
        # a sound plural or dual drops its ن before a pronoun: عسكرييه, مقاتليهم
        forms += [(word + "ي" + pronoun, 2) for pronoun in _ARABIC_PRONOUNS[:5]]
    return forms


def _english_forms(word: str) -> list[tuple[str, int]]:
    forms = [(word, 0), (word + "s", 1)]
    if word.endswith(("s", "x", "ch", "sh")):
        forms.append((word + "es", 1))
    return forms


@dataclass(frozen=True, slots=True)
class UnitEntry:
    """A unit-class word form, found by its first token."""

    unit: str
    rest: tuple[str, ...]  # the following tokens of a multi-word entry
    rank: int


@dataclass(frozen=True)
class UnitClasses:
    """Unit classes: unit id → the words that name it (as written in the config), plus the
    symbols that may stand before a number for it ($). Build with :func:`load_unit_classes`
    or directly from mappings (tests, other config sources)."""

    words: Mapping[str, tuple[str, ...]] = field(hash=False)
    prefixes: Mapping[str, tuple[str, ...]] = field(default_factory=dict, hash=False)
    source: str = "<memory>"
    # first folded token of every derived form → candidate entries, longest first
    by_first: Mapping[str, tuple[UnitEntry, ...]] = field(init=False, repr=False, compare=False, hash=False)
    prefix_phrases: tuple[tuple[tuple[str, ...], str], ...] = field(init=False, repr=False, compare=False, hash=False)
    # the last tokens of the prefix phrases, so that most numbers are not compared with each
    # phrase; None when a prefix folds to no token (it would stand before any number)
    prefix_last_tokens: frozenset[str] | None = field(init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        words = MappingProxyType({unit: tuple(ws) for unit, ws in self.words.items()})
        prefixes = MappingProxyType({unit: tuple(ps) for unit, ps in self.prefixes.items()})
        object.__setattr__(self, "words", words)
        object.__setattr__(self, "prefixes", prefixes)
        for unit in prefixes:
            if unit not in words:
                raise ConfigError(f"prefixes given for unknown unit class {unit!r}", path=self.source)
        best: dict[tuple[str, ...], UnitEntry] = {}
        for unit, unit_words in words.items():
            for word in unit_words:
                tokens = tuple(TOKEN_RE.findall(fold(word)))
                if not tokens:
                    raise ConfigError(f"unit class {unit!r} has an empty word", path=self.source)
                latin = all(LATIN_WORD_RE.fullmatch(t) for t in tokens)
                # inflect the head: the last word in English (fighter jets), the first in
                # Arabic (طائرة مقاتلة → طائرات مقاتلة)
                head = len(tokens) - 1 if latin else 0
                derive = _english_forms if latin else _arabic_forms
                for form, rank in derive(tokens[head]):
                    variant = tokens[:head] + (form,) + tokens[head + 1 :]
                    current = best.get(variant)
                    if current is None or rank < current.rank:
                        best[variant] = UnitEntry(unit, variant[1:], rank)
        by_first: dict[str, list[UnitEntry]] = {}
        for variant, entry in best.items():
            by_first.setdefault(variant[0], []).append(entry)
        object.__setattr__(
            self,
            "by_first",
            {first: tuple(sorted(entries, key=lambda e: -len(e.rest))) for first, entries in by_first.items()},
        )
        object.__setattr__(
            self,
            "prefix_phrases",
            tuple(
                sorted(
                    ((tuple(TOKEN_RE.findall(fold(p))), unit) for unit, ps in prefixes.items() for p in ps),
                    key=lambda item: -len(item[0]),
                )
            ),
        )

        phrases = [tokens for tokens, _unit in self.prefix_phrases]
        last_tokens = frozenset(tokens[-1] for tokens in phrases) if all(phrases) else None
        object.__setattr__(self, "prefix_last_tokens", last_tokens)

    @property
    def ids(self) -> tuple[str, ...]:
        """The unit class ids, in config order."""
        return tuple(self.words)

    def __contains__(self, unit: object) -> bool:
        return unit in self.words

    def unit_of(self, word: str) -> str | None:
        """The unit class a single word (any derived form) belongs to, or None."""
        tokens = TOKEN_RE.findall(fold(word))
        if not tokens:
            return None
        for entry in self.by_first.get(tokens[0], ()):
            if entry.rest == tuple(tokens[1:]):
                return entry.unit
        return None
