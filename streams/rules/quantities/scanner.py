"""Quantity mentions: a number phrase attached to a unit class, with its qualifier.

A number phrase (``numbers``) only becomes a quantity when a unit word of a class follows
it directly, or through من / of (مئة ألف من الجنود), or a currency prefix precedes it
($60 million); a qualifier before it (أكثر من, نحو, about ...) or after the unit (على الأقل)
is included in the span, which indexes the original text.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import DecimalException

from streams.rules.quantities.exclusions import is_excluded_start
from streams.rules.quantities.gate import UnitGate
from streams.rules.quantities.lexicon import LEXICON
from streams.rules.quantities.numbers import Phrase, read_number
from streams.rules.quantities.qualifiers import LOWER, QUALIFIERS_AFTER_TOKENS, QUALIFIERS_BY_LAST
from streams.rules.quantities.stretches import stretches, stretches_around
from streams.rules.quantities.tokens import ARTICLE, LATIN_WORD_RE, Tokens
from streams.rules.quantities.units import UnitClasses
from streams.textnorm import NormalizedText, normalize

MAX_VALUE = 1e15

_THROUGH = frozenset({"من", "of"})
_ENGLISH_DETERMINERS = frozenset({"the", "its", "their", "his", "her", "our", "these", "those"})
# English words that may not stand between a number and its unit ("100,000 Russian troops"
# is fine; "50 percent of troops" and "2 days and troops" are not).
_ENGLISH_STOP = frozenset(
    """
    a an and or of the to in on at for by with from per percent than were was are is be been
    have has had that which who this these those not no but as into over under about after
    before since until while during between among against their its his her our your my
    they them he she it we you i
