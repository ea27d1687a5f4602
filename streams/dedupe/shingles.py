"""Dedupe-only text folding, word shingles and story terms.

Copies of one article differ in orthography (ى/ي, ة/ه, hamza forms, ج/غ/ق for a
foreign G, في/فى), in attached articles (البنتاغون/بنتاغون) and in updated figures. These
are folded away *for dedupe only*, much harder than rules may fold, because a collision
here merely makes two shingles equal, while rules must keep words apart.

Speed: an article is ~250 words drawn from a vocabulary that repeats, so per-word work
(dedupe folding, hashing, the stopword test) is memoized in dicts read through
``map(table.__getitem__, words)``, which runs in C; profiling showed the former
``lru_cache`` wrappers and generator expressions cost more than all the numpy work.
"""

from __future__ import annotations

import hashlib
import re
from collections import Counter
from collections.abc import Collection, Sequence
from dataclasses import dataclass
from itertools import chain, compress

import numpy as np

from streams.dedupe.countries import named_countries
from streams.dedupe.directions import direction_facts
from streams.dedupe.figures import ASCII_DIGITS, NUMBER_SEPARATORS, digit_runs, figure_facts
from streams.dedupe.memo import BoundedMemo
from streams.dedupe.months import named_months
from streams.dedupe.previews import is_preview
from streams.dedupe.sentences import sentence_facts
from streams.dedupe.stages import stage_facts
from streams.dedupe.weekdays import UNTIL_DAY, lead_days
from streams.dedupe.year_numbers import YEAR_DIGITS
from streams.dedupe.years import lead_year_facts, named_years
from streams.textnorm import fold

_WORD = re.compile(r"\w+")
# the Arab agencies' decimal mark between digits («9ر8» is 8.9; others write «8،9»)
_R_DECIMAL = re.compile(r"(?<=\d)ر(?=\d)")
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


def dedupe_word(word: str) -> str:
    """One folded word as dedupe compares it: its letters unified further, a number as
    "0", the article ال (and a clitic before it) taken off."""
    word = word.translate(_DEDUPE_LETTERS)
    if _DIGITS.match(word):
        return "0"  # an updated figure is still the same article
    for prefix in _ARTICLE_PREFIXES:
        if word.startswith(prefix) and len(word) - len(prefix) >= 2:
            return word[len(prefix) :]
    return word


def _hash_word(token: str) -> int:
    # blake2b, not hash(): workers in different processes must agree on every value
    return int.from_bytes(hashlib.blake2b(token.encode(), digest_size=8).digest(), "little")


def _is_content_word(token: str) -> bool:
    return len(token) >= 3 and token != "0" and token not in _STOPWORDS


_DEDUPE_WORD: BoundedMemo[str, str] = BoundedMemo(dedupe_word, 200_000)
_TOKEN_HASH: BoundedMemo[str, int] = BoundedMemo(_hash_word, 200_000)
_CONTENT_WORD: BoundedMemo[str, bool] = BoundedMemo(_is_content_word, 200_000)


def _name_parts(word: str) -> tuple[str, ...]:
    """A compound name written as one word cut as it is written in two: "عبدالله" as
    "عبد الله", "أبوظبي" as "أبو ظبي", "وأبوظبي" as "وأبو ظبي" (outlets write either;
    copies and reports of one event then share its words). ("أبواب", doors, is no name.)"""
    conjunction = "و" if word.startswith(("وعبدال", "وابو")) else ""
    name = word[len(conjunction) :]
    if name.startswith("عبدال") and len(name) >= 7:
        return conjunction + "عبد", name[3:]
    if name.startswith("ابو") and len(name) >= 6 and not name.startswith("ابواب"):
        return conjunction + "ابو", name[3:]
    return (word,)


_NAME_STARTS = ("عبدال", "ابو", "وعبدال", "وابو")


