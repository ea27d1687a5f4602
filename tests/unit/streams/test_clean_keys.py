"""Comparison keys of folded lines: the batch (numpy) form equals the per-line regex form."""

from __future__ import annotations

import random

import pytest

from streams.clean_keys import comparison_key, comparison_keys


def test_a_key_is_the_words_joined_by_one_space() -> None:
    assert comparison_key('"الناتو" ، يقول:  روسيا...') == "الناتو يقول روسيا"
    assert comparison_key("snake_case  x2 ") == "snake_case x2"
    assert comparison_key("... !") == ""


@pytest.mark.parametrize(
    "lines",
    [
        [],
        [""],
        ["", ""],
        ["..."],
        ['"الناتو" ، يقول:  روسيا...', "  بداية السطر", "نهاية السطر  ,,", "x"],
        ["a\nb", "c"],  # a line holding a line break
        ["\U0001d400bc d", "e"],  # a word character outside the Basic Multilingual Plane
        ["غَزْو ٣٤ ² ⅷ _"],  # combining marks, digits of other scripts, numerals
    ],
)
def test_batch_keys_equal_line_keys(lines: list[str]) -> None:
    assert comparison_keys(lines) == [comparison_key(line) for line in lines]


def test_batch_keys_equal_line_keys_on_random_lines() -> None:
    rng = random.Random(7)
    alphabet = ["a", "ب", " ", ".", "_", "\u0301", "٣", "\t", "?", "²", "ⅷ", "«", "\u00a0", "-"]
    for _ in range(500):
        lines = ["".join(rng.choices(alphabet, k=rng.randrange(0, 15))) for _ in range(rng.randrange(0, 6))]
        assert comparison_keys(lines) == [comparison_key(line) for line in lines]
