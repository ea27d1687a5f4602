"""Arabic orthographic normalization with an offset map back to the original text.

Rules, dedupe and quantities all work on the *folded* text, but evidence must quote and
index the *original* clean text. ``normalize`` therefore returns, for every folded
character, the index of the original character it came from.

Folding (one original character → zero, one or more folded characters):
- diacritics (tashkeel, superscript alef) and tatweel are dropped;
- hamza/alef forms أ إ آ ٱ → ا, ؤ → و, ئ → ي; ى → ي; ة → ه;
- Persian/Urdu letters ی ې ے → ي, ک → ك, ۀ ہ ە → ه, گ → ك;
- Arabic-Indic and Persian digits → 0-9; Arabic punctuation and typographic quotes → ASCII;
- zero-width and bidi control characters are dropped; NBSP and other spaces → " ";
- Latin letters are case-folded.
"""

from __future__ import annotations

import unicodedata
from dataclasses import dataclass
from functools import lru_cache

_DROP = set(
    [chr(c) for c in range(0x064B, 0x0653)]  # fathatan .. sukun, maddah above
    + [chr(c) for c in range(0x0653, 0x0660)]  # hamza above/below marks etc.
    + ["\u0670", "\u0640"]  # superscript alef, tatweel
    + [chr(c) for c in range(0x06D6, 0x06DD)]  # Quranic annotation marks
    + [chr(c) for c in range(0x06DF, 0x06E5)]
    + ["\u06E7", "\u06E8", "\u06EA", "\u06EB", "\u06EC", "\u06ED"]
    + ["\u200B", "\u200C", "\u200D", "\u200E", "\u200F", "\u061C", "\uFEFF"]
    + [chr(c) for c in range(0x202A, 0x202F)]  # bidi embeddings
    + [chr(c) for c in range(0x2066, 0x206A)]  # bidi isolates
    + ["\u00AD"]  # soft hyphen
)

_MAP: dict[str, str] = {
    "أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ٲ": "ا", "ٳ": "ا",
    "ؤ": "و", "ئ": "ي", "ى": "ي",
    "ة": "ه",
    "ی": "ي", "ې": "ي", "ے": "ي", "ۓ": "ي", "ێ": "ي",
    "ک": "ك", "گ": "ك", "ڪ": "ك",
    "ۀ": "ه", "ہ": "ه", "ە": "ه", "ھ": "ه",
    # punctuation
    "،": ",", "؛": ";", "؟": "?", "۔": ".", "٪": "%", "٫": ".", "٬": ",", "٭": "*",
    "«": '"', "»": '"', "“": '"', "”": '"', "„": '"', "‟": '"', "″": '"',
    "‘": "'", "’": "'", "‚": "'", "‛": "'", "′": "'",
    "–": "-", "—": "-", "‐": "-", "‑": "-", "−": "-",
    "…": "...",
}
for _i in range(10):
    _MAP[chr(0x0660 + _i)] = str(_i)  # Arabic-Indic digits
    _MAP[chr(0x06F0 + _i)] = str(_i)  # Persian digits


@lru_cache(maxsize=4096)
def _fold_char(ch: str) -> str:
    if ch in _DROP:
        return ""
    mapped = _MAP.get(ch)
    if mapped is not None:
        return mapped
    if ch.isspace():
        return "\n" if ch in "\n\r\u2028\u2029" else " "
    if ch.isascii():
        return ch.lower()
    cat = unicodedata.category(ch)
    if cat == "Mn":  # any other combining mark
        return ""
    if ch.isalpha() and not ("\u0600" <= ch <= "\u06FF"):
        # Latin with accents etc.: case-fold, keep the letter
        return ch.casefold()
    return ch


def fold(text: str) -> str:
    """The folded form of ``text`` (no offsets)."""
    return "".join(_fold_char(ch) for ch in text)


@dataclass(frozen=True, slots=True)
class NormalizedText:
    """Folded text plus, for each folded character, the index of its original character."""

    original: str
    text: str
    offsets: tuple[int, ...]  # len(text) + 1 entries; the last is len(original)

    def to_original(self, start: int, end: int) -> tuple[int, int]:
        """Map a folded span [start, end) to the original span that produced it.

        The end extends over characters dropped right after the span (a word's trailing
        diacritics), so the original wording is quoted whole."""
        if start >= end:
            pos = self.offsets[start]
            return pos, pos
        ostart = self.offsets[start]
        oend = self.offsets[end - 1] + 1
        # extend over dropped characters (diacritics, tatweel) that followed the span
        nxt = self.offsets[end]
        while oend < nxt and self.original[oend] in _DROP and not self.original[oend].isspace():
            oend += 1
        return ostart, oend

    def original_text(self, start: int, end: int) -> str:
        s, e = self.to_original(start, end)
        return self.original[s:e]


def normalize(text: str) -> NormalizedText:
    out: list[str] = []
    offsets: list[int] = []
    for i, ch in enumerate(text):
        folded = _fold_char(ch)
        if folded:
            out.append(folded)
            offsets.extend([i] * len(folded))
    offsets.append(len(text))
    return NormalizedText(text, "".join(out), tuple(offsets))