def _chunk_tokens(chunk: str) -> tuple[str, ...]:
    folded = fold(chunk)
    if "ر" in folded:  # (a decimal is two digit runs, as «8،9» and «8.9» are)
        folded = _R_DECIMAL.sub(".", folded)
    words = _WORD.findall(folded)
    if any(word.startswith(_NAME_STARTS) for word in words):
        words = [part for word in words for part in _name_parts(word)]
    return tuple(map(_DEDUPE_WORD.__getitem__, words))


# Whitespace-separated chunks ("الأحد،", "(رويترز)") repeat across articles like words do.
_CHUNK_TOKENS: BoundedMemo[str, tuple[str, ...]] = BoundedMemo(_chunk_tokens, 200_000)


def dedupe_tokens(text: str) -> list[str]:
    """Words of ``text`` folded for dedupe: orthography, article prefix and digits erased."""
    # Equal to folding the whole text and then splitting it into words: ``fold`` works
    # character by character and folds every whitespace character to whitespace (checked
    # over all of Unicode in tests), so no word spans two whitespace-separated chunks.
    chunks = text.split()
    if "و" in chunks:
        chunks = _glue_lone_and(chunks)
    return list(chain.from_iterable(map(_CHUNK_TOKENS.__getitem__, chunks)))


def _glue_lone_and(chunks: list[str]) -> list[str]:
    """The chunks with «و» written apart glued to the next: Maghreb sites write «و قد» and
    «و من» where a copy of the same dispatch has «وقد», «ومن» (the thirty-second held-out
    copy set: docs/dedupe.md)."""
    glued: list[str] = []
    waiting = ""
    for chunk in chunks:
        if chunk == "و":
            waiting += chunk
        else:
            glued.append(waiting + chunk)
            waiting = ""
    if waiting:
        glued.append(waiting)
    return glued


_MIX = np.array([0x9E3779B97F4A7C15, 0xC2B2AE3D27D4EB4F, 0x165667B19E3779F9, 0x27D4EB2F165667C5], dtype=np.uint64)
_ROTATE_LEFT, _ROTATE_RIGHT = np.uint64(13), np.uint64(51)


def _token_hashes(tokens: list[str]) -> np.ndarray:
    return np.fromiter(map(_TOKEN_HASH.__getitem__, tokens), dtype=np.uint64, count=len(tokens))


def _shingles(hashes: np.ndarray, size: int) -> np.ndarray:
    """Hashes of the word ``size``-grams (with repeats) given the words' hashes."""
    size = max(1, min(size, len(hashes), len(_MIX)))
    count = len(hashes) - size + 1
    combined = np.zeros(count, dtype=np.uint64)
    for offset in range(size):
        # position-dependent odd multipliers: "a b" and "b a" are different shingles
        combined ^= hashes[offset : offset + count] * _MIX[offset]
        combined = (combined << _ROTATE_LEFT) | (combined >> _ROTATE_RIGHT)
    return combined


def _sorted_set(values: np.ndarray) -> np.ndarray:
    """``np.unique(values)`` for a 1-d uint64 array: sort, keep the first of each run
    (measured ~4x faster than np.unique on article-sized arrays of a few hundred)."""
    values = np.sort(values)
    if values.size < 2:
        return values
    keep = np.empty(values.size, dtype=bool)
    keep[0] = True
    np.not_equal(values[1:], values[:-1], out=keep[1:])
    return values[keep]


def shingle_hashes(tokens: list[str], size: int) -> np.ndarray:
    """Distinct 64-bit hashes of the word ``size``-grams of ``tokens`` (a set, as uint64).

    A text shorter than ``size`` words is one shingle of all its words."""
    if not tokens:
        return np.empty(0, dtype=np.uint64)
    return _sorted_set(_shingles(_token_hashes(tokens), size))


def content_terms(tokens: list[str]) -> list[str]:
    """Topic-bearing words: no function words, no figures, no one- or two-letter words."""
    return list(filter(_CONTENT_WORD.__getitem__, tokens))


def content_hash(tokens: list[str]) -> str:
    """Hash of the folded word sequence: equal for copies that differ only in orthography,
    punctuation, markup or figures."""
    return hashlib.sha256(" ".join(tokens).encode()).hexdigest()[:32]