""".split()
)
_MAX_ENGLISH_MODIFIERS = 2
# the first tokens of the qualifiers written after a unit (each has one)
_QUALIFIER_AFTER_FIRSTS = frozenset(tokens[0] for tokens, _kind in QUALIFIERS_AFTER_TOKENS)


@dataclass(frozen=True, slots=True)
class QuantityMention:
    """A number attached to a unit class.

    ``start``/``end`` index the original text; ``text`` is ``original[start:end]`` and covers
    the qualifier, the number and the unit ("أكثر من 100 ألف جندي"). ``lower_bound`` is true
    when the real amount is at least ``value`` ("more than", "عشرات الآلاف" ≥ 20,000).
    ``qualifier`` is the qualifier as written ("أكثر من", "نحو", "about") or None."""

    value: float
    unit: str
    start: int
    end: int
    text: str
    lower_bound: bool
    qualifier: str | None


def find_quantities_normalized(
    norm: NormalizedText, units: UnitClasses, gate: UnitGate | None = None
) -> list[QuantityMention]:
    """Like :func:`find_quantities` for a text already normalized (the rule engine has one);
    offsets index ``norm.original``. With a ``gate``, only the stretches where a form of its
    unit classes occurs are read: every mention of those classes is still found (others
    may be missed)."""
    mentions: list[QuantityMention] = []
    if gate is None:
        for begin, end in stretches(norm.text):
            _StretchScanner(Tokens(norm, begin, end), units).scan(mentions)
        return mentions
    unit_starts, anchors = gate.scan(norm.text)
    if not unit_starts:
        return mentions
    holds_unit = gate.holds_unit
    for begin, end in stretches_around(norm.text, anchors):
        if holds_unit(unit_starts, begin, end):
            _StretchScanner(Tokens(norm, begin, end), units).scan(mentions)
    return mentions


def find_quantities(text: str, units: UnitClasses) -> list[QuantityMention]:
    """Every number attached to a unit class in ``text``, in order of appearance.

    Offsets index ``text`` itself; each span covers qualifier + number + unit, e.g.
    "أكثر من 100 ألف جندي" → value 100000.0, unit "troops", lower_bound True."""
    return find_quantities_normalized(normalize(text), units)


class _StretchScanner:
    """Reads the quantities of one stretch of tokens."""

    __slots__ = ("tokens", "units")

    def __init__(self, tokens: Tokens, units: UnitClasses) -> None:
        self.tokens = tokens
        self.units = units

    def scan(self, mentions: list[QuantityMention]) -> None:
        tokens = self.tokens
        # the tokens that may begin a number (digits or a number word), picked in one
        # comprehension; "0" <= token < ":" is token[0] in ASCII_DIGITS without a new string
        starts = [i for i, token in enumerate(tokens.texts) if "0" <= token < ":" or token in LEXICON]
        after = 0  # the first token not yet read into a number
        for i in starts:
            if i < after:
                continue
            try:
                phrase = read_number(tokens, i)
            except DecimalException:  # e.g. scale words multiplied past any real amount
                phrase = None
            if phrase is None:
                continue
            if is_excluded_start(tokens, i):
                after = phrase.end  # the whole year ("عام ألفين وأربعة عشر"), not just its first word
                continue
            mention, after = self._mention(i, phrase)
            if mention is not None:
                mentions.append(mention)

    def _mention(self, first: int, phrase: Phrase) -> tuple[QuantityMention | None, int]:
        """The mention of the number at token ``first``, and the token to go on from."""
        tokens = self.tokens
        attached = self._attached_unit(first, phrase)
        if attached is None:
            return None, phrase.end
        unit, begin_token, unit_end, start = attached
        qualifier_text: str | None = None
        lower_bound = phrase.vague
        qualifier = self._qualifier_before(begin_token)
        if qualifier is not None:
            start, kind = qualifier
            qualifier_text = tokens.original_text(start, tokens.ends[begin_token - 1])
            lower_bound = lower_bound or kind == LOWER
        elif tokens.bracketed(start):
            start -= 1  # the evidence quotes "(1,500) جندي", not "1,500) جندي"
        end_token = unit_end
        after = self._qualifier_after(unit_end)
        if after is not None:
            end_token, kind = after
            lower_bound = lower_bound or kind == LOWER
            if qualifier_text is None:
                qualifier_text = tokens.original_text(tokens.starts[unit_end], tokens.ends[end_token - 1])
        value = float(phrase.value)
        if not value <= MAX_VALUE:  # also false for inf and nan
            return None, phrase.end
        original_start, original_end = tokens.norm.to_original(start, tokens.ends[end_token - 1])
        mention = QuantityMention(
            value=value,
            unit=unit,
            start=original_start,
            end=original_end,
            text=tokens.norm.original[original_start:original_end],
            lower_bound=lower_bound,
            qualifier=qualifier_text,
        )
        return mention, end_token

    def _attached_unit(self, first: int, phrase: Phrase) -> tuple[str, int, int, int] | None:
        """(unit, first token, token after the unit, folded start) of the number at ``first``:
        a currency prefix before it, or a unit word after it."""
        prefix = self._prefix_before(first)
        if prefix is not None:
            unit, begin_token = prefix
            unit_end = phrase.end
            # "$60 million dollars": the trailing unit word belongs to the mention too
            trailing = self._unit_after(phrase)
            if trailing is not None and trailing[0] == unit:
                unit_end = trailing[1]
            return unit, begin_token, unit_end, self.tokens.starts[begin_token]
        found = self._unit_after(phrase)
        if found is None:
            return None
        return found[0], first, found[1], phrase.start_char

    # -- units, prefixes, qualifiers ------------------------------------------------------

    def _unit_at(self, index: int, allow_article: bool) -> tuple[str, int] | None:
        """The unit class whose word starts at token ``index``, and the index after it."""
        tokens = self.tokens
        if index >= tokens.n:
            return None
        token = tokens.texts[index]
        by_first = self.units.by_first
        candidates = by_first.get(token)
        if candidates is None and allow_article and token.startswith(ARTICLE) and len(token) > 3:
            candidates = by_first.get(token[2:])
        if not candidates:
            return None
        for entry in candidates:
            end = index + 1 + len(entry.rest)
            if entry.rest and (
                end > tokens.n
                or tuple(tokens.texts[index + 1 : end]) != entry.rest
                or not tokens.same_line(index, end - 1)
            ):
                continue
            return entry.unit, end
        return None

    def _unit_after(self, phrase: Phrase) -> tuple[str, int] | None:
        """The unit following a number: directly, through من/of, or after English adjectives."""
        tokens = self.tokens
        index = phrase.end
        if index >= tokens.n or not tokens.same_line(index - 1, index):
            return None
        found = self._unit_at(index, allow_article=phrase.vague)
        if found:
            return found
        if tokens.texts[index] in _THROUGH:
            index += 1
            if index < tokens.n and tokens.texts[index] in _ENGLISH_DETERMINERS:
                index += 1
            if index >= tokens.n or not tokens.same_line(phrase.end, index):
                return None
            found = self._unit_at(index, allow_article=True)
            if found:
                return found
        return self._unit_after_modifiers(index)

    def _unit_after_modifiers(self, index: int) -> tuple[str, int] | None:
        """English: up to two adjectives between number and unit ("100,000 Russian troops")."""
        tokens = self.tokens
        for _ in range(_MAX_ENGLISH_MODIFIERS):
            if index >= tokens.n or not tokens.same_line(index - 1, index):
                return None
            token = tokens.texts[index]
            if not LATIN_WORD_RE.fullmatch(token) or token in _ENGLISH_STOP or token in LEXICON:
                return None
            index += 1
            found = self._unit_at(index, allow_article=False)
            if found and LATIN_WORD_RE.fullmatch(tokens.texts[index]):
                return found
        return None

    def _prefix_before(self, first: int) -> tuple[str, int] | None:
        """A currency symbol written before the number ($60 million): (unit, first token)."""
        tokens = self.tokens
        last_tokens = self.units.prefix_last_tokens
        if last_tokens is not None and (first == 0 or tokens.texts[first - 1] not in last_tokens):
            return None
        for phrase_tokens, unit in self.units.prefix_phrases:
            begin = first - len(phrase_tokens)
            if begin >= 0 and tuple(tokens.texts[begin:first]) == phrase_tokens and tokens.same_line(begin, first):
                return unit, begin
        return None

    def _qualifier_before(self, first: int) -> tuple[int, str] | None:
        """A qualifier ending right before token ``first``: (folded start, kind)."""
        if first == 0:
            return None
        tokens = self.tokens
        for phrase_tokens, kind, clitic_len in QUALIFIERS_BY_LAST.get(tokens.texts[first - 1], ()):
            begin = first - len(phrase_tokens)
            if begin >= 0 and tuple(tokens.texts[begin:first]) == phrase_tokens and tokens.same_line(begin, first):
                return tokens.starts[begin] + clitic_len, kind
        return None

    def _qualifier_after(self, index: int) -> tuple[int, str] | None:
        """A qualifier right after the unit ("على الأقل"): (index after it, kind)."""
        tokens = self.tokens
        if index >= tokens.n or tokens.texts[index] not in _QUALIFIER_AFTER_FIRSTS:
            return None
        for phrase_tokens, kind in QUALIFIERS_AFTER_TOKENS:
            end = index + len(phrase_tokens)
            if (
                end <= tokens.n
                and tuple(tokens.texts[index:end]) == phrase_tokens
                and tokens.same_line(index - 1, end - 1)
            ):
                return end, kind
        return None
