"""Arabic orthographic normalization with an offset map back to the original text.

Rules, dedupe and quantities all work on the *folded* text, but evidence must quote and
index the *original* clean text. ``normalize`` therefore returns, for every folded
character, the index of the original character it came from.

Folding (one original character → zero, one or more folded characters):
- diacritics (tashkeel, superscript alef) and tatweel are dropped;
- hamza/alef forms أ إ آ ٱ → ا, ؤ → و, ئ → ي; ى → ي; ة → ه;
- Persian/Urdu letters ی ې ے → ي, ک → ك, ۀ ہ ە → ه, گ → ك;
- Arabic presentation forms (ﻻ, ﺑ …) → their base letters;
- Arabic-Indic and Persian digits → 0-9; Arabic punctuation and typographic quotes → ASCII;
- zero-width and bidi control characters are dropped; NBSP and other spaces → " ";
- Latin letters are case-folded.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Sequence
from functools import lru_cache

import numpy as np

_DROP = set(
    [chr(c) for c in range(0x064B, 0x0653)]  # fathatan .. sukun, maddah above
    + [chr(c) for c in range(0x0653, 0x0660)]  # hamza above/below marks etc.
    + ["\u0670", "\u0640"]  # superscript alef, tatweel
    + [chr(c) for c in range(0x06D6, 0x06DD)]  # Quranic annotation marks
    + [chr(c) for c in range(0x06DF, 0x06E5)]
    + ["\u06e7", "\u06e8", "\u06ea", "\u06eb", "\u06ec", "\u06ed"]
    + ["\u200b", "\u200c", "\u200d", "\u200e", "\u200f", "\u061c", "\ufeff"]
    + [chr(c) for c in range(0x202A, 0x202F)]  # bidi embeddings
    + [chr(c) for c in range(0x2066, 0x206A)]  # bidi isolates
    + ["\u00ad"]  # soft hyphen
)

_MAP: dict[str, str] = {
    "أ": "ا",
    "إ": "ا",
    "آ": "ا",
    "ٱ": "ا",
    "ٲ": "ا",
    "ٳ": "ا",
    "ؤ": "و",
    "ئ": "ي",
    "ى": "ي",
    "ة": "ه",
    "ی": "ي",
    "ې": "ي",
    "ے": "ي",
    "ۓ": "ي",
    "ێ": "ي",
    "ک": "ك",
    "گ": "ك",
    "ڪ": "ك",
    "ۀ": "ه",
    "ہ": "ه",
    "ە": "ه",
    "ھ": "ه",
    # punctuation
    "،": ",",
    "؛": ";",
    "؟": "?",
    "۔": ".",
    "٪": "%",
    "٫": ".",
    "٬": ",",
    "٭": "*",
    "«": '"',
    "»": '"',
    "“": '"',
    "”": '"',
    "„": '"',
    "‟": '"',
    "″": '"',
    "‘": "'",
    "’": "'",
    "‚": "'",
    "‛": "'",
    "′": "'",
    "–": "-",
    "—": "-",
    "‐": "-",
    "‑": "-",
    "−": "-",
    "…": "...",
}
for _i in range(10):
    _MAP[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _MAP[chr(0x06F0 + _i)] = str(_i)  # Persian digits


def _is_presentation_form(ch: str) -> bool:
    return "\ufb50" <= ch <= "\ufdff" or "\ufe70" <= ch <= "\ufefc"


@lru_cache(maxsize=4096)
def fold_char(ch: str) -> str:
    """The folded form of one character: "" (dropped), one character, or several."""
    if ch in _DROP:
        return ""
    mapped = _MAP.get(ch)
    if mapped is not None:
        return mapped
    if ch.isspace():
        return "\n" if ch in "\n\r\u2028\u2029" else " "
    if ch.isascii():
        return ch.lower()
    if _is_presentation_form(ch):
        # Legacy shaped glyphs (ﻻ → لا, ﺑ → ب): decompose, then fold each base letter.
        decomposed = unicodedata.normalize("NFKC", ch)
        if decomposed != ch:
            return "".join(fold_char(c) for c in decomposed)
    cat = unicodedata.category(ch)
    if cat == "Mn":  # any other combining mark
        return ""
    if ch.isalpha() and not ("\u0600" <= ch <= "\u06ff"):
        # Latin with accents etc.: case-fold, keep the letter. Case folding can produce
        # a combining mark (İ → i + U+0307), which is folded in turn so fold() is idempotent.
        folded = ch.casefold()
        if folded == ch:
            return ch
        return "".join(c if c == ch else fold_char(c) for c in folded)
    return ch


class _FoldTable(dict[int, str]):
    """A ``str.translate`` table that fills itself from ``fold_char`` on first sight of a
    character, so folding runs in C after warm-up (the per-character Python loop is only
    needed when the offset map is actually asked for)."""

    def __missing__(self, code: int) -> str:
        folded = fold_char(chr(code))
        self[code] = folded
        return folded


class _FoldLengthTable(dict[int, str]):
    """``str.translate`` table: each character → one character whose code is the length of
    its folded form (0, 1 or 3), so that the offset map is computed without a Python loop."""

    def __missing__(self, code: int) -> str:
        length = chr(len(_TABLE[code]))
        self[code] = length
        return length


_TABLE = _FoldTable()
_LENGTHS = _FoldLengthTable()
FOLD_TABLE = _TABLE  # for variants of this folding (the rule matcher keeps ة apart)


class VectorTranslation:
    """``text.translate(table)`` for a self-filling table like ``_FoldTable`` (code → string),
    computed with numpy for long texts.

    ``str.translate`` looks every character of a non-ASCII text up in the table from
    Python (about 35 ns a character: 0.15 ms for an article). Here a text's UTF-16 code
    units index two arrays, each code's single output character and its output length, so
    a text whose characters all fold to one character or none (nearly every news text) is
    translated in a few vector operations; a character folding to several ("…" → "..."),
    or outside the Basic Multilingual Plane (a surrogate in UTF-16), sends the text back
    to ``str.translate``. Short texts go there too: numpy's fixed cost (≈ 3 µs) is more
    than translating them, and an ASCII text is translated fast by ``str.translate``."""

    # below this many characters str.translate is faster (measured on news lines)
    MIN_CHARS = 128
    _UNSEEN, _SEVERAL = 255, 2

    def __init__(self, table: dict[int, str]) -> None:
        self._table = table
        self._codes = np.zeros(0x10000, dtype=np.uint16)
        self._lengths = np.full(0x10000, self._UNSEEN, dtype=np.uint8)
        self._lengths[0xD800:0xE000] = self._SEVERAL  # surrogate halves: translate instead

    def _learn(self, codes: np.ndarray) -> None:
        # a set, not np.unique: np.unique imports numpy.ma on its first call (≈ 85 ms, paid
        # by a worker's first article)
        for code in set(codes.tolist()):
            output = self._table[code]
            if len(output) == 1 and (ord(output) < 0xD800 or 0xE000 <= ord(output) < 0x10000):
                self._codes[code] = ord(output)
                self._lengths[code] = 1
            else:  # nothing, several characters, or one that is no UTF-16 code unit alone
                self._lengths[code] = self._SEVERAL if output else 0

    def __call__(self, text: str) -> str:
        if len(text) < self.MIN_CHARS or text.isascii():  # str.translate's fast cases
            return text.translate(self._table)
        codes = np.frombuffer(text.encode("utf-16-le", "surrogatepass"), dtype=np.uint16)
        lengths = self._lengths[codes]
        single = lengths == 1
        if not single.all():
            unseen = lengths == self._UNSEEN
            if unseen.any():
                self._learn(codes[unseen])
                lengths = self._lengths[codes]
                single = lengths == 1
            if (lengths > 1).any():
                return text.translate(self._table)
            codes = codes[single]  # the rest fold to nothing
        return self._codes[codes].tobytes().decode("utf-16-le")


_FOLD = VectorTranslation(_TABLE)


def fold(text: str) -> str:
    """The folded form of ``text`` (no offsets): ``text.translate(FOLD_TABLE)``."""
    return _FOLD(text)


def fold_lines(lines: Sequence[str]) -> list[str]:
    """``[fold(line) for line in lines]``, folded as one text (one vector pass instead of a
    call per line). Folding works character by character, so the joined text's folding
    splits back into the lines' foldings unless a line holds a character folding to "\n"
    (a line or paragraph separator): then the part counts differ and lines fold one by one."""
    parts = fold("\n".join(lines)).split("\n")
    if len(parts) != len(lines):
        return [fold(line) for line in lines]
    return parts


def _one_to_one_class() -> re.Pattern[str]:
    """A regex for characters that may not fold to exactly one character. Folding is one
    to one for nearly all of a news text, so offsets are mapped through the few exceptions
    (diacritics, tatweel, "…", ligatures) instead of a per-character map."""
    scanned = (range(0x00, 0x250), range(0x0600, 0x0780), range(0x2000, 0x2070))
    safe = [c for block in scanned for c in block if len(fold_char(chr(c))) == 1]
    ranges: list[tuple[int, int]] = []
    for code in safe:
        if ranges and ranges[-1][1] == code - 1:
            ranges[-1] = (ranges[-1][0], code)
        else:
            ranges.append((code, code))
    members = "".join(f"\\u{lo:04x}" if lo == hi else f"\\u{lo:04x}-\\u{hi:04x}" for lo, hi in ranges)
    return re.compile(f"[^{members}]")


_MAYBE_NOT_ONE = _one_to_one_class()


class _Exceptions:
    """The original characters whose folded form is not one character, in order:
    original index, folded start and end, and the total length change up to and including
    each."""

    __slots__ = ("positions", "fold_starts", "fold_ends", "shifts")

    def __init__(self, original: str) -> None:
        self.positions: list[int] = []
        self.fold_starts: list[int] = []
        self.fold_ends: list[int] = []
        self.shifts: list[int] = []
        shift = 0
        for m in _MAYBE_NOT_ONE.finditer(original):
            length = len(_TABLE[ord(m.group())])
            if length == 1:
                continue
            start = m.start() + shift
            self.positions.append(m.start())
            self.fold_starts.append(start)
            self.fold_ends.append(start + length)
            shift += length - 1
            self.shifts.append(shift)

    @property
    def total_shift(self) -> int:
        return self.shifts[-1] if self.shifts else 0

    def original_index(self, folded: int) -> int:
        """Index of the original character that produced folded character ``folded``."""
        k = bisect_right(self.fold_ends, folded)
        if k < len(self.positions) and self.fold_starts[k] <= folded:
            return self.positions[k]  # inside the expansion of one character ("…" → "...")
        return folded - (self.shifts[k - 1] if k else 0)

    def folded_index(self, original: int) -> int:
        """First folded index produced by original character ``original`` or a later one."""
        k = bisect_left(self.positions, original)
        return original + (self.shifts[k - 1] if k else 0)


class NormalizedText:
    """Folded text plus, for each folded character, the index of its original character.

    ``offsets`` has ``len(text) + 1`` entries; the last is ``len(original)``. It is built on
    first use: matching needs only the folded text, evidence maps a few spans, which
    ``to_original`` and ``to_folded`` do through the rare characters whose folded form is
    not one character, without building ``offsets``."""

    __slots__ = ("original", "text", "_offsets", "_exceptions")

    def __init__(self, original: str, text: str, offsets: Sequence[int] | None = None) -> None:
        self.original = original
        self.text = text
        self._offsets = offsets
        self._exceptions: _Exceptions | None = None

    def _sparse(self) -> _Exceptions | None:
        """The exceptions, when ``text`` is the folding of ``original`` and no explicit
        offsets were given."""
        if self._offsets is not None:
            return None
        if self._exceptions is None:
            exceptions = _Exceptions(self.original)
            if len(self.original) + exceptions.total_shift != len(self.text):
                raise AssertionError("offset map does not match the folded text")
            self._exceptions = exceptions
        return self._exceptions

    def _original_at(self, folded: int) -> int:
        """``offsets[folded]``."""
        exceptions = self._sparse()
        if exceptions is None:
            return self.offsets[folded]
        if folded >= len(self.text):
            return len(self.original)
        return exceptions.original_index(folded)

    def __repr__(self) -> str:
        return f"NormalizedText(text={self.text!r})"

    def __eq__(self, other: object) -> bool:
        return isinstance(other, NormalizedText) and self.original == other.original and self.text == other.text

    def __hash__(self) -> int:
        return hash((self.original, self.text))

    @property
    def offsets(self) -> Sequence[int]:
        if self._offsets is None:
            self._offsets = _offset_map(self.original, len(self.text))
        return self._offsets

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded span [start, end) to the original span that produced it.

        The end extends over characters dropped right after the span (a word's trailing
        diacritics), so the original wording is quoted whole."""
        exceptions = self._sparse()
        if exceptions is not None and not exceptions.positions:
            # Every character folded to one: offsets are the same in both texts (what the
            # general path below gives, without its look-ups).
            limit = len(self.text)
            if start >= end:
                return min(start, limit), min(start, limit)
            return min(start, limit), min(end - 1, limit) + 1
        at = self._original_at
        if start >= end:
            pos = at(start)
            return pos, pos
        ostart = at(start)
        oend = at(end - 1) + 1
        # extend over dropped characters (diacritics, tatweel, any combining mark) that
        # followed the span
        nxt = at(end)
        while oend < nxt and not _TABLE[ord(self.original[oend])]:
            oend += 1
        return ostart, oend

    def original_text(self, start: int, end: int) -> str:
        s, e = self.to_original(start, end)
        return self.original[s:e]

    def to_folded(self, start: int, end: int) -> tuple[int, int]:
        """Map an original span [start, end) to the smallest folded span covering it."""
        exceptions = self._sparse()
        if exceptions is None:
            offsets = self.offsets
            fstart = bisect_left(offsets, start, 0, len(offsets) - 1)
            fend = bisect_left(offsets, end, 0, len(offsets) - 1)
        else:
            limit = len(self.text)
            fstart = min(limit, exceptions.folded_index(max(0, start)))
            fend = min(limit, exceptions.folded_index(max(0, end)))
        return fstart, max(fstart, fend)


def _offset_map(original: str, folded_length: int) -> list[int]:
    lengths = np.frombuffer(original.translate(_LENGTHS).encode("latin-1"), dtype=np.uint8)
    offsets = np.repeat(np.arange(len(original), dtype=np.int64), lengths).tolist()
    offsets.append(len(original))
    if len(offsets) != folded_length + 1:
        raise AssertionError("offset map does not match the folded text")
    return offsets


def normalize(text: str) -> NormalizedText:
    return NormalizedText(text, fold(text))