# Figures name events ("27 injured", "6.1 magnitude"): stories compare them as terms.
# Digits of any script; a comma, «٬» or «،» before three digits groups thousands, and
# «،» before fewer is a decimal mark («8،9»: figures.digit_runs).
_FIGURE = re.compile(r"(\d+(?:[,\u066c\u060c]\d{3})*)(?:[.\u066b\u060c](\d+))?")


def number_terms(text: str, runs: Sequence[re.Match[str]] | None = None) -> list[str]:
    """Figures of ``text`` as story terms ("#27", "#6.1", "#12000"); years and one-digit
    numbers are left out (every article of a year, or a list, shares them), and so are
    digits inside a word ("A380", "12th"). ``runs`` are ``figures.digit_runs(text)`` when
    the caller has them already."""
    terms: list[str] = []
    for match in digit_runs(text) if runs is None else runs:
        start, end = match.span()
        if (end < len(text) and text[end].isalnum()) or (
            start and text[start - 1].isascii() and text[start - 1].isalpha()
        ):
            continue  # part of a word or a code; an attached Arabic و or ب is fine
        term = _NUMBER_TERM[match.group()]
        if term is not None:
            terms.append(term)
    return terms


def _number_term(run: str) -> str | None:
    """The story term of a digit run standing alone ("#27"), or None."""
    figure = _FIGURE.fullmatch(run.rstrip(".,\u066b\u066c"))
    if figure is None:
        return None
    whole, fraction = figure.group(1), (figure.group(2) or "").translate(ASCII_DIGITS).rstrip("0")
    value = str(int(whole.translate(NUMBER_SEPARATORS))) + ("." + fraction if fraction else "")
    return "#" + value if (len(value) > 1 or fraction) and not YEAR_DIGITS.match(value) else None


# figures recur from article to article ("24", "2024", "1,200")
_NUMBER_TERM: BoundedMemo[str, str | None] = BoundedMemo(_number_term, 100_000)


# Skipped when pairing neighbours, so that "فيصل بن فرحان" links فيصل to فرحان.
_NAME_PARTICLES = frozenset(
    dedupe_word(fold(word))
    for word in "بن ابن بنت ابو أبو bin ibn bint abu al el de da du van von der den la le".split()
)


def _is_kept(token: str) -> bool:
    return not (token in _NAME_PARTICLES or (len(token) <= 2 and token != "0" and token not in _STOPWORDS))


_KEPT: BoundedMemo[str, bool] = BoundedMemo(_is_kept, 200_000)
_BOTH_CHOSEN = b"\x01\x01"


@dataclass(frozen=True, slots=True)
class Features:
    """Everything dedupe derives from one article's text."""

    body_tokens: list[str]
    title_tokens: list[str]
    dup_shingles: np.ndarray  # uint64 set: word n-grams of title and body
    # content words and figures with their counts (title words +2); stories weigh these
    story_counts: dict[str, int]
    # title and body words less name particles and other short words that are not function
    # words: story_links() pairs neighbours among them
    linked_words: tuple[list[str], list[str]]
    shingle_count: int = 0  # distinct shingles before the MAX_SHINGLES cap
    facts: tuple[tuple[str, float], ...] = ()  # (kind, value) of the figures: figure_facts()
    years: frozenset[int] = frozenset()  # the years it names: years.named_years()
    months: frozenset[int] = frozenset()  # the months it dates by: months.named_months()
    countries: frozenset[int] = frozenset()  # the countries its lead names: countries.named_countries()
    report_day: int = 0  # the weekday its lead reports as its news's day: weekdays.lead_days()
    preview: bool = False  # written ahead of the event it tells: previews.is_preview()
    lead_day: int = 0  # the first weekday its lead names: weekdays.lead_days() (0: none)

    def story_links(self, terms: Collection[str]) -> set[tuple[str, str]]:
        """Pairs of ``terms`` that follow each other somewhere in the title or the body,
        passing over name particles (بن, ابو, al …) and other short words that are not
        function words; a function word or a figure breaks the chain. These links make a
        multi-word name one unit (stories.py)."""
        links: set[tuple[str, str]] = set()
        for kept in self.linked_words:
            # one byte per word, 1 when chosen: neighbours both chosen are found by a byte
            # search (most words are not chosen, so this loop runs only for the links)
            chosen = bytes(map(terms.__contains__, kept))
            at = chosen.find(_BOTH_CHOSEN)
            while at >= 0:
                links.add((kept[at], kept[at + 1]))
                at = chosen.find(_BOTH_CHOSEN, at + 1)
        return links


