"""ArticleText.prev_token: the token just before a place, as phrases are checked."""

from __future__ import annotations

import pytest

from streams.rules.text import PHRASE_GAP, ArticleText, is_word_char


def walk_back(folded: str, pos: int) -> tuple[int, int] | None:
    """The token ending before ``pos`` across phrase-gap characters holding one line break
    at most, found one character at a time: what ``prev_token`` must give."""
    newlines = 0
    while pos > 0 and not is_word_char(folded[pos - 1]):
        ch = folded[pos - 1]
        if ch not in PHRASE_GAP or (ch == "\n" and (newlines := newlines + 1) > 1):
            return None
        pos -= 1
    if pos <= 0:
        return None
    start = pos
    while start > 0 and is_word_char(folded[start - 1]):
        start -= 1
    return start, pos


TEXTS = [
    "قالت وزارة الدفاع إن القوات عبرت الحدود",
    "البنتاجون - (بيان) 'رسمي' يعلن [حزمة] جديدة",
    "السطر الأول\nالسطر الثاني\n\nبعد سطرين فارغين",
    "وقال، المتحدث: إن 120 ألف جندي_احتياط",
    "  أول الكلام بعد فراغ",
    "Reuters / AFP — troops crossed",
]


@pytest.mark.parametrize("text", TEXTS)
def test_prev_token_finds_what_a_walk_back_finds_at_every_place(text: str) -> None:
    article = ArticleText(text)
    folded = article.folded
    for pos in range(len(folded) + 1):
        assert article.prev_token(pos) == walk_back(folded, pos), (text, pos)
    # asked again (from its memo of places), the same answers
    for pos in range(len(folded) + 1):
        assert article.prev_token(pos) == walk_back(folded, pos), (text, pos)


def test_prev_token_stops_at_punctuation_and_at_a_blank_line() -> None:
    article = ArticleText("قال، المتحدث\n\nالقوات")
    folded = article.folded
    assert article.prev_token(folded.index("المتحدث")) is None  # «،» is no phrase gap
    assert article.prev_token(folded.index("القوات")) is None  # two line breaks
    end = folded.index("\n")
    assert article.prev_token(end) == (folded.index("المتحدث"), end)
