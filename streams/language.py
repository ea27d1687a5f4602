"""Language of an article from its letters: script ratios, then a few telling signs.

Arabic script is Arabic unless Persian or Urdu letters make up a real share of it (one
Urdu dateline in an Arabic article must not flip it). Latin script is told apart by
function words (English, French, Spanish, German). The feed's hint only decides when the
text is too short or mixed to tell.
"""

from __future__ import annotations

import re
from functools import cache

import numpy as np

SAMPLE_CHARS = 1500  # the opening of a long article is enough and keeps this O(1)
MIN_LETTERS = 12  # fewer letters than this: the text cannot tell, the hint decides
DOMINANT_SHARE = 0.6

# Runs of letters, not single letters: findall then returns about one item per word,
# which is several times faster than one item per letter.
_ARABIC_LETTERS = re.compile(r"[\u0620-\u064A\u066E-\u06D3\u06D5\u06EE\u06EF\u06FA-\u06FF\u0750-\u077F\u08A0-\u08FF]+")
_LATIN_LETTERS = re.compile(r"[A-Za-z\u00C0-\u024F]+")
_CYRILLIC_LETTERS = re.compile(r"[\u0400-\u04FF]+")
_HEBREW_LETTERS = re.compile(r"[\u05D0-\u05EA]+")


# Letters Arabic does not use; Persian and Urdu do.
_PERSIAN_SIGNS = re.compile(r"[\u067E\u0686\u0698\u06AF\u06A9\u06CC]")  # پ چ ژ گ ک ی
_URDU_SIGNS = re.compile(r"[\u0679\u0688\u0691\u06BA\u06BE\u06C1\u06D2\u06D4]")  # ٹ ڈ ڑ ں ھ ہ ے ۔
# Letters Persian/Urdu orthography does not use: Arabic ي/ى and ة.
_ARABIC_SIGNS = re.compile(r"[\u064A\u0649\u0629]")
_OTHER_SCRIPT_SHARE = 0.03

# The letters of each script and the signs counted in one numpy pass over the sample
# (seven pattern scans cost ≈ 70 µs an article): every UTF-16 code of the sample is looked
# up in a table of the Basic Multilingual Plane holding its script (1-4, 0 for none) plus
# 5 × its sign (1 Arabic, 2 Urdu, 3 Persian). A character outside the plane is two
# surrogate codes, in no class, as it is in none of the patterns.
_SCRIPT_PATTERNS = (_ARABIC_LETTERS, _LATIN_LETTERS, _CYRILLIC_LETTERS, _HEBREW_LETTERS)
_SIGN_PATTERNS = (_ARABIC_SIGNS, _URDU_SIGNS, _PERSIAN_SIGNS)
_SCRIPTS = len(_SCRIPT_PATTERNS) + 1


@cache
def _class_table() -> np.ndarray:
    plane = "".join(map(chr, range(0x10000)))
    table = np.zeros(0x10000, dtype=np.uint8)
    for weight, patterns in ((1, _SCRIPT_PATTERNS), (_SCRIPTS, _SIGN_PATTERNS)):
        for index, pattern in enumerate(patterns, 1):
            for match in pattern.finditer(plane):
                table[match.start() : match.end()] += weight * index
    return table


def _class_counts(sample: str) -> list[int]:
    """How many characters of ``sample`` fall in each class of ``_class_table``."""
    codes = np.frombuffer(sample.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
    counts: list[int] = np.bincount(_class_table()[codes], minlength=_SCRIPTS * (len(_SIGN_PATTERNS) + 1)).tolist()
    return counts


_FUNCTION_WORDS: dict[str, frozenset[str]] = {
    "en": frozenset(
        "the and of to in is that for on with was said by from it as are has have "
        "were will this at be an not which who their its".split()
    ),
    "fr": frozenset(
        "le la les des et est une du que dans pour pas sur au aux qui ont avec il elle sont ce cette été par".split()
    ),
    "es": frozenset("el los las del y es una que en por para con se su sus al fue como pero este esta han".split()),
    "de": frozenset(
        "der die das und ist nicht ein eine den dem zu mit von sich auf für des im wird wurde sind auch".split()
    ),
}
_LATIN_WORD = re.compile(r"[a-zà-ÿ]+")

_HINT = re.compile(r"^([a-z]{2,3})(?:[-_][a-z0-9]+)*$")
_CYRILLIC_LANGUAGES = frozenset({"ru", "uk", "bg", "sr", "mk", "be", "kk", "ky", "tg", "mn"})


def normalize_hint(hint: str | None) -> str | None:
    """A feed's language value ("ar-EG", "en_US", "AR") as its primary subtag, else None."""
    if not hint:
        return None
    match = _HINT.match(hint.strip().lower())
    return match.group(1) if match else None


def detect_language(text: str, hint: str | None = None) -> str | None:
    """ "ar", "en", "fa", "ur", "fr", "es", "de", "ru", "he" … or None when unknown."""
    sample = text[:SAMPLE_CHARS]
    hinted = normalize_hint(hint)
    counts = _class_counts(sample)
    # by script, whatever the sign; by sign, whatever the script
    arabic, latin, cyrillic, hebrew = (sum(counts[script::_SCRIPTS]) for script in range(1, _SCRIPTS))
    signs = [sum(counts[sign * _SCRIPTS : (sign + 1) * _SCRIPTS]) for sign in range(1, len(_SIGN_PATTERNS) + 1)]
    total = arabic + latin + cyrillic + hebrew
    if total < MIN_LETTERS:
        return hinted
    if arabic >= DOMINANT_SHARE * total:
        return _arabic_script_language(arabic, *signs)
    if latin >= DOMINANT_SHARE * total:
        return _latin_script_language(sample) or hinted
    if cyrillic >= DOMINANT_SHARE * total:
        return hinted if hinted in _CYRILLIC_LANGUAGES else "ru"
    if hebrew >= DOMINANT_SHARE * total:
        return "he"
    return hinted


def _arabic_script_language(arabic_letters: int, arabic_signs: int, urdu: int, persian: int) -> str:
    threshold = _OTHER_SCRIPT_SHARE * arabic_letters
    if urdu > threshold and urdu > arabic_signs:
        return "ur"
    if persian > threshold and persian > arabic_signs:
        return "fa"
    return "ar"


def _latin_script_language(sample: str) -> str | None:
    scores = dict.fromkeys(_FUNCTION_WORDS, 0)
    for word in _LATIN_WORD.findall(sample.lower()):
        for language, words in _FUNCTION_WORDS.items():
            if word in words:
                scores[language] += 1
    best = max(scores, key=scores.__getitem__)
    return best if scores[best] > 0 else None
