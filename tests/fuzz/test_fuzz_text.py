"""Fuzzing normalization, quantity parsing and chrome removal with hostile text.

Properties (issue 9, item 3): no exception; offsets stay inside the text; quoted wording
equals ``text[start:end]``. Each bug fuzzing found is pinned by a regression test below.
"""

from __future__ import annotations

import math
import re

from hypothesis import given
from hypothesis import strategies as st

from kernel.html_text import drop_control_characters, html_to_text
from streams.clean import clean_article
from streams.rules.quantities import (
    default_unit_classes,
    find_quantities,
    find_quantities_normalized,
)
from streams.textnorm import NormalizedText, fold, normalize
from tests.support.strategies import (
    CONTENT_TYPES,
    DATES,
    LANGUAGES,
    examples,
    hostile_text,
    html_fragment,
)

UNITS = default_unit_classes()
ANY_TEXT = st.one_of(hostile_text(), st.text(st.characters(blacklist_categories=("Cs",)), max_size=80))


# --- normalize / fold ----------------------------------------------------------------------------


@given(ANY_TEXT)
@examples(300)
def test_offset_map_is_complete_and_monotonic(text: str) -> None:
    norm = normalize(text)
    offsets = list(norm.offsets)
    assert norm.original == text
    assert norm.text == fold(text)
    assert len(offsets) == len(norm.text) + 1
    assert offsets[-1] == len(text)
    assert all(0 <= a <= b for a, b in zip(offsets, offsets[1:]))
    assert all(o < len(text) for o in offsets[:-1])
    # Every folded character comes from an original character that folds to something
    # containing it.
    for folded_index, original_index in enumerate(offsets[:-1]):
        assert norm.text[folded_index] in fold(text[original_index])


@given(ANY_TEXT, st.data())
@examples(300)
def test_spans_map_inside_the_original_and_cover_the_wording(text: str, data: st.DataObject) -> None:
    sparse = normalize(text)
    dense = NormalizedText(text, fold(text), list(sparse.offsets))  # the explicit-map code path
    size = len(sparse.text)
    for _ in range(4):
        start = data.draw(st.integers(0, size))
        end = data.draw(st.integers(start, size))
        ostart, oend = sparse.to_original(start, end)
        assert 0 <= ostart <= oend <= len(text)
        assert (ostart, oend) == dense.to_original(start, end)
        assert sparse.original_text(start, end) == text[ostart:oend]
        # The original span folds to (at least) the folded span it came from.
        assert sparse.text[start:end] in fold(text[ostart:oend])
        fstart, fend = sparse.to_folded(ostart, oend)
        assert 0 <= fstart <= fend <= size
        assert (fstart, fend) == dense.to_folded(ostart, oend)
        assert fstart <= start and (end == start or fend >= end)


@given(ANY_TEXT)
@examples(300)
def test_folding_is_idempotent(text: str) -> None:
    once = fold(text)
    assert fold(once) == once
    assert normalize(once).text == once


# --- quantities ---------------------------------------------------------------------------------


def _check_mentions(text: str, mentions: list) -> None:
    previous_start = -1
    for mention in mentions:
        assert 0 <= mention.start < mention.end <= len(text), mention
        assert mention.text == text[mention.start : mention.end]
        assert mention.text == mention.text.strip() or mention.text.strip(), mention
        assert math.isfinite(mention.value) and mention.value >= 0, mention
        assert mention.unit in UNITS
        assert mention.start >= previous_start  # in order of appearance
        previous_start = mention.start
        if mention.qualifier is not None:
            assert mention.qualifier in mention.text


@given(hostile_text(max_tokens=60))
@examples(400)
def test_find_quantities_spans_quote_the_text(text: str) -> None:
    mentions = find_quantities(text, UNITS)
    _check_mentions(text, mentions)
    # The rule engine's entry point (an already normalized text) gives the same mentions.
    assert find_quantities_normalized(normalize(text), UNITS) == mentions


@given(st.text(st.characters(blacklist_categories=("Cs",)), max_size=200))
@examples(200)
def test_find_quantities_on_arbitrary_unicode(text: str) -> None:
    _check_mentions(text, find_quantities(text, UNITS))


# --- chrome removal ----------------------------------------------------------------------------


def _is_ordered_suffix_sequence(kept: list[str], source: list[str]) -> bool:
    """Each kept line is a (dateline-trimmed) suffix of a distinct source line, in order."""
    position = 0
    for line in kept:
        while position < len(source) and not source[position].endswith(line):
            position += 1
        if position == len(source):
            return False
        position += 1
    return True


@given(
    title=hostile_text(max_tokens=8),
    lines=st.lists(st.one_of(hostile_text(max_tokens=12), html_fragment()), max_size=10),
    content_type=CONTENT_TYPES,
    published=DATES,
    language=LANGUAGES,
)
@examples(200)
def test_clean_article_never_raises_and_keeps_input_lines(
    title: str,
    lines: list[str],
    content_type: str,
    published: str | None,
    language: str | None,
) -> None:
    content = "\n".join(lines)
    article = clean_article(
        title=title, content=content, content_type=content_type, published=published, language=language
    )
    assert article.title == " ".join(article.title.split())
    assert "\n\n" not in article.text and article.text == article.text.strip()
    if content_type == "text/plain":
        # control characters are stripped in normalization (issue 16): compare without them
        visible = drop_control_characters(content)
        source = [line.strip() for line in visible.splitlines() if line.strip()]
        kept = article.text.split("\n") if article.text else []
        assert all(line == line.strip() and line for line in kept)
        assert _is_ordered_suffix_sequence(kept, source), (kept, source)
        for removed in article.removed:
            assert any(removed.text in line for line in source), removed
    if article.published is not None:
        from datetime import datetime

        datetime.fromisoformat(article.published.replace("Z", "+00:00"))


@given(html_fragment())
@examples(200)
def test_html_to_text_never_raises_and_drops_active_content(html: str) -> None:
    text = html_to_text(html)
    lines = text.split("\n") if text else []
    assert all(line and line == line.strip() for line in lines)
    # A tag left open before "<script>" ("<p<script>…") makes HTML5 read the script as
    # plain text, as a browser shows it; only real script/style elements must vanish.
    if not re.search(r"<[^<>]*<", html):
        assert "alert(1)" not in text and "p{}" not in text


# --- regression tests for the bugs fuzzing found ---------------------------------------------


def test_fold_is_idempotent_for_letters_whose_casefold_adds_a_mark() -> None:
    for letter in ("İ", "ǰ", "ΐ"):
        assert fold(fold(letter)) == fold(letter)


def test_quantity_value_is_finite_for_a_huge_digit_run() -> None:
    mentions = find_quantities("9" * 400 + " جندي", UNITS)
    assert all(math.isfinite(m.value) for m in mentions)


def test_find_quantities_does_not_raise_on_a_million_digit_number() -> None:
    text = "1" + "0" * 999_999 + " ألف جندي"
    for mention in find_quantities(text, UNITS):
        assert mention.text == text[mention.start : mention.end]


def test_find_quantities_does_not_raise_on_superscript_digits() -> None:
    for text in ("5² جندي", "3 ² ", "5¹ دولار"):
        for mention in find_quantities(text, UNITS):
            assert mention.text == text[mention.start : mention.end]
