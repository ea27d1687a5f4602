"""Light Arabic morphology for matching terms: clitic prefixes and common suffixes.

A rule term such as ``غزو`` must match ``لغزو``, ``بغزوها`` and ``الغزو`` but never a word
that merely contains it (``أقوات`` is not ``قوات``, ``راسبوتين`` is not ``بوتين``). Rather
than stemming every word of every article, a term word is compiled into a ``WordSpec``
(its *core* plus what may surround it), and a token matches when it is exactly

    allowed prefix + core + allowed remainder.

Everything here works on *match-folded* text: ``streams.textnorm.fold`` except that ة is
kept apart from ه. Both spellings of a final ة still match each other (حكومة / حكومه), but
ة is never taken for the pronoun ه, so مقاتلة is not مقاتل + ه and الغزوية is not غزو + يه.
Hamza forms and ى are unified, diacritics and tatweel gone (tanween ًا leaves a bare ا).
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from functools import cache

from streams.textnorm import FOLD_TABLE, VectorTranslation

TAA = "ة"


class _MatchFoldTable(dict[int, str]):
    def __missing__(self, code: int) -> str:
        folded = TAA if code == ord(TAA) else FOLD_TABLE[code]
        self[code] = folded
        return folded


_MATCH_TABLE = _MatchFoldTable()
# translated with numpy, as ``fold`` is (``str.translate`` looks each character up from
# Python: about half of an article's matching time at 10 rules)
_MATCH_FOLD = VectorTranslation(_MATCH_TABLE)


def match_fold(text: str) -> str:
    """``fold`` that keeps ة (same length and offsets as ``fold``)."""
    return _MATCH_FOLD(text)


ARTICLE = "ال"

# Proclitics: conjunction (و ف) + preposition (ب ك ل) + definite article, in that order.
# ل + ال is written لل.
_CONJUNCTIONS = ("", "و", "ف")
_PREPOSITIONS = ("", "ب", "ك", "ل")


def _build_prefixes() -> dict[str, bool]:
    prefixes: dict[str, bool] = {}
    for conj in _CONJUNCTIONS:
        for prep in _PREPOSITIONS:
            prefixes[conj + prep] = False
            with_article = conj + ("لل" if prep == "ل" else prep + ARTICLE)
            prefixes[with_article] = True
    return prefixes


# prefix → whether it carries the definite article
PREFIXES: dict[str, bool] = _build_prefixes()
_PREFIXES_LONGEST_FIRST = tuple(sorted(PREFIXES, key=len, reverse=True))
MAX_PREFIX = max(len(p) for p in PREFIXES)
_ALL_PREFIXES = frozenset(PREFIXES)
_ARTICLE_PREFIXES = frozenset(p for p, article in PREFIXES.items() if article)
_NO_PREFIX = frozenset(("",))

# Enclitic pronouns (ه ها هم هما هن ك كم كما كن نا ي ني).
PRONOUNS = ("ه", "ها", "هم", "هما", "هن", "ك", "كم", "كما", "كن", "نا", "ي", "ني")
# Plural, dual and tanween endings (ات ون ين ان; ًا after folding is ا).
NUMBER_ENDINGS = ("ات", "ون", "ين", "ان", "ا")

# What may follow the core of a word that does not end in ة.
SUFFIXES: frozenset[str] = frozenset(
    ("",)
    + PRONOUNS
    + NUMBER_ENDINGS
    + tuple("ات" + p for p in PRONOUNS)  # قواتها
    + tuple("ي" + p for p in PRONOUNS if p not in ("ي", "ني"))  # مقاتليهم (ين before a pronoun)
    + tuple("و" + p for p in PRONOUNS if p not in ("ي", "ني"))  # مقاتلوها (ون before a pronoun)
)
# After the core of a word ending in ة (folded ه), whose ة becomes ت before a suffix and
# gives way to ات in the plural: حكومة حكومتها حكومتان حكومات حكوماتهم.
TAA_REMAINDERS: frozenset[str] = frozenset(
    (TAA, "ه")
    + tuple("ت" + p for p in PRONOUNS)
    + ("تان", "تين", "تا", "تي")
    + ("ات",)
    + tuple("ات" + p for p in PRONOUNS)
)

# What some WordSpec accepts before and after its core (``matches`` never accepts anything
# else): a core found with other letters around it is no word's core there, which the
# matcher tests before trying the specs of the phrases starting with that core.
ANY_PREFIX: frozenset[str] = _ALL_PREFIXES
ANY_REMAINDER: frozenset[str] = SUFFIXES | TAA_REMAINDERS | frozenset("ه" + s for s in SUFFIXES)

# A word of match-folded text (letters, digits, _): what terms and tokens are made of.
WORD = re.compile(r"\w+")


def is_arabic(word: str) -> bool:
    return any("\u0600" <= ch <= "\u06ff" for ch in word)


def words_of(phrase: str) -> tuple[str, ...]:
    """The folded words of a term or name: punctuation and extra spaces do not count."""
    return tuple(WORD.findall(match_fold(phrase)))


@dataclass(frozen=True, slots=True)
class WordShape:
    """What may surround the core of a word: a few dozen exist, shared by every word spec
    of their kind (a 10k-rule set has ~68,000 word specs)."""

    prefixes: bool  # clitic prefixes allowed
    suffixes: bool  # pronoun / plural / tanween endings allowed
    article_required: bool  # the word was written with ال: the token must carry it
    taa: bool  # the word ends in ة or ه, which the core leaves out (ة/ه are one letter here)
    final_h: bool = False  # it ends in ه as written, which may also be a plain ه + suffix
    # What may stand before and after the core (from the flags above), as sets: whether the
    # token prefix + core + remainder is this word is two look-ups.
    allowed_prefixes: frozenset[str] = field(init=False, repr=False, compare=False)
    allowed_remainders: frozenset[str] = field(init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        prefixes = (_ARTICLE_PREFIXES if self.article_required else _ALL_PREFIXES) if self.prefixes else _NO_PREFIX
        object.__setattr__(self, "allowed_prefixes", prefixes)
        object.__setattr__(self, "allowed_remainders", _remainders(self.taa, self.suffixes, self.final_h))


@cache
def word_shape(prefixes: bool, suffixes: bool, article_required: bool, taa: bool, final_h: bool) -> WordShape:
    return WordShape(prefixes, suffixes, article_required, taa, final_h)


@dataclass(frozen=True, slots=True)
class WordSpec:
    """How one word of a term or name may appear in text.

    ``core`` is what must appear literally inside the token (it is the key indexed in the
    Aho-Corasick automaton for the key word of a phrase); ``shape`` says what may surround
    it."""

    word: str  # the folded word as written in the rule
    core: str
    shape: WordShape

    def matches(self, token: str) -> bool:
        """Whether ``token`` (match-folded, one whole word) is this word."""
        shape = self.shape
        if not shape.taa and not shape.prefixes and not shape.suffixes:
            return token == self.word
        # Try each place the core occurs (usually one) rather than each of the prefixes:
        # the same answer, at a fraction of the cost when many words are checked.
        core = self.core
        allowed = shape.allowed_prefixes
        remainders = shape.allowed_remainders
        at = token.find(core, 0, MAX_PREFIX + len(core))
        while at != -1:
            if token[:at] in allowed and token[at + len(core) :] in remainders:
                return True
            at = token.find(core, at + 1, MAX_PREFIX + len(core))
        return False

    def remainder_ok(self, remainder: str) -> bool:
        shape = self.shape
        return _remainder_ok(shape.taa, shape.suffixes, shape.final_h, remainder)


def _remainder_ok(taa: bool, suffixes: bool, final_h: bool, remainder: str) -> bool:
    """Whether ``remainder`` may follow the core of a word with these flags."""
    if taa:
        if remainder in (TAA_REMAINDERS if suffixes else (TAA, "ه")):
            return True
        # وجه: the ه is the word's own letter; وجهه is وجه + ه
        return final_h and suffixes and remainder[:1] == "ه" and remainder[1:] in SUFFIXES
    if not suffixes:
        return remainder == ""
    return remainder in SUFFIXES


@cache
def _remainders(taa: bool, suffixes: bool, final_h: bool) -> frozenset[str]:
    """Every remainder ``_remainder_ok`` accepts for these flags (all are in ANY_REMAINDER)."""
    return frozenset(r for r in ANY_REMAINDER if _remainder_ok(taa, suffixes, final_h, r))


def term_word(word: str, *, exact: bool, first: bool = True, entity: bool = False) -> WordSpec:
    """The spec of one folded word of a rule term (``entity=False``) or entity name.

    Terms: every Arabic word takes clitics and suffixes unless ``exact``. Entity names: only
    the first word takes clitics (وبوتين, للبنتاجون), and no word takes suffixes. Latin and
    numeric words only match whole words (case is already folded)."""
    arabic = is_arabic(word)
    prefixes = arabic and not exact and (first or not entity)
    suffixes = arabic and not exact and not entity
    article_required = False
    core = word
    if prefixes and word.startswith(ARTICLE) and len(word) > len(ARTICLE) + 1:
        core = word[len(ARTICLE) :]
        article_required = True
    # A final ة/ه is one letter for matching (حكومة / حكومه); the core leaves it out so that
    # the automaton finds both spellings and the suffix forms (حكومتها).
    taa = arabic and core[-1:] in (TAA, "ه") and len(core) > 2
    final_h = taa and core.endswith("ه")
    if taa:
        core = core[:-1]
    return WordSpec(word, core, word_shape(prefixes, suffixes, article_required, taa, final_h))
