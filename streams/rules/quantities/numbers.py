"""Number phrases: the longest well-formed number starting at a token.

Compounds joined by و / and (مئة وخمسة وسبعين ألفاً), scale words with their duals and
plurals (ألف ألفا ألفي آلاف مليون ...), digits with thousands separators or decimals
(100,000 / 100.000 / ١٫٥ مليون), halves (مليون ونصف), vague amounts (عشرات, thousands).
The reader is a small state machine, one step per token; each kind of word has its rule.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from decimal import Decimal

from streams.rules.quantities.lexicon import FATHATAN, JOINERS, LEXICON, SCALE_KINDS, Kind, NumberWord
from streams.rules.quantities.tokens import Tokens

ASCII_DIGITS = frozenset("0123456789")
_DIGIT_TOKEN = re.compile(r"[0-9][0-9.,]*")
# No count of troops, tanks or dollars in the news needs more (10^15 is a quadrillion).
MAX_DIGITS = 16
_ZERO = Decimal(0)
# What the reader does with a token between two parts of a number.
_READ, _SKIP, _STOP = 0, 1, 2


@dataclass(slots=True)
class Phrase:
    """A number phrase: its value, whether it is a lower bound, where it ends and starts."""

    value: Decimal
    vague: bool
    end: int  # index after the last token
    start_char: int  # folded offset where the number starts (after a proclitic)


def parse_digits(token: str, before_scale: bool) -> Decimal | None:
    """Digits with thousands separators or a decimal part ("100,000", "100.000", "1.5")."""
    # ASCII digits only ("²".isdigit() is true too), and no more than any real count
    # needs: a 400-digit run is not a quantity, and a million digits would overflow.
    if not _DIGIT_TOKEN.fullmatch(token) or sum(ch.isdigit() for ch in token) > MAX_DIGITS:
        return None
    if token.isdigit():
        return Decimal(token)
    groups = re.split(r"[.,]", token)
    separators = [ch for ch in token if ch in ".,"]
    tail_is_three = all(len(g) == 3 for g in groups[1:]) and 1 <= len(groups[0]) <= 3
    if len(set(separators)) == 2:
        decimal_sep = separators[-1]
        if separators.count(decimal_sep) != 1:
            return None
        whole, frac = token.rsplit(decimal_sep, 1)
        thousands = re.split(r"[.,]", whole)
        if not (1 <= len(thousands[0]) <= 3 and all(len(g) == 3 for g in thousands[1:])):
            return None
        return Decimal("".join(thousands) + "." + frac)
    if len(separators) == 1:
        if separators[0] == ",":
            if tail_is_three:
                return Decimal("".join(groups))  # 100,000 / 1,500 million
            # "1,5 million" is a decimal comma; "3,4" with no scale is a list
            return Decimal(token.replace(",", ".")) if before_scale else None
        if tail_is_three and not before_scale:
            return Decimal("".join(groups))  # 100.000 جندي
        return Decimal(token)  # 1.5 مليون, 2.5
    if tail_is_three:
        return Decimal("".join(groups))  # 1,500,000 / 1.500.000
    return None


def read_number(tokens: Tokens, first: int) -> Phrase | None:
    """The longest well-formed number phrase starting at token ``first``, or None."""
    texts = tokens.texts
    head = LEXICON.get(texts[first])
    if head is None:
        token = texts[first]
        if not token[0].isdigit():
            return None
        after = first + 1
        if (
            token[0] in ASCII_DIGITS
            and token.isdigit()
            and len(token) <= MAX_DIGITS
            and (after == tokens.n or (texts[after] not in LEXICON and texts[after] not in JOINERS))
        ):
            # the most common number, plain digits that nothing extends: what the reader
            # would find, without setting it up
            value = Decimal(token)
            return Phrase(value, False, after, tokens.starts[first]) if value else None
    start_char = tokens.starts[first] + (head.clitic if head is not None else 0)
    return _PhraseReader(tokens, first, start_char).read()


class _PhraseReader:
    """The state of one phrase being read; ``read`` takes tokens while they extend it."""

    __slots__ = (
        "tokens",
        "first",
        "start_char",
        "at",
        "total",
        "group",
        "slots",
        "last_scale",
        "last_kind",
        "last_latin",
        "vague",
        "parts",
        "joined",
        "joiner",
        "best",
    )

    def __init__(self, tokens: Tokens, first: int, start_char: int) -> None:
        self.tokens = tokens
        self.first = first
        self.start_char = start_char
        self.at = first  # the token being read
        self.total = _ZERO  # sum of completed scaled groups
        self.group = _ZERO  # the group being read (below the last scale)
        self.slots = 0  # 1 hundreds, 2 tens, 4 units filled in this group
        self.last_scale: Decimal | None = None
        self.last_kind = 0
        self.last_latin = False  # the last part was an English word
        self.vague = False
        self.parts = 0
        self.joined = False  # a و / and / - was read since the last part
        self.joiner = ""  # which one
        self.best: Phrase | None = None

    def read(self) -> Phrase | None:
        texts, n = self.tokens.texts, self.tokens.n
        while self.at < n:
            token = texts[self.at]
            if self.parts:
                if self.at > self.first and not self.tokens.same_line(self.at - 1, self.at):
                    break
                step = self._between_parts(token)
                if step == _STOP:
                    break
                if step == _SKIP:
                    self.at += 1
                    continue
            word = LEXICON.get(token)
            if word is None and token[0] not in ASCII_DIGITS:
                break
            if word is not None and self.parts and not self._clitic_joins(word):
                break
            kind = word.kind if word is not None else 0
            if not self._take(token, word, kind):
                break
            self._record(kind, word.latin if word is not None else False)
            if kind == Kind.HALF and self.parts > 1:
                break
        return self.best

    # -- steps -----------------------------------------------------------------------------

    def _word_at(self, index: int) -> NumberWord | None:
        return LEXICON.get(self.tokens.texts[index]) if index < self.tokens.n else None

    def _between_parts(self, token: str) -> int:
        """A joiner (و, and, -) or the "of" of "tens of thousands" is skipped."""
        if token in JOINERS:
            if self.joined:
                return _STOP
            self.joined, self.joiner = True, token
            return _SKIP
        if self.last_kind == Kind.VAGUE and token == "of":
            # "tens of thousands", "hundreds of millions"
            nxt = self._word_at(self.at + 1)
            if nxt is not None and nxt.kind in (Kind.SCALE, Kind.SCALE_PLURAL):
                return _SKIP
            return _STOP
        return _READ

    def _clitic_joins(self, word: NumberWord) -> bool:
        """A later part may carry و/ف (it joins: وخمسين), never another proclitic."""
        if word.clitic and not word.joined:
            return False  # "ب" or "ل" glued to a later part: a new phrase
        if word.joined:
            if self.joined:
                return False
            self.joined, self.joiner = True, "و"
        return True

    def _record(self, kind: int, latin: bool) -> None:
        """A part was taken: the phrase so far is the best answer when it is complete."""
        self.parts += 1
        self.joined = False
        self.last_kind, self.last_latin = kind, latin
        self.at += 1
        complete = kind != Kind.ARTICLE_EN and not (kind == Kind.HALF and self.parts == 1)
        if self.last_scale is not None and self.group >= self.last_scale:
            complete = False
        if complete and (self.total + self.group) > 0:
            self.best = Phrase(self.total + self.group, self.vague, self.at, self.start_char)

    def _take(self, token: str, word: NumberWord | None, kind: int) -> bool:
        """Add the token at ``at`` to the phrase; False when it cannot continue it."""
        if word is None:
            return self._digits(token)
        # English needs no "and" inside a number: "seventy five", "one thousand five hundred"
        free = word.latin and self.last_latin and self.last_kind in (Kind.TENS, Kind.HUNDRED_EN, Kind.SCALE)
        if kind == Kind.UNIT or kind == Kind.TEEN_ONLY:
            return self._unit(word, kind, free)
        if kind == Kind.TEN:
            return self._ten(word)
        if kind == Kind.TEEN:
            return self._teen(word, free)
        if kind == Kind.TENS:
            return self._tens(word, free)
        if kind == Kind.HUNDRED:
            return self._hundred(word)
        if kind == Kind.HUNDRED_EN:
            return self._hundred_en()
        if kind == Kind.ARTICLE_EN:
            return self._article_en()
        if kind in SCALE_KINDS:
            return self._scale(word, kind)
        if kind == Kind.VAGUE:
            return self._vague(word)
        if kind == Kind.HALF:
            return self._half(word)
        return False

    # -- one rule per kind of word ---------------------------------------------------------

    def _digits(self, token: str) -> bool:
        # digits continue a phrase only as in "مليون و200 ألف"; English never writes
        # "$5 million and 100,000", so "and" there starts another amount
        if (
            self.group
            or self.slots
            or (
                self.parts
                and not (self.joined and self.last_scale is not None and self.joiner == "و" and not self.last_latin)
            )
        ):
            return False
        nxt = self._word_at(self.at + 1)
        value = parse_digits(token, before_scale=nxt is not None and nxt.kind in SCALE_KINDS)
        if value is None:
            return False
        self.group, self.slots = value, 7
        return True

    def _unit(self, word: NumberWord, kind: int, free: bool) -> bool:
        if self.slots & 4:
            return False
        if self.parts and not self.joined and not free:
            return False
        if kind == Kind.TEEN_ONLY:
            nxt = self._word_at(self.at + 1)
            if nxt is None or nxt.kind != Kind.TEN or nxt.clitic:
                return False
        self.group += word.value
        self.slots |= 4
        return True

    def _ten(self, word: NumberWord) -> bool:
        if self.last_kind in (Kind.UNIT, Kind.TEEN_ONLY) and self.slots == 4 and not self.joined and not word.clitic:
            self.group += word.value  # خمسة عشر
        elif not self.slots and (not self.parts or self.joined):
            self.group += word.value
        else:
            return False
        self.slots = 6
        return True

    def _teen(self, word: NumberWord, free: bool) -> bool:
        if self.slots & 6 or (self.parts and not (self.joined or (free and self.last_kind != Kind.TENS))):
            return False
        self.group += word.value
        self.slots |= 6
        return True

    def _tens(self, word: NumberWord, free: bool) -> bool:
        if self.slots & 2:
            return False
        if self.parts and not self.joined and not (free and self.last_kind != Kind.TENS):
            return False
        self.group += word.value
        self.slots |= 2
        return True

    def _hundred(self, word: NumberWord) -> bool:
        if (
            word.value == 100
            and self.slots == 4
            and not self.joined
            and not word.clitic
            and self.last_kind == Kind.UNIT
            and 1 <= self.group <= 9
        ):
            self.group *= 100  # ثلاث مئة
        elif not self.slots and (not self.parts or self.joined):
            self.group += word.value
        else:
            return False
        self.slots = 1
        return True

    def _hundred_en(self) -> bool:
        if self.slots == 4 and 1 <= self.group <= 9 and not self.joined:
            self.group *= 100
            self.slots = 1
            return True
        return False

    def _article_en(self) -> bool:
        """ "a" / "an" starts a number only before hundred or a scale word (a million)."""
        if self.parts:
            return False
        nxt = self._word_at(self.at + 1)
        if nxt is None or nxt.kind not in (Kind.SCALE, Kind.HUNDRED_EN):
            return False
        self.group, self.slots = Decimal(1), 4
        return True

    def _scale(self, word: NumberWord, kind: int) -> bool:
        if self.joined or (self.last_scale is not None and word.value >= self.last_scale):
            return False
        multiplier = self._multiplier(kind)
        if multiplier is None:
            return False
        if self.last_scale is not None and self.group >= self.last_scale:
            return False
        self.total += multiplier * word.value
        self.group, self.slots, self.last_scale = _ZERO, 0, word.value
        return True

    def _multiplier(self, kind: int) -> Decimal | None:
        """What a scale word multiplies: the group before it, or what the word says alone."""
        group, parts = self.group, self.parts
        if kind == Kind.SCALE_ATTACHED:
            if not (parts and self.last_kind == 0 and self.tokens.adjacent(self.at - 1, self.at)):
                return None
            return group
        if kind == Kind.SCALE:
            if group:
                return group
            if not self.slots and not parts:
                return Decimal(1)  # ألف جندي, مليون دولار
            return None
        if kind == Kind.SCALE_OR_DUAL:
            if group:
                return group  # خمسون ألفاً
            if not parts:
                # ألفاً with tanween is "a thousand"; bare ألفا is the dual construct
                return Decimal(1) if self._has_fathatan(self.at) else Decimal(2)
            return None
        if kind == Kind.SCALE_DUAL:
            return None if parts else Decimal(2)
        if kind == Kind.SCALE_PLURAL:
            if group:
                return group  # ثلاثة آلاف, عشرات آلاف
            if not parts:
                self.vague = True  # آلاف, thousands
                return Decimal(2)
            return None
        # SCALE_PLURAL_DEF: only after a vague amount (عشرات الآلاف)
        return group if self.last_kind == Kind.VAGUE else None

    def _vague(self, word: NumberWord) -> bool:
        if self.parts:
            return False
        self.group, self.slots, self.vague = word.value, 7, True
        return True

    def _half(self, word: NumberWord) -> bool:
        if not self.parts:
            nxt_index = self.at + 1
            if word.latin and nxt_index < self.tokens.n and self.tokens.texts[nxt_index] in ("a", "an"):
                nxt_index += 1
            nxt = self._word_at(nxt_index)
            if nxt is None or nxt.kind != Kind.SCALE or nxt.clitic:
                return False
            self.group, self.slots = word.value, 7
            self.at = nxt_index - 1  # skip "a" of "half a million"
            return True
        if self.joined and self.last_scale is not None and not self.group and not self.slots:
            self.total += word.value * self.last_scale  # مليون ونصف
            self.group, self.slots = _ZERO, 7
            return True
        return False

    def _has_fathatan(self, index: int) -> bool:
        tokens = self.tokens
        return FATHATAN in tokens.original_text(tokens.starts[index], tokens.ends[index])