# Work per article is bounded (issue 17: a 150k-shingle article cost 0.9 s and 143 MB in
# MinHash): words past MAX_WORDS are not read (a news article has 300-1,500), and MinHash
# sees the MAX_SHINGLES smallest shingle hashes of the set. That is a consistent sample
# (a bottom-k sketch): two copies of one long text keep the same shingles of what they share.
MAX_WORDS = 20_000
MAX_SHINGLES = 2_048
LEAD_AS_TITLE_WORDS = 20  # about a headline's length
FIGURE_CHARS = 20_000  # figures are read from the start of the text (where the event is told)


def extract_features(title: str, text: str, shingle_size: int) -> Features:
    text = text[: MAX_WORDS * 16]  # more characters than MAX_WORDS words take
    title_tokens = dedupe_tokens(title)[:MAX_WORDS]
    body_tokens = dedupe_tokens(text)[:MAX_WORDS]
    # Title and body are shingled apart (no shingle spans the seam). The title is short, so
    # an edited headline moves the set only a little: it is weighted less by construction.
    parts = [_shingles(_token_hashes(tokens), shingle_size) for tokens in (body_tokens, title_tokens) if tokens]
    dup = _sorted_set(np.concatenate(parts)) if parts else np.empty(0, dtype=np.uint64)
    shingle_count = int(dup.size)
    dup = dup[:MAX_SHINGLES]  # sorted: the smallest hashes
    title_terms = content_terms(title_tokens)
    counts = Counter(title_terms)
    counts.update(content_terms(body_tokens))
    # title words count double: headlines name the event; with no title (a feed item
    # without one, a `dedupe test` line), the lead's first words name it instead (the
    # twenty-ninth held-out story set: docs/dedupe.md)
    for term in set(title_terms or content_terms(body_tokens[:LEAD_AS_TITLE_WORDS])):
        counts[term] += 2
    story_counts = dict(counts)
    figure_text = text[:FIGURE_CHARS]
    title_runs, text_runs = digit_runs(title), digit_runs(figure_text)
    for term in number_terms(title, title_runs):
        story_counts[term] = story_counts.get(term, 0) + 3
    for term in number_terms(figure_text, text_runs):
        story_counts[term] = story_counts.get(term, 0) + 1
    linked = (
        list(compress(title_tokens, map(_KEPT.__getitem__, title_tokens))),
        list(compress(body_tokens, map(_KEPT.__getitem__, body_tokens))),
    )
    lead_day, report_day, until_day = lead_days(figure_text, title)
    # (a decision's move, an affair's stage, a verdict's term and a warning's last day first:
    # a stored profile keeps MAX_FACTS figures, and these decide)
    facts = (
        direction_facts(title, figure_text)
        + stage_facts(title, figure_text)
        + sentence_facts(title, figure_text)
        + ([(UNTIL_DAY, float(until_day))] if until_day else [])
        + figure_facts(title, title_runs)
        + figure_facts(figure_text, text_runs)
        # (the lead's years last: the first a stored profile drops when it keeps MAX_FACTS)
        + lead_year_facts(title, figure_text, title_runs)
    )
    return Features(
        body_tokens,
        title_tokens,
        dup,
        story_counts,
        linked,
        shingle_count,
        tuple(dict.fromkeys(facts)),
        named_years(title, figure_text, title_runs, text_runs),
        named_months(title, figure_text),
        named_countries(title, figure_text),
        report_day,
        is_preview(title, text),
        lead_day,
    )
