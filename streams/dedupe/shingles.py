"""Dedupe-only text folding, word shingles and story terms.

Copies of one article differ in orthography (ى/ي, ة/ه, hamza forms, ج/غ/ق for a
foreign G, في/فى), in attached articles (البنتاغون/بنتاغون) and in updated figures. These
are folded away *for dedupe only*, much harder than rules may fold, because a collision
here merely makes two shingles equal, while rules must keep words apart.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from functools import lru_cache

import numpy as np

from streams.textnorm import fold

_WORD = re.compile(r"\w+")
_DIGITS = re.compile(r"^\d+$")
# ج/غ/ق spell a foreign G; ء is dropped or written as a seat inconsistently.
_DEDUPE_LETTERS = str.maketrans({"غ": "ج", "ق": "ج", "ء": None, "_": None})
_ARTICLE_PREFIXES = ("وال", "بال", "فال", "كال", "لل", "ال")

# Function words carry no topic; stories are judged on content words only.
_STOPWORDS = frozenset(
    fold(word).translate(_DEDUPE_LETTERS)
    for word in (
        # Arabic (folded forms are computed, so hamza/ى spellings all match)
        "في فى من الى إلى على عن مع ان أن إن انه أنه إنه التي الذي الذين اللذين هذا هذه ذلك تلك "
        "هو هي هم كان كانت يكون تكون قد لقد لم لن لا ما ماذا كما كل بعد قبل بين حتى او أو ثم "
        "عند عندما حيث اذا إذا لكن لكنه الا إلا غير بعض ضمن خلال منذ نحو وفق وقال قال وقالت قالت "
        "واضاف وأضاف اضاف أضاف وتابع تابع واكد وأكد اكد أكد واوضح وأوضح اوضح أوضح ذكر وذكر "
        "اليوم امس أمس يوم أيضا ايضا أيضًا وكان وكانت فيما بينما وفي وعلى ومن وهو وهي حول لدى "
        "مساء صباح الاثنين الثلاثاء الأربعاء الخميس الجمعة السبت الأحد عام العام الماضي الجاري "
        "the a an and or of to in on at for from by with as is are was were be been it its this "
        "that these those he she they his her their said says say will would could should has "
        "have had not but also after before over into about than more most new one two year "
        "years monday tuesday wednesday thursday friday saturday sunday last week told"
    ).split()
)


@lru_cache(maxsize=200_000)
def _dedupe_word(word: str) -> str:
    word = word.translate(_DEDUPE_LETTERS)
    if _DIGITS.match(word):
        return "0"  # an updated figure is still the same article
    for prefix in _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix):]
    return word


def dedupe_tokens(text: str) -> list[str]:
    """Words of ``text`` folded for dedupe: orthography, article prefix and digits erased."""
    return [_dedupe_word(w) for w in _WORD.findall(fold(text))]


@lru_cache(maxsize=200_000)
def _token_hash(token: str) -> int:
    # blake2b, not hash(): workers in different processes must agree on every value
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "little")


_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5],
                dtype=np.uint64)


def shingle_hashes(tokens: list[str], size: int) -> np.ndarray:
    """Distinct 64-bit hashes of the word ``size``-grams of ``tokens`` (a set, as uint64).

    A text shorter than ``size`` words is one shingle of all its words."""
    if not tokens:
        return np.empty(0, dtype=np.uint64)
    hashes = np.fromiter((_token_hash(t) for t in tokens), dtype=np.uint64, count=len(tokens))
    size = max(1, min(size, len(hashes), len(_MIX)))
    count = len(hashes) - size + 1
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(size):
        # position-dependent odd multipliers: "a b" and "b a" are different shingles
        combined ^= hashes[offset:offset + count] * _MIX[offset]
        combined = (combined << np.uint64(13)) | (combined >> np.uint64(51))
    return np.unique(combined)


def content_terms(tokens: list[str]) -> list[str]:
    """Topic-bearing words: no function words, no figures, no one- or two-letter words."""
    return [t for t in tokens if len(t) >= 3 and t != "0" and t not in _STOPWORDS]


def content_hash(tokens: list[str]) -> str:
    """Hash of the folded word sequence: equal for copies that differ only in orthography,
    punctuation, markup or figures."""
    return hashlib.sha256(" ".join(tokens).encode()).hexdigest()[:32]


@dataclass(frozen=True, slots=True)
class Features:
    """Everything dedupe derives from one article's text."""

    body_tokens: list[str]
    title_tokens: list[str]
    dup_shingles: np.ndarray  # uint64 set: word n-grams of title and body
    story_terms: list[str]  # distinct content words, most frequent first
    story_shingles: np.ndarray  # uint64 set: content words and their bigrams


def extract_features(title: str, text: str, shingle_size: int) -> Features:
    title_tokens = dedupe_tokens(title)
    body_tokens = dedupe_tokens(text)
    # Title and body are shingled apart (no shingle spans the seam). The title is short, so
    # an edited headline moves the set only a little: it is weighted less by construction.
    dup = np.union1d(shingle_hashes(body_tokens, shingle_size), shingle_hashes(title_tokens, shingle_size))
    terms = content_terms(title_tokens) + content_terms(body_tokens)
    counts: dict[str, int] = {}
    for term in terms:
        counts[term] = counts.get(term, 0) + 1
    # title words count double: headlines name the event
    for term in set(content_terms(title_tokens)):
        counts[term] += 2
    ranked = sorted(counts, key=lambda t: (-counts[t], t))
    story = np.union1d(shingle_hashes(sorted(counts), 1), shingle_hashes(terms, 2))
    return Features(body_tokens, title_tokens, dup, ranked, story)
