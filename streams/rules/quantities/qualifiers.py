"""Qualifiers of an amount: "أكثر من 100 ألف", "نحو مليون", "about 5,000", "1,000 or more".

A qualifier is part of a mention's span; the lower-bound ones ("more than", "على الأقل")
make the mention a lower bound.
"""

from __future__ import annotations

from collections.abc import Iterable

from streams.rules.quantities.tokens import LATIN_WORD_RE, PROCLITICS, folded_tokens

LOWER, ABOUT, LESS, UP_TO = "lower", "about", "less", "up_to"

_QUALIFIERS_BEFORE: tuple[tuple[str, str], ...] = (
    ("أكثر من", LOWER),
    ("ما يزيد على", LOWER),
    ("ما يزيد عن", LOWER),
    ("يزيد على", LOWER),
    ("يزيد عن", LOWER),
    ("ما يربو على", LOWER),
    ("يربو على", LOWER),
    ("ما لا يقل عن", LOWER),
    ("لا يقل عن", LOWER),
    ("أزيد من", LOWER),
    ("ما فوق", LOWER),
    ("نحو", ABOUT),
    ("قرابة", ABOUT),
    ("ما يقارب", ABOUT),
    ("يقارب", ABOUT),
    ("ما يقرب من", ABOUT),
    ("حوالي", ABOUT),
    ("زهاء", ABOUT),
    ("ما يناهز", ABOUT),
    ("يناهز", ABOUT),
    ("تقريبا", ABOUT),
    ("أقل من", LESS),
    ("ما يقل عن", LESS),
    ("ما دون", LESS),
    ("ما يصل إلى", UP_TO),
    ("يصل إلى", UP_TO),
    ("حتى", UP_TO),
    ("لا يتجاوز", UP_TO),
    ("more than", LOWER),
    ("over", LOWER),
    ("at least", LOWER),
    ("upwards of", LOWER),
    ("in excess of", LOWER),
    ("no fewer than", LOWER),
    ("no less than", LOWER),
    ("about", ABOUT),
    ("some", ABOUT),
    ("around", ABOUT),
    ("approximately", ABOUT),
    ("roughly", ABOUT),
    ("nearly", ABOUT),
    ("almost", ABOUT),
    ("close to", ABOUT),
    ("an estimated", ABOUT),
    ("estimated", ABOUT),
    ("less than", LESS),
    ("fewer than", LESS),
    ("under", LESS),
    ("below", LESS),
    ("up to", UP_TO),
    ("as many as", UP_TO),
)
_QUALIFIERS_AFTER: tuple[tuple[str, str], ...] = (
    ("على الأقل", LOWER),
    ("أو أكثر", LOWER),
    ("تقريبا", ABOUT),
    ("at least", LOWER),
    ("or more", LOWER),
)

# A folded qualifier phrase as tokens, its kind, and the length of a proclitic on its first token.
QualifierPhrase = tuple[tuple[str, ...], str, int]


def _phrase_index(phrases: Iterable[tuple[str, str]]) -> dict[str, tuple[QualifierPhrase, ...]]:
    """Qualifier phrases keyed by their last folded token (for looking behind a number).

    The first token may carry a proclitic ("بنحو", "وأكثر من"); the int is its length."""
    by_last: dict[str, list[QualifierPhrase]] = {}
    for phrase, kind in phrases:
        tokens = folded_tokens(phrase)
        variants = [(tokens, 0)]
        if not LATIN_WORD_RE.fullmatch(tokens[0]):
            variants += [((clitic + tokens[0],) + tokens[1:], len(clitic)) for clitic in PROCLITICS]
        for variant, clitic_len in variants:
            by_last.setdefault(variant[-1], []).append((variant, kind, clitic_len))
    return {last: tuple(sorted(items, key=lambda item: -len(item[0]))) for last, items in by_last.items()}


QUALIFIERS_BY_LAST = _phrase_index(_QUALIFIERS_BEFORE)
QUALIFIERS_AFTER_TOKENS: tuple[tuple[tuple[str, ...], str], ...] = tuple(
    (folded_tokens(phrase), kind) for phrase, kind in _QUALIFIERS_AFTER
)
