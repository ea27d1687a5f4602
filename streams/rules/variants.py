"""Spelling variants of entity names, generated rather than typed by hand.

Arabic news spells the same foreign name several ways. Folding (``streams.textnorm``)
already unifies hamza/alef forms, ى/ي, ة/ه, diacritics and tatweel. On top of that this
module generates, per name:

- ج ↔ غ for a foreign G (ستولتنبرغ / ستولتنبرج, البنتاغون / البنتاجون), and ق when the
  entity asks for it (``variants: {qaf: true}``);
- the optional inner long vowels ي and و of transliterated names (ديميتري / دميتري,
  زيلينسكي / زيلنسكي, ميدفيديف / مدفيديف) — the names file should hold the fullest spelling;
- and drops every generated one-word variant that is a common Arabic word (كييف → كيف
  "how"), or that the entity excludes.

Clitics on the first token (وبوتين, للبنتاجون) are handled at match time
(``morphology.term_word(..., entity=True)``), not by generating more strings.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable
from dataclasses import dataclass, field
from functools import lru_cache
from pathlib import Path

from streams.rules.morphology import is_arabic, words_of
from streams.textnorm import fold

COMMON_WORDS_PATH = Path(__file__).with_name("common_words.txt")

G_LETTERS = ("ج", "غ")
QAF = "ق"
LONG_VOWELS = ("ي", "و")
# Beyond this many optional vowels in one word only single drops are generated, so that a
# long name cannot explode into hundreds of variants.
_MAX_OPTIONAL_VOWELS_ALL_SUBSETS = 3
MAX_VARIANTS_PER_NAME = 64


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """The folded common-word guard list."""
    words: set[str] = set()
    for line in COMMON_WORDS_PATH.read_text(encoding="utf-8").splitlines():
        line = line.strip()
        if line and not line.startswith("#"):
            words.update(fold(w) for w in words_of(line))
    return frozenset(words)


@dataclass(frozen=True)
class VariantOptions:
    generate: bool = True
    g: bool = True
    qaf: bool = False
    long_vowels: bool = True


@dataclass(frozen=True)
class Variant:
    """One spelling an entity may take: its folded words, and whether it was generated."""

    words: tuple[str, ...]
    generated: bool
    name: int = 0  # index of the name (or alias) it is a spelling of

    @property
    def text(self) -> str:
        return " ".join(self.words)


@dataclass
class EntityVariants:
    entity: str
    variants: list[Variant] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (variant, reason)


def _g_forms(word: str, options: VariantOptions) -> set[str]:
    if not options.g:
        return {word}
    letters = G_LETTERS + ((QAF,) if options.qaf else ())
    slots = [i for i, ch in enumerate(word) if ch in G_LETTERS or (options.qaf and ch == QAF)]
    if not slots:
        return {word}
    if not options.qaf:
        # ق is only swapped when configured; a written ق stays ق otherwise.
        slots = [i for i in slots if word[i] != QAF]
    forms = set()
    for choice in itertools.product(letters, repeat=len(slots)):
        chars = list(word)
        for pos, letter in zip(slots, choice):
            chars[pos] = letter
        forms.add("".join(chars))
    return forms


def _vowel_forms(word: str, options: VariantOptions) -> set[str]:
    """The word without any subset of its optional inner long vowels (never the first or
    last letter, never leaving fewer than three letters)."""
    if not options.long_vowels or len(word) < 4:
        return {word}
    slots = [i for i in range(1, len(word) - 1) if word[i] in LONG_VOWELS]
    if not slots:
        return {word}
    subsets: Iterable[tuple[int, ...]]
    if len(slots) <= _MAX_OPTIONAL_VOWELS_ALL_SUBSETS:
        subsets = itertools.chain.from_iterable(itertools.combinations(slots, k) for k in range(1, len(slots) + 1))
    else:
        subsets = ((i,) for i in slots)
    forms = {word}
    for drop in subsets:
        form = "".join(ch for i, ch in enumerate(word) if i not in drop)
        if len(form) >= 3:
            forms.add(form)
    return forms


def word_forms(word: str, options: VariantOptions) -> set[str]:
    if not options.generate or not is_arabic(word):
        return {word}
    forms: set[str] = set()
    for g_form in _g_forms(word, options):
        forms |= _vowel_forms(g_form, options)
    return forms


def entity_variants(
    entity: str, names: list[str], options: VariantOptions, exclude: list[str] | None = None
) -> EntityVariants:
    """Every spelling of an entity: the names as written, plus generated variants that pass
    the common-word guard and the entity's ``exclude`` list."""
    guard = common_words()
    excluded = {words_of(e) for e in exclude or []}
    result = EntityVariants(entity)
    seen: set[tuple[str, ...]] = set()
    for index, name in enumerate(names):
        words = words_of(name)
        if not words:
            continue
        if words not in seen and words not in excluded:
            seen.add(words)
            result.variants.append(Variant(words, generated=False, name=index))
        per_word = [sorted(word_forms(w, options)) for w in words]
        generated = 0
        for combo in itertools.product(*per_word):
            if combo in seen:
                continue
            seen.add(combo)
            text = " ".join(combo)
            if combo in excluded:
                result.dropped.append((text, "excluded by the entity"))
                continue
            if len(combo) == 1 and fold(combo[0]) in guard:
                result.dropped.append((text, "a common Arabic word"))
                continue
            if generated >= MAX_VARIANTS_PER_NAME:
                result.dropped.append((text, f"more than {MAX_VARIANTS_PER_NAME} variants of one name"))
                continue
            generated += 1
            result.variants.append(Variant(combo, generated=True, name=index))
    return result


def spelling_groups(variants: list[Variant]) -> list[tuple[tuple[str, ...], ...]]:
    """The variants as phrases of per-word spellings: the spellings of one name that are
    every combination of its words' spellings become ONE group (word i: the spellings its
    i-th word takes, in order of appearance, the written one first); a name some of whose
    combinations were dropped (excluded, a common word, over the cap, met under an
    earlier name) keeps one group per spelling, so that no dropped spelling comes back."""
    by_name: dict[int, list[Variant]] = {}
    for variant in variants:
        by_name.setdefault(variant.name, []).append(variant)
    groups: list[tuple[tuple[str, ...], ...]] = []
    for spellings in by_name.values():
        size = len(spellings[0].words)
        positions: list[dict[str, None]] = [{} for _ in range(size)]
        for variant in spellings:
            if len(variant.words) != size:
                break
            for position, word in zip(positions, variant.words):
                position[word] = None
        else:
            combinations = 1
            for position in positions:
                combinations *= len(position)
            if combinations == len(spellings):  # distinct variants: every combination
                groups.append(tuple(tuple(position) for position in positions))
                continue
        groups.extend(tuple((word,) for word in variant.words) for variant in spellings)
    return groups
