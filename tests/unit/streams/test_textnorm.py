"""Folding for matching, and the offset map back to the original text."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from streams.textnorm import VectorTranslation, fold, fold_char, fold_lines, normalize

FOLD_CASES = [
    # hamza / alef forms
    ("أحمد", "احمد"),
    ("إسرائيل", "اسراييل"),
    ("آلاف", "الاف"),
    ("ٱلله", "الله"),
    ("مؤتمر", "موتمر"),
    ("رئيس", "رييس"),
    # alef maqsura, taa marbuta
    ("الأطلسى", "الاطلسي"),
    ("كيربى", "كيربي"),
    ("حكومة", "حكومه"),
    # Persian / Urdu letters
    ("بوینت", "بوينت"),
    ("کابل", "كابل"),
    ("ۀ", "ه"),
    ("ے", "ي"),
    ("گاز", "كاز"),
    # diacritics and tatweel
    ("غَزْوٌ", "غزو"),
    ("مرجحاً", "مرجحا"),
    ("الـــكرملين", "الكرملين"),
    ("ستُعقد", "ستعقد"),
    # digits
    ("٢٠٢١", "2021"),
    ("۱۲۳", "123"),
    # punctuation and quotes
    ("«الناتو»", '"الناتو"'),
    ("“روسيا – الناتو”", '"روسيا - الناتو"'),
    ("ماذا؟ نعم، لا؛", "ماذا? نعم, لا;"),
    ("’خطوط حمراء‘", "'خطوط حمراء'"),
    ("۔", "."),
    # Latin case folding, zero-width and bidi marks, NBSP
    ("Putin SAID", "putin said"),
    ("Zelenskyy\u200f", "zelenskyy"),
    ("a\u00a0b", "a b"),
    # presentation forms
    ("ﻻ", "لا"),
]


@pytest.mark.parametrize("original, folded", FOLD_CASES)
def test_fold(original: str, folded: str) -> None:
    assert fold(original) == folded
    assert normalize(original).text == folded


OFFSET_CASES = [
    # (original, folded span [start, end), expected original span)
    ("غَزْوٌ روسي", (0, 3), (0, 6)),  # trailing diacritics are part of the word
    ("غَزْوٌ روسي", (4, 8), (7, 11)),
    ("قال «بوتين»", (5, 10), (5, 10)),
    ("الـــكرملين يعلن", (0, 8), (0, 11)),
    ("كلام… بوتين", (8, 13), (6, 11)),  # … folds to three characters
    ("١٠٠ ألف جندي", (0, 7), (0, 7)),
    # any mark that folds away after a word is quoted with it, not only tashkeel
    ("cafe\u0301 noir", (0, 4), (0, 5)),
    ("جندي\u0610 أمس", (0, 4), (0, 5)),
]


@pytest.mark.parametrize("original, folded_span, original_span", OFFSET_CASES)
def test_offsets_map_back_to_original(original, folded_span, original_span) -> None:
    n = normalize(original)
    assert n.to_original(*folded_span) == original_span
    assert len(n.offsets) == len(n.text) + 1
    assert n.offsets[-1] == len(original)


def test_to_folded_inverts_to_original() -> None:
    n = normalize("قال الكرملين، إنّ أكثر من ١٠٠ ألف جنديٍّ")
    start = n.original.index("جندي")
    fstart, fend = n.to_folded(start, len(n.original))
    assert n.text[fstart:fend] == "جندي"
    assert n.original_text(fstart, fend) == "جنديٍّ"


def _fold_by_character(text: str) -> str:
    return "".join(map(fold_char, text))


def test_long_texts_fold_as_character_by_character() -> None:
    """Texts of VectorTranslation.MIN_CHARS characters or more fold through numpy: the
    result must be the per-character folding, whatever the characters."""
    arabic = "قالت وزارة الصحة إن «١٢» شخصاً أُصيبوا في الهجوم على مستشفى الأطلسى " * 3
    assert len(arabic) >= VectorTranslation.MIN_CHARS
    texts = [
        arabic,
        arabic + "\u0651",  # only one character folds to nothing (a shadda)
        "\u064e" * 200,  # only diacritics: the folding is empty
        arabic + "…",  # a character folding to three
        arabic + "\U0001f600",  # outside the Basic Multilingual Plane (a surrogate pair)
        arabic + "\ud800",  # a lone surrogate
        arabic + "ﻻ\ufdfa",  # presentation forms (ligatures of several letters)
        "Putin SAID " * 20,  # ASCII
    ]
    # every character of the Basic Multilingual Plane, in runs long enough for numpy
    texts += ["".join(map(chr, range(start, start + 512))) for start in range(0, 0x10000, 512)]
    for text in texts:
        assert fold(text) == _fold_by_character(text)
        assert fold(text) == fold(text)  # a second time: with the characters already learnt


def test_fold_lines_folds_each_line() -> None:
    lines = ["أحمد قال", "", "a\rb", "x\u2028y\u2029z", "«الناتو»" * 40, "\u0651"]
    assert fold_lines(lines) == [_fold_by_character(line) for line in lines]
    assert fold_lines(lines[:2] + lines[4:]) == [_fold_by_character(line) for line in lines[:2] + lines[4:]]
    assert fold_lines([]) == []


def test_a_translation_to_characters_beyond_one_code_unit_falls_back() -> None:
    class Table(dict[int, str]):
        def __missing__(self, code: int) -> str:
            value = "\U0001f600" if code == ord("x") else "\ud800" if code == ord("y") else chr(code)
            self[code] = value
            return value

    translate = VectorTranslation(Table())
    for text in ["ب" * 200 + "x", "ب" * 200 + "y", "ب" * 200]:
        assert translate(text) == text.translate(Table())


def test_learning_new_characters_does_not_import_numpy_masked_arrays() -> None:
    """np.unique imports numpy.ma on its first call (≈ 85 ms): a worker's first article
    would pay it. Checked in a fresh interpreter, where nothing imported it before."""
    code = (
        "import sys\n"
        "from streams.textnorm import fold\n"
        "folded = fold('قالت الوكالة إن القوات عبرت الحدود فجر اليوم ' * 8)\n"
        "assert folded.startswith('قالت الوكاله')\n"
        "print('numpy.ma' in sys.modules)\n"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=Path(__file__).resolve().parents[3],
    )
    assert out.stdout.strip() == "False"
